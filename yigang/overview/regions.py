"""The comparison above the county (issue 25): a province compares its 盟市, a 盟市 its counties, a county its towns —
each row the sum of its towns' figures, linking down a level, down to the town's own page (overview/county.py).

Readers: county viewers, at the regions and counties their memberships put them (yigang/towns/regions.py): they may
open a region at or below their own, never one beside or above it (404, as any page out of scope). Officers and
leaders compare their own towns on the county page; the region pages are not theirs.

How a region's row adds up its towns (each worked by hand in tests/home/test_regions.py):
- compliance: the duty periods met and missed summed over the towns, the rate recomputed from the sums (met over
  met + missed, a whole percent rounded half up) — not a mean of the towns' rates; "—" when nothing is judged;
- behind, hazards open and overdue, accidents, deaths, accidents by grade: summed;
- supervision coverage: the periods covered and judged summed over the towns with a plan line, the rate recomputed;
  无监管计划 when none of its towns has one;
- assessment: how many of its towns have a published round (up to the year viewed), the mean of those towns' mean
  scores (each town counts once, so the figure can be checked against the towns' own rows a level down; rounded
  half up to one decimal), and the grades and vetoed units (一票否决) summed.

Every town's figures are read at once (`county.town_figures`, a fixed number of queries), then grouped in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yigang.audit.log import record as audit
from yigang.exports.download import XLSX, export_file
from yigang.inputs import year_param
from yigang.towns.models import Region, RegionLevel, Town
from yigang.towns.regions import LEVEL_BELOW, Sight, Tree

from . import county
from .county import HIDDEN, TownFigures, coverage_text, rate_of

LEVEL_WORD = {
    RegionLevel.PROVINCE: "省（自治区）",
    RegionLevel.PREFECTURE: "盟市",
    RegionLevel.COUNTY: "旗县",
}
NO_PREFECTURE = "（未归属盟市）"  # a county named by towns with no Region row


@dataclass
class Assessment:
    """A region's assessment: its towns' latest published rounds taken together."""

    towns: int = 0
    published: int = 0
    hidden: int = 0
    average: Decimal | None = None  # the mean of the published towns' mean scores
    grades: list[tuple[str, int]] = field(default_factory=list)
    vetoed_units: int = 0


def _summed(attr: str) -> Any:
    """A region's figure that is its towns' added up."""
    return property(lambda self: sum(getattr(t, attr) for t in self.towns))


@dataclass
class RegionFigures:
    """One row of a region's comparison: a region (or a county with no Region row) and its towns' figures."""

    name: str
    url: str
    towns: list[TownFigures]

    met = _summed("met")
    missed = _summed("missed")
    behind = _summed("behind")
    hazards_open = _summed("hazards_open")
    hazards_overdue = _summed("hazards_overdue")
    accidents = _summed("accidents")
    deaths = _summed("deaths")

    @property
    def rate(self) -> int | None:
        return rate_of(self.met, self.missed)

    @property
    def grades(self) -> list[tuple[str, int]]:
        labels = [label for label, _n in self.towns[0].grades] if self.towns else []
        return [(label, sum(dict(t.grades).get(label, 0) for t in self.towns)) for label in labels]

    @property
    def coverage(self) -> Any:
        """The towns' coverage totals summed (yigang.places.coverage.Totals); None when no town has a plan."""
        from yigang.places.coverage import Totals

        planned = [t.coverage for t in self.towns if t.coverage is not None]
        if not planned:
            return None
        total = Totals()
        for one in planned:
            total.add(one)
        return total

    @property
    def coverage_rate(self) -> float | None:
        found = self.coverage
        return None if found is None else found.rate

    @property
    def coverage_text(self) -> str:
        return coverage_text(self.coverage)

    @property
    def assessment(self) -> Assessment:
        from yigang.assessment.scoring import q

        found = Assessment(towns=len(self.towns))
        means: list[Decimal] = []
        for row in self.towns:
            standing = row.assessment
            if standing == HIDDEN:
                found.hidden += 1
            elif standing is not None:
                found.published += 1
                found.vetoed_units += standing.vetoed_units
                found.grades = _added(found.grades, standing.grades)
                if standing.average is not None:
                    means.append(standing.average)
        found.average = q(sum(means, Decimal(0)) / len(means)) if means else None
        return found


def _added(into: list[tuple[str, int]], more: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if not into:
        return list(more)
    extra = dict(more)
    return [(grade, n + extra.get(grade, 0)) for grade, n in into]


@dataclass
class Comparison:
    """A page of the comparison: where it stands, the levels above the viewer may open, and its rows."""

    title: str
    first: str  # the first column: the level below
    rows: list[Any]
    crumbs: list[Region]
    by_town: bool  # rows are towns (a county's comparison)
    viewer: str = ""  # the header's words for where the viewer sits (鄂尔多斯市 · 盟市查看)


def _viewer_words(tree: Tree, sight: Sight) -> str:
    """Where the viewer sits, for the page's header: each of their top places with its level's 查看."""
    words = {
        RegionLevel.PROVINCE: _("%(name)s · 省级查看"),
        RegionLevel.PREFECTURE: _("%(name)s · 盟市查看"),
        RegionLevel.COUNTY: _("%(name)s · 县级查看"),
    }
    return "、".join(
        words[RegionLevel.COUNTY if isinstance(top, str) else RegionLevel(top.level)]
        % {"name": top if isinstance(top, str) else top.name}
        for top in sight.tops(tree)
    )


def _region_url(region: Region) -> str:
    return reverse("county:region", args=[region.code])


def _bare_url(name: str) -> str:
    from urllib.parse import quote

    return f"{reverse('county:towns')}?county={quote(name)}"


def _scoped(request: HttpRequest) -> tuple[Tree, Sight]:
    sight = Sight.of(request.user)
    if not sight:
        raise Http404
    return Tree.load(), sight


def region_comparison(request: HttpRequest, code: str, year: int) -> Comparison:
    """The comparison of `code`'s level below, of what the viewer may open; 404 outside it."""
    tree, sight = _scoped(request)
    region = tree.by_code(code)
    if region is None or not sight.may_open(tree, region):
        raise Http404
    counties = {c.name: c for c in tree.counties_under(region)}
    towns = list(county.readable_towns(request.user).filter(county__in=list(counties)))
    figures = county.town_figures(request.user, towns, year)
    crumbs = sight.crumbs(tree, region)
    if region.level == RegionLevel.COUNTY:
        title = _("%(year)s 年%(region)s各乡镇安全生产责任落实对比") % {"year": year, "region": region.name}
        return Comparison(title, "乡镇", figures, crumbs, True, _viewer_words(tree, sight))
    rows = []
    for child in sorted(tree.children(region), key=lambda r: r.name):
        mine = [f for f in figures if tree.child_toward(region, counties[f.town.county]) == child]
        rows.append(RegionFigures(child.name, _region_url(child), mine))
    word = LEVEL_WORD[LEVEL_BELOW.get(RegionLevel(region.level), RegionLevel.COUNTY)]
    title = _("%(year)s 年%(region)s各%(level)s安全生产责任落实对比") % {
        "year": year,
        "region": region.name,
        "level": _first_label(word),
    }
    return Comparison(title, word, rows, crumbs, False, _viewer_words(tree, sight))


def top_comparison(request: HttpRequest, year: int) -> Comparison:
    """The viewer's own top places side by side: their regions, and their counties not under those."""
    tree, sight = _scoped(request)
    tops = sight.tops(tree)
    towns: list[Town] = list(county.readable_towns(request.user))
    figures = county.town_figures(request.user, towns, year) if towns else []
    rows = []
    for top in tops:
        if isinstance(top, str):
            mine = [f for f in figures if f.town.county == top]
            rows.append(RegionFigures(f"{top}{NO_PREFECTURE}", _bare_url(top), mine))
            continue
        names = {c.name for c in tree.counties_under(top)}
        mine = [f for f in figures if f.town.county in names]
        rows.append(RegionFigures(top.name, _region_url(top), mine))
    title = _("%(year)s 年辖区安全生产责任落实对比") % {"year": year}
    return Comparison(title, "辖区", rows, [], False, _viewer_words(tree, sight))


def _first_label(first: str) -> str:
    """The first column's heading in the reader's language (the .xlsx keeps the Chinese)."""
    labels = {
        "乡镇": _("乡镇"),
        "旗县": _("旗县"),
        "盟市": _("盟市"),
        "省（自治区）": _("省（自治区）"),
        "辖区": _("辖区"),
    }
    return labels.get(first, first)


def _page(
    request: HttpRequest, page: Comparison, year: int, xlsx_url: str, regulation_url: str = ""
) -> HttpResponse:
    return county.comparison_page(
        request,
        page.rows,
        year,
        first=_first_label(page.first),
        heading=page.title,
        crumbs=page.crumbs,
        by_region=not page.by_town,
        xlsx_url=xlsx_url,
        region_view=page.viewer,
        regulation_url=regulation_url,
    )


@login_required
@require_GET
def region_list(request: HttpRequest, code: str) -> HttpResponse:
    year = year_param(request)
    return _page(
        request,
        region_comparison(request, code, year),
        year,
        reverse("county:region_xlsx", args=[code]),
        # The level's own regulation and each town below against its model duties (regulations/region_views).
        regulation_url=reverse("regulations:region", args=[code]),
    )


@login_required
@require_GET
def top_list(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    return _page(request, top_comparison(request, year), year, reverse("county:regions_xlsx"))


REGION_ASSESSMENT_COLUMNS = (
    "已发布考核的乡镇",
    "考核均分（各乡镇均分的平均）",
    "考核优秀",
    "考核良好",
    "考核合格",
    "考核不合格",
    "一票否决单位",
)


def _region_assessment_cells(row: RegionFigures) -> list[Any]:
    a = row.assessment
    published = f"{a.published}/{a.towns}"
    if not a.published:
        return [published, "未发布", *[""] * (len(REGION_ASSESSMENT_COLUMNS) - 2)]
    mean = "—" if a.average is None else float(a.average)
    return [published, mean, *[n for _grade, n in a.grades], a.vetoed_units]


def _xlsx(request: HttpRequest, page: Comparison, year: int, slug: str) -> HttpResponse:
    rows = county._sorted(page.rows, request.GET.get("sort", "name"))
    assessment = (
        (county.ASSESSMENT_COLUMNS, county._assessment_cells)
        if page.by_town
        else (REGION_ASSESSMENT_COLUMNS, _region_assessment_cells)
    )
    body = county.comparison_xlsx(rows, first=page.first, title=page.title, assessment=assessment)
    audit(
        "export.county", actor=request.user, object_repr=f"{slug} {year}", ip=request.META.get("REMOTE_ADDR")
    )
    return export_file(body, XLSX, f"{page.title}.xlsx", f"region-{slug}-{year}.xlsx")


@login_required
@require_GET
def region_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    year = year_param(request)
    return _xlsx(request, region_comparison(request, code, year), year, code)


@login_required
@require_GET
def top_xlsx(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    return _xlsx(request, top_comparison(request, year), year, "top")
