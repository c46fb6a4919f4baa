"""A town's regulation held against the model duties of the levels above it (issue 25.5).

A region (a 旗县, a 盟市) marks in its own regulation in force the duties it requires of every town
(`Duty.is_model`). Each model duty binds a post of the region's ("旗长") or a town post directly ("苏木镇党委书记");
the region's post table (`PostMapping`, else `choices.DEFAULT_TOWN_POST`) says which town post answers for it.

A town answers a model duty with the duties of its own regulation in force that bind that town post and ask for
the same kind of act (会议, 检查, 听取汇报 … — the key compliance counts duty records by). A duty of kind 其他 has no
such key, so its counterparts are the post's 其他 duties that share the model's words (half the model's
two-character words, at least). Of the counterparts the most frequent one is the town's answer. Frequencies are
compared per year: 每月1次 = 12, 每季度1次 = 4, 每年至少4次 = 4 (equal to 每季度), 每周 = 52. The findings:

* 尚无现行制度 — the town has no regulation in force;
* 缺少岗位 — the town's regulation binds no duty and names no post of that kind;
* 缺少职责 — the post is there, no duty of that kind;
* 频次偏低 — the best counterpart asks fewer acts a year than the model (or states none, "定期", where the
  model counts);

and a counterpart at or above the model's frequency is fine (equal or stricter), counted, not listed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from yigang.towns.models import Region, Town

from .choices import DEFAULT_TOWN_POST, DutyKind, Period, RegionPost, post_label
from .models import Duty, PostMapping, Regulation, Status

# How many periods of each kind a year holds, for comparing frequencies (ISO years of 53 weeks are rare).
PER_YEAR: dict[str, int] = {
    Period.WEEK: 52,
    Period.TWO_WEEKS: 26,
    Period.TEN_DAYS: 36,
    Period.HALF_MONTH: 24,
    Period.MONTH: 12,
    Period.TWO_MONTHS: 6,
    Period.QUARTER: 4,
    Period.HALF_YEAR: 2,
    Period.YEAR: 1,
}

NO_REGULATION = "no_regulation"
POST_MISSING = "post_missing"
DUTY_MISSING = "duty_missing"
LOWER = "lower"
FINDING_LABELS = {
    NO_REGULATION: _("尚无现行制度"),
    POST_MISSING: _("缺少岗位"),
    DUTY_MISSING: _("缺少职责"),
    LOWER: _("频次偏低"),
}


def per_year(duty: Duty) -> Fraction | None:
    """Acts a year the duty asks for; ``None`` for 定期 (no count)."""
    if duty.min_count is None or not duty.period:
        return None
    return Fraction(duty.min_count * PER_YEAR[duty.period])


def post_table(region: Region) -> dict[str, str]:
    """Each of the region's posts → the town post that answers for it ("" for none): the region's rows over the
    defaults."""
    table = {post: DEFAULT_TOWN_POST[post] for post in RegionPost.values}
    table.update(PostMapping.objects.filter(region=region).values_list("region_post", "town_post"))
    return table


def model_regulation(region: Region) -> Regulation | None:
    """The region's own regulation in force."""
    return Regulation.objects.filter(region=region, status=Status.ACTIVE).first()


@dataclass(frozen=True)
class ModelDuty:
    duty: Duty
    town_post: str  # "" when no town post answers for the region's post

    @property
    def town_post_label(self) -> str:
        return post_label(self.town_post)


@dataclass(frozen=True)
class Finding:
    """One model duty the town's regulation lacks or sets lower."""

    model: ModelDuty
    status: str
    found: Duty | None = None  # the town's best counterpart, for 频次偏低

    @property
    def label(self) -> str:
        return str(FINDING_LABELS[self.status])


@dataclass
class TownCheck:
    town: Town
    regulation: Regulation | None
    findings: list[Finding] = field(default_factory=list)
    met: int = 0  # model duties the town answers at the model's frequency or above

    @property
    def is_clear(self) -> bool:
        return self.regulation is not None and not self.findings


@dataclass
class RegionCheck:
    """One region's model against the towns below it (or one town)."""

    region: Region
    regulation: Regulation | None
    models: list[ModelDuty]
    unmapped: list[ModelDuty]  # model duties whose post no town post answers for: listed, not held
    towns: list[TownCheck]


def model_duties(region: Region, regulation: Regulation | None) -> tuple[list[ModelDuty], list[ModelDuty]]:
    """The marked duties of the region's regulation, with their town posts: (held, unmapped)."""
    if regulation is None:
        return [], []
    table = post_table(region)
    held: list[ModelDuty] = []
    unmapped: list[ModelDuty] = []
    for duty in (
        regulation.duties.filter(is_model=True).select_related("article", "item").order_by("position")
    ):
        town_post = table.get(duty.post, DEFAULT_TOWN_POST.get(duty.post, ""))
        (held if town_post else unmapped).append(ModelDuty(duty, town_post))
    return held, unmapped


def _words(text: str) -> set[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return {a + b for a, b in itertools.pairwise(chars)}


def shares_words(model: str, text: str) -> bool:
    """Whether at least half the model's two-character words stand in the text."""
    wanted = _words(model)
    return bool(wanted) and len(wanted & _words(text)) * 2 >= len(wanted)


def counterparts(model: ModelDuty, duties: Iterable[Duty]) -> list[Duty]:
    """The town duties that answer the model duty: same town post, same kind (其他: shared words)."""
    found = [d for d in duties if d.post == model.town_post and d.kind == model.duty.kind]
    if model.duty.kind == DutyKind.OTHER:
        found = [d for d in found if shares_words(model.duty.text, d.text)]
    return found


def check_town(town: Town, regulation: Regulation | None, models: list[ModelDuty]) -> TownCheck:
    """The town's regulation in force against the model duties (worked by hand in tests/regulations)."""
    result = TownCheck(town, regulation)
    if regulation is None:
        result.findings = [Finding(m, NO_REGULATION) for m in models]
        return result
    duties = list(regulation.duties.all())  # prefetched by check_region, with their articles and items
    posts = {d.post for d in duties} | {p.kind for p in regulation.posts.all()}
    for model in models:
        if model.town_post not in posts:
            result.findings.append(Finding(model, POST_MISSING))
            continue
        found = counterparts(model, duties)
        if not found:
            result.findings.append(Finding(model, DUTY_MISSING))
            continue
        wanted = per_year(model.duty)
        best = max(found, key=lambda d: per_year(d) or Fraction(0))
        got = per_year(best)
        if wanted is not None and (got is None or got < wanted):
            result.findings.append(Finding(model, LOWER, best))
        else:
            result.met += 1
    return result


def check_region(region: Region, towns: Iterable[Town]) -> RegionCheck:
    """The region's model against each of `towns` (their regulations in force read in one query)."""
    regulation = model_regulation(region)
    held, unmapped = model_duties(region, regulation)
    towns = list(towns)
    duties = Prefetch("duties", queryset=Duty.objects.select_related("article", "item"))
    in_force = {
        r.town_id: r
        for r in Regulation.objects.filter(town__in=towns, status=Status.ACTIVE).prefetch_related(
            "posts", duties
        )
    }
    checks = [check_town(t, in_force.get(t.pk), held) for t in towns] if held else []
    return RegionCheck(region, regulation, held, unmapped, checks)


def town_checks(town: Town) -> list[RegionCheck]:
    """The town against the model of each level above it that has one in force (its county first)."""
    from .regions import regions_above

    checks = [check_region(region, [town]) for region in regions_above(town)]
    return [c for c in checks if c.models]
