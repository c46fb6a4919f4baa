"""The county view: every town a reader sees as a whole, side by side — compliance rate, hazards open and overdue,
accidents by grade, the year-end assessment — sortable, with a read-only page per town, an ECharts chart and an
.xlsx export.

Readers: a county viewer (every town of the county), and an officer or leader (their own towns). Body and village
staff read only part of a town, so a town-wide comparison is not theirs: they get a 404 as for any page out of scope.

Compliance rate: of the duty rows that are judged — a period met, or a period missed — the share met, rounded half
up to a whole percent. Periods still running (on track, at risk), vacant posts and duties that do not apply are
left out; a town with no judged row has no rate ("—"), never 0 % or 100 %.

Assessment: the town's latest round published up to the year viewed (a round is published after its year ends,
so the view of this year shows last year's), as its frozen snapshot: the mean score of its bodies and villages,
how many got each grade and how many were vetoed (一票否决). It sorts by that mean; a town with nothing published
says 未发布. It is shown to those who read a town's whole results (the 安委办, the county: assessment/access.py);
a leader, who reads only their own rows there, sees "—" here too.

Supervision coverage (检查计划覆盖率, docs/places.md): of the periods of the town's supervision plans judged as of
today (ended, or running and already met), the share met, to one decimal as the town's coverage page says; "—"
while nothing is judged, 无监管计划 for a town without a plan line that year. Every town in one
`places.coverage.compute_towns` (six queries whatever the number of towns).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yigang.audit.log import record as audit
from yigang.exports.download import XLSX, export_file
from yigang.inputs import year_param
from yigang.towns.models import WHOLE_TOWN_ROLES, Town, towns_for
from yigang.towns.regions import town_crumbs

if TYPE_CHECKING:
    from yigang.duties.compliance import TownYear

SORTS = ("name", "rate", "coverage", "behind", "open", "overdue", "accidents", "deaths", "assessment")
NO_PLAN = "无监管计划"  # the coverage cell of a town without any plan line that year (not 0 % nor 100 %)
HIDDEN = "hidden"  # the reader may not see the town's assessment results


@dataclass
class TownFigures:
    town: Town
    met: int
    missed: int
    behind: int
    hazards_open: int
    hazards_overdue: int
    accidents: int
    deaths: int
    grades: list[tuple[str, int]]
    # The latest published assessment (yigang.assessment.standing.Standing), None if none, HIDDEN if not theirs.
    assessment: Any = None
    # The supervision plans' coverage (yigang.places.coverage.Totals) of the year as of today; None: no plan line.
    coverage: Any = None

    @property
    def name(self) -> str:
        return self.town.name

    @property
    def url(self) -> str:
        """The drill-down: the town's read-only page."""
        return reverse("county:town", args=[self.town.pk])

    @property
    def coverage_rate(self) -> float | None:
        """Covered periods / judged periods to one decimal, as the town's coverage page says; None: nothing
        judged yet, or no plan (`coverage_text` tells the two apart)."""
        return None if self.coverage is None else self.coverage.rate

    @property
    def coverage_text(self) -> str:
        return coverage_text(self.coverage)

    @property
    def rate(self) -> int | None:
        return rate_of(self.met, self.missed)


def rate_of(met: int, missed: int) -> int | None:
    """Met over judged (met + missed), a whole percent rounded half up; None when nothing is judged."""
    judged = met + missed
    if not judged:
        return None
    return (200 * met + judged) // (2 * judged)


def coverage_text(coverage: Any) -> str:
    """A coverage cell: 无监管计划 without a plan line, "—" while nothing is judged, else the rate."""
    if coverage is None:
        return _("无监管计划")
    return "—" if coverage.rate is None else f"{coverage.rate}%"


def figures(user: Any, town: Town, year: int, today: datetime.date) -> TownFigures:
    """One town's figures for `year` (the town's page; the county list batches the same for all its towns)."""
    from yigang.duties.cache import town_year

    row = _figures(
        town,
        town_year(town, year, today=today),
        _hazards_by_town(user, [town], today).get(town.pk, (0, 0)),
        _accidents_by_town(user, [town], year)[town.pk],
    )
    _with_coverage(user, [row], year, today)
    return row


def readable_towns(user: Any) -> Any:
    return towns_for(user, WHOLE_TOWN_ROLES).order_by("name")


def _sorted(rows: list[Any], sort: str) -> list[Any]:
    """Rows (a town's figures, or a region's: both have these attributes) in the order `sort` asks."""
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = "name", "name"
    reverse = sort.startswith("-")
    if key == "name":
        return sorted(rows, key=lambda r: r.name, reverse=reverse)
    if key == "rate":  # towns without a rate sort last either way
        have = sorted((r for r in rows if r.rate is not None), key=lambda r: r.rate or 0, reverse=reverse)
        return have + [r for r in rows if r.rate is None]
    if key == "coverage":  # towns with nothing judged, then those without a plan, last either way
        rated = [r for r in rows if r.coverage_rate is not None]
        rated.sort(key=lambda r: (r.coverage_rate or 0.0, r.name), reverse=reverse)
        unrated = sorted(
            (r for r in rows if r.coverage_rate is None), key=lambda r: (r.coverage is None, r.name)
        )
        return rated + unrated
    if key == "assessment":  # by the mean score; towns with nothing published (or not shown) last either way
        scored = [r for r in rows if _mean(r) is not None]
        scored.sort(key=lambda r: (_mean(r), r.name), reverse=reverse)
        return scored + sorted((r for r in rows if _mean(r) is None), key=lambda r: r.name)
    attr = {"open": "hazards_open", "overdue": "hazards_overdue"}.get(key, key)
    return sorted(rows, key=lambda r: (getattr(r, attr), r.name), reverse=reverse)


def _mean(row: Any) -> Any:
    standing = row.assessment
    return None if standing is None or standing == HIDDEN else standing.average


def _all(request: HttpRequest, year: int) -> list[TownFigures]:
    """The reader's towns' figures; `?county=NAME` narrows them to one county (a county with no Region row,
    reached from the viewer's comparison of their places, overview/regions.py)."""
    readable = readable_towns(request.user)
    if request.GET.get("county"):
        readable = readable.filter(county=request.GET["county"])
    towns = list(readable)
    if not towns:
        raise Http404
    return town_figures(request.user, towns, year)


def town_figures(user: Any, towns: list[Town], year: int) -> list[TownFigures]:
    """Every town's figures, in `towns`' order, in a fixed number of queries whatever the number of towns."""
    from yigang.duties.cache import town_years

    today = timezone.localdate()
    # Every town's compliance at once: the ones not kept since the last write in one computation (seven queries).
    results = town_years(towns, year, today=today)
    # The hazards and accidents of all the towns in one query each, not one per town.
    hazards, accidents = (_hazards_by_town(user, towns, today), _accidents_by_town(user, towns, year))
    rows = [
        _figures(town, result, hazards.get(town.pk, (0, 0)), accidents[town.pk])
        for town, result in zip(towns, results, strict=True)
    ]
    _with_assessment(user, rows, year)
    _with_coverage(user, rows, year, today)
    return rows


def _with_coverage(user: Any, rows: list[TownFigures], year: int, today: datetime.date) -> None:
    """Each row's supervision coverage of `year` as of today, of the plan lines the reader sees (the coverage
    page's figure): every town at once, six queries whatever their number (places.coverage.compute_towns)."""
    from yigang.places.coverage import compute_towns
    from yigang.places.models import PlanItem

    reports = compute_towns([r.town for r in rows], year, at=today, plan=PlanItem.objects.for_user(user))
    for row, report in zip(rows, reports, strict=True):
        row.coverage = report.totals if report.items else None


def _hazards_by_town(user: Any, towns: list[Town], today: datetime.date) -> dict[int, tuple[int, int]]:
    """Open and overdue hazards the reader sees, by town."""
    from django.db.models import Count, Q

    from yigang.hazards.models import OPEN_STATUSES, Hazard

    counted = (
        Hazard.objects.for_user(user)
        .filter(town__in=towns, status__in=OPEN_STATUSES)
        .order_by()
        .values("town_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
    )
    return {row["town_id"]: (row["open"], row["overdue"]) for row in counted}


def _accidents_by_town(user: Any, towns: list[Town], year: int) -> dict[int, Any]:
    from yigang.accidents.models import Accident
    from yigang.accidents.stats import year_figures_by_town

    return year_figures_by_town(Accident.objects.for_user(user), year, [t.pk for t in towns])


def _figures(town: Town, result: TownYear, hazards: tuple[int, int], accidents: Any) -> TownFigures:
    from yigang.duties.compliance import Status

    counts = result.summary()
    return TownFigures(
        town=town,
        met=counts[Status.MET],
        missed=counts[Status.MISSED],
        behind=len(result.behind_now()),
        hazards_open=hazards[0],
        hazards_overdue=hazards[1],
        accidents=accidents.total.accidents,
        deaths=accidents.total.deaths,
        grades=[(r.label, r.accidents) for r in accidents.by_grade],
    )


def _with_assessment(user: Any, rows: list[TownFigures], year: int) -> None:
    """Each row's latest published assessment up to `year`, or HIDDEN where the reader may not see it (2 queries)."""
    from yigang.assessment.access import ALL_READERS
    from yigang.assessment.standing import latest_published

    towns = [r.town for r in rows]
    whole = set(
        towns_for(user, ALL_READERS).filter(pk__in=[t.pk for t in towns]).values_list("pk", flat=True)
    )
    standings = latest_published([t for t in towns if t.pk in whole], year)
    for row in rows:
        row.assessment = standings.get(row.town.pk) if row.town.pk in whole else HIDDEN


def chart_data(rows: list[Any], year: int) -> dict[str, Any]:
    """What the county chart draws: the table's own rows, in the table's order — one computation for both, so the
    picture cannot say other than the figures beside it. `rate` is None for a row with nothing judged ("—").
    A row is a town, or a region of the level below (overview/regions.py): each links to its drill-down."""
    return {
        "towns": [
            {
                "name": r.name,
                "url": f"{r.url}{'&' if '?' in r.url else '?'}year={year}",
                "rate": r.rate,
                "coverage": r.coverage_text,
                "open": r.hazards_open,
                "overdue": r.hazards_overdue,
            }
            for r in rows
        ],
        "labels": {
            "rate": _("履职完成率（%）"),
            "open": _("未销号隐患"),
            "overdue": _("逾期隐患（条）"),
            "none": _("无可判定周期"),
            "coverage": _("检查计划覆盖率"),
        },
    }


# The chart's sort buttons: (label, the order it starts in). Pressing the one in force turns its order round.
CHART_SORTS = (("rate", "rate"), ("overdue", "-overdue"), ("name", "name"))


def chart_sorts(sort: str, year: int, keep: str = "") -> list[dict[str, Any]]:
    """The chart's three sort links: by completion (lowest first), by overdue hazards (most first), by name;
    `keep` is the start of the query the page's links carry (`_keep`)."""
    labels = {"rate": _("按完成率"), "overdue": _("按逾期隐患"), "name": _("按名称")}
    links = []
    for key, first in CHART_SORTS:
        current = sort.lstrip("-") == key
        target = ("" if sort.startswith("-") else "-") + key if current else first
        links.append(
            {
                "key": key,
                "label": labels[key],
                "current": current,
                "descending": current and sort.startswith("-"),
                "href": f"?{keep}year={year}&sort={target}#county-chart",
            }
        )
    return links


def columns(first: str) -> list[tuple[str, str]]:
    """The comparison's sortable columns: (sort key, heading); `first` names the rows (乡镇, 旗县, 盟市…)."""
    return [
        ("name", first),
        ("rate", _("履职完成率")),
        ("coverage", _("检查计划覆盖率")),
        ("behind", _("落后或有风险")),
        ("open", _("未销号隐患")),
        ("overdue", _("逾期隐患")),
        ("accidents", _("事故起数")),
        ("deaths", _("死亡人数")),
        ("assessment", _("年度考核")),
    ]


@login_required
@require_GET
def town_list(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    keep = _keep(request.GET.get("county", ""))
    return comparison_page(
        request, _all(request, year), year, first=_("乡镇"), keep=keep, xlsx_url=reverse("county:towns_xlsx")
    )


def comparison_page(
    request: HttpRequest, rows: list[Any], year: int, *, first: str, keep: str = "", **more: Any
) -> TemplateResponse:
    """The comparison page (towns, or the regions of overview/regions.py): the table sorted as asked, the chart
    of the same rows; `keep` starts the query its links carry, `more` adds to the template's context."""
    sort = request.GET.get("sort", "name")
    rows = _sorted(rows, sort)
    return TemplateResponse(
        request,
        "overview/county.html",
        {
            "year": year,
            "rows": rows,
            "grades": [label for label, _n in rows[0].grades] if rows else [],
            "chart": chart_data(rows, year),
            "chart_sorts": chart_sorts(sort, year, keep=keep),
            "sort": sort,
            "columns": columns(first),
            "first": first,
            "hidden": HIDDEN,
            "keep": keep,
            **more,
        },
    )


def _keep(county: str) -> str:
    """The county a list was narrowed to, as the start of its links' query (`county=…&`), or nothing."""
    from urllib.parse import urlencode

    return f"{urlencode({'county': county})}&" if county else ""


@login_required
@require_GET
def town_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from yigang.duties.cache import town_year
    from yigang.duties.compliance import Status

    town = readable_towns(request.user).filter(pk=pk).first()
    if town is None:
        raise Http404
    year = year_param(request)
    today = timezone.localdate()
    row = figures(request.user, town, year, today)
    _with_assessment(request.user, [row], year)
    result = town_year(town, year, today=today)
    behind = sorted(
        result.behind_now(), key=lambda r: (Status.SEVERITY.index(r.status), r.post, r.period_start)
    )
    summary = [(Status.LABELS[s], n) for s, n in result.summary().items()]
    return TemplateResponse(
        request,
        "overview/county_town.html",
        {
            "year": year,
            "town": town,
            "row": row,
            "behind": behind[:100],
            "summary": summary,
            "hidden": HIDDEN,
            "crumbs": town_crumbs(request.user, town),
        },
    )


ASSESSMENT_COLUMNS = (
    "考核年度",
    "考核均分",
    "考核优秀",
    "考核良好",
    "考核合格",
    "考核不合格",
    "一票否决单位",
)


def _assessment_cells(row: TownFigures) -> list[Any]:
    """The assessment's cells of a town's row: the year and figures, or why there are none."""
    blank = [""] * (len(ASSESSMENT_COLUMNS) - 1)
    if row.assessment == HIDDEN:
        return ["无权查看", *blank]
    if row.assessment is None:
        return ["未发布", *blank]
    a = row.assessment
    mean = "—" if a.average is None else float(a.average)
    return [a.year, mean, *[n for _grade, n in a.grades], a.vetoed_units]


@login_required
@require_GET
def town_xlsx(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    rows = _sorted(_all(request, year), request.GET.get("sort", "name"))
    body = comparison_xlsx(
        rows,
        first="乡镇",
        title=f"{year} 年各乡镇安全生产责任落实对比",
        assessment=(ASSESSMENT_COLUMNS, _assessment_cells),
    )
    audit("export.county", actor=request.user, object_repr=f"{year}", ip=request.META.get("REMOTE_ADDR"))
    return export_file(body, XLSX, f"{year}年各乡镇对比.xlsx", f"county-{year}.xlsx")


def comparison_xlsx(rows: list[Any], *, first: str, title: str, assessment: tuple[Any, Any]) -> bytes:
    """The comparison as an .xlsx: the table's columns, then accidents by grade, then the assessment's own
    (`assessment`: its column names and the function giving a row's cells). Rows are towns or regions."""
    from yigang.exports.excel import render_xlsx

    names, cells = assessment
    grades = [label for label, _n in rows[0].grades] if rows else []
    columns = [
        first,
        "履职完成率（%）",
        "检查计划覆盖率（%）",
        "落后或有风险",
        "未销号隐患",
        "逾期隐患",
        "事故起数",
        "死亡人数",
        *grades,
        *names,
    ]
    return render_xlsx(
        sheet=f"{first}对比",
        title=title,
        columns=columns,
        rows=[
            [
                r.name,
                "—" if r.rate is None else r.rate,
                NO_PLAN if r.coverage is None else ("—" if r.coverage_rate is None else r.coverage_rate),
                r.behind,
                r.hazards_open,
                r.hazards_overdue,
                r.accidents,
                r.deaths,
                *[n for _label, n in r.grades],
                *cells(r),
            ]
            for r in rows
        ],
        widths=(16, 14, 16, 12, 12, 10, 10, 10, *[8] * len(grades), *[10] * len(names)),
    )
