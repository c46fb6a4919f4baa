"""Compliance: for every frequency duty, post and period of a year, required vs done and a status.

The rule is written down in docs/compliance.md; in short:
- the regulation version in force on each day decides which duties bind that day; a duty that continues
  unchanged from one version to the next is one duty;
- a record counts (matching kind, crediting the post, latest version, not withdrawn) for whoever held the
  post on the record's date;
- the post owes the regulation's minimum for a period it existed all of (pro rata, rounded half up, for a
  period it existed part of); that total is shared between the holders and the vacancy by days held with the
  largest-remainder method, so the shares always add up to what the post owes; each holder is judged on their
  days only; days with no holder form a "vacant" row, never a person's failure; and a post-level row judges
  the seat as a whole (`TownYear.post_rows`);
- periods not started yet, or with no day on which both the duty and the post existed, are "not applicable".

`compute()` reads everything it needs in a fixed number of queries (seven), whatever the number of records,
and then works in Python.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yigang.org.models import Post, Tenure
from yigang.regulations.choices import DutyKind, Period
from yigang.regulations.models import Duty, Regulation
from yigang.regulations.models import Status as RegulationStatus
from yigang.regulations.periods import (
    D,
    PeriodSpan,
    Span,
    days_until,
    intersect_all,
    periods_of_year,
    subtract,
    total_days,
    year_window,
)
from yigang.towns.models import Town

from .models import Credit, RecordRules, TownDuty
from .rules import matches_of, needs_lead

# Thresholds for a period still running (docs/compliance.md): behind by one whole record against a steady pace,
# or into the last third of the period with something still to do, is "at risk".
AT_RISK_ELAPSED = 2 / 3


class Source:
    """Whose duty a row judges: the regulation's, or the town's own (kept apart, marked as the town's)."""

    REGULATION = "regulation"
    TOWN = "town"


class Level:
    """What a row judges: the seat as a whole, one holder's days, or the days nobody held the post."""

    POST = "post"
    HOLDER = "holder"
    VACANCY = "vacancy"


class Status:
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NOT_APPLICABLE = "not_applicable"
    VACANT = "vacant"

    LABELS = {
        MET: _("已完成"),
        ON_TRACK: _("进行中"),
        AT_RISK: _("有风险"),
        MISSED: _("未完成"),
        NOT_APPLICABLE: _("不适用"),
        VACANT: _("岗位空缺"),
    }
    # Worst first: a heatmap cell shows the worst of its rows.
    SEVERITY = (MISSED, VACANT, AT_RISK, ON_TRACK, MET, NOT_APPLICABLE)
    BEHIND = frozenset({AT_RISK, MISSED, VACANT})


class RecordRef(NamedTuple):
    """A counted record. A tuple, not a dataclass: compute() makes one per counting credit (about 3,400 a town a
    year), and its field order is the order records are counted in — by date, then id — so a list of them sorts
    without a key function."""

    on: D
    id: int
    root_id: int
    title: str
    late: bool = False  # 补录
    led: bool = True  # the post chaired or organised it


@dataclass
class Row:
    post_id: int
    post: str
    unit: str
    unit_id: int  # what narrows a body's or village's view to its own posts (access.Part)
    person_id: int | None
    person: str | None
    duty_id: int
    article: int | None
    item: int | None
    kind: str
    period: str
    period_start: D
    period_end: D
    period_label: str
    min_count: int
    required: int
    done: int
    status: str
    spans: list[Span] = field(default_factory=list)
    records: list[RecordRef] = field(default_factory=list)
    duty_text: str = ""
    regulation_version: int = 0
    level: str = Level.HOLDER
    source: str = "regulation"  # Source.REGULATION, or Source.TOWN for the town's own duty (镇定要求)

    @property
    def late(self) -> int:
        """How many of the records counted in `done` are 补录 (entered late); they count, shown apart."""
        return sum(1 for r in self.records if r.late)

    @property
    def end(self) -> D:
        """The last day this row judges (the person's last day in the period, or the period's end)."""
        return max(s.end for s in self.spans) if self.spans else self.period_end

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])

    @property
    def kind_label(self) -> str:
        return str(DutyKind(self.kind).label)

    @property
    def place(self) -> str:
        from yigang.words import chinese_number

        if self.source == Source.TOWN:
            return str(_("本镇要求"))
        if self.article is None:
            return "—"
        return f"第{chinese_number(self.article)}条" + (f"第{self.item}项" if self.item else "")

    @property
    def frequency(self) -> str:
        return f"{Period(self.period).label}至少{self.min_count}次"

    @property
    def missing(self) -> int:
        return max(self.required - self.done, 0)

    def as_json(self) -> dict[str, Any]:
        """The row as `yigang compliance --json` and the API print it."""
        return {
            "post": self.post,
            "person": self.person,
            "article": self.article,
            "item": self.item,
            "kind": self.kind,
            "period": self.period,
            "period_start": self.period_start.isoformat(),
            "required": self.required,
            "done": self.done,
            "status": self.status,
            "level": self.level,
            "late": self.late,
            "source": self.source,
        }


@dataclass
class TownYear:
    """Holders' and vacancy rows (`rows`), and beside them one row per post, duty and period for the seat as a
    whole (`post_rows`): its required is what the post owes, and the rows of that post, duty and period in
    `rows` share it exactly."""

    town: Town
    year: int
    today: D
    rows: list[Row]
    post_rows: list[Row] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "town": self.town.name,
            "year": self.year,
            "rows": [r.as_json() for r in self.rows],
            "post_rows": [r.as_json() for r in self.post_rows],
        }

    def posts_behind_now(self) -> list[Row]:
        """Post-level rows that need attention: running periods at risk, and every period the seat missed."""
        return [
            r
            for r in self.post_rows
            if r.status == Status.MISSED
            or (r.status == Status.AT_RISK and r.period_start <= self.today <= r.period_end)
        ]

    def current(self) -> list[Row]:
        """Rows of the periods running today."""
        return [r for r in self.rows if r.period_start <= self.today <= r.period_end]

    def behind_now(self) -> list[Row]:
        """What needs attention today: running periods at risk or vacant, and every period missed this year."""
        return [
            r
            for r in self.rows
            if (r.status in Status.BEHIND and r.period_start <= self.today <= r.period_end)
            or r.status == Status.MISSED
            or (r.status == Status.VACANT and r.period_end < self.today)
        ]

    def for_person(self, person_id: int) -> list[Row]:
        return [r for r in self.rows if r.person_id == person_id]

    def late_records(self) -> int:
        """How many distinct records counted this year are 补录 (a joint record counts once)."""
        return len({ref.root_id for r in self.rows for ref in r.records if ref.late})

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(Status.SEVERITY, 0)
        for r in self.rows:
            counts[r.status] += 1
        return counts

    def heatmap_month(self, row: Row) -> int:
        """The month (1–12) a row is shown in: where its period ends, or this month while it runs."""
        day = min(row.period_end, self.today) if row.period_start <= self.today else row.period_end
        if day.year < self.year:
            return 1
        if day.year > self.year:
            return 12
        return day.month


def round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def largest_remainder(total: int, weights: list[int], last_days: list[D] | None = None) -> list[int]:
    """Share `total` in proportion to `weights` (days held) so that the shares add up to `total` exactly.

    Each share first gets the whole part of its quota `total × weight ÷ Σweights`; the records left over go one
    each to the largest remainders. Equal remainders: the share whose days end later first (it holds the post
    nearer the period's end), then the earlier in the list.
    """
    whole = sum(weights)
    if whole <= 0 or total <= 0:
        return [0] * len(weights)
    shares = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    ends = last_days or [D.min] * len(weights)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], -ends[i].toordinal(), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass
class _DutyLine:
    """One duty across the versions that carry it unchanged, with the days each version was in force."""

    key: tuple[Any, ...]
    post_kind: str
    kind: str
    period: str
    min_count: int
    article: int | None
    item: int | None
    in_force: list[tuple[Span, Duty | TownDuty, int]] = field(default_factory=list)
    post_id: int | None = None  # a town duty binds one post, not a post kind

    def binds(self, post: Post) -> bool:
        return post.pk == self.post_id if self.post_id is not None else post.kind == self.post_kind

    @property
    def source(self) -> str:
        return Source.TOWN if self.post_id is not None else Source.REGULATION

    @property
    def spans(self) -> list[Span]:
        return [span for span, _duty, _version in self.in_force]

    @property
    def needs_lead(self) -> bool:
        """The duty says 主持/组织: only records the post chaired or organised count (rules.py)."""
        return any(needs_lead(duty.text) for _span, duty, _version in self.in_force)

    def latest(self, within: Span) -> tuple[Duty | TownDuty, int]:
        """The version's duty in force on the last day of `within` that it covers."""
        covering = [(s, d, v) for s, d, v in self.in_force if s.intersect(within)]
        _span, duty, version = max(covering, key=lambda t: t[0].start)
        return duty, version


def _version_span(regulation: Regulation) -> Span:
    assert regulation.effective_from is not None
    return Span(regulation.effective_from, regulation.effective_until or D.max)


def compute(
    town: Town, year: int, *, today: D | None = None, post_ids: Iterable[int] | None = None
) -> TownYear:
    """Compliance of every post of `town` with every frequency duty over the periods of `year`."""
    return compute_towns([town], year, today=today, post_ids=post_ids)[0]


def compute_towns(
    towns: Sequence[Town], year: int, *, today: D | None = None, post_ids: Iterable[int] | None = None
) -> list[TownYear]:
    """`compute()` of each town, in the same seven queries for up to TOWNS_AT_ONCE towns (the county view;
    benchmark a): each query reads the towns' rows at once, and the rows are then worked out town by town exactly
    as for one."""
    # Hundreds of thousands of small tuples are made here and none is part of a reference cycle: the cyclic
    # collector, triggered every 700 new objects, would walk the growing lists again and again (a third of the
    # time at county scale). Reference counting frees everything as usual.
    # In groups of TOWNS_AT_ONCE, a league's hundred towns in one: the credits stream in (a server-side cursor on
    # PostgreSQL), so a group costs the records of its towns (about 0.5 MiB a town, plus its 0.5 MiB result) and
    # not the rows as well. Measured on the 100-town county: one group peaks at 174 MiB of worker RSS in 1.3 s;
    # groups of 25 took 2.0 s (each group's query walks its towns' records again, without parallel workers).
    wanted = list(post_ids) if post_ids is not None else None
    results: list[TownYear] = []
    with _collector_paused():
        for start in range(0, len(towns), TOWNS_AT_ONCE):
            group = towns[start : start + TOWNS_AT_ONCE]
            results += _compute_towns(group, year, today=today, post_ids=wanted)
    return results


TOWNS_AT_ONCE = 100


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _compute_towns(
    towns: Sequence[Town], year: int, *, today: D | None, post_ids: Iterable[int] | None
) -> list[TownYear]:
    today = today or timezone.localdate()
    window = year_window(year)
    wanted = set(post_ids) if post_ids is not None else None
    ids = [t.pk for t in towns]

    # 1. The versions in force on some day of the year.
    versions = list(
        Regulation.objects.filter(
            town_id__in=ids,
            status__in=[RegulationStatus.ACTIVE, RegulationStatus.SUPERSEDED],
            effective_from__isnull=False,
            effective_from__lte=window.end,
        ).filter(Q(effective_until__isnull=True) | Q(effective_until__gte=window.start))
    )
    by_version = {v.pk: v for v in versions}
    # 2. Their frequency duties bound to a post, one line per duty that continues unchanged across versions.
    duties = list(
        Duty.objects.filter(regulation_id__in=list(by_version), min_count__isnull=False)
        .exclude(post="")
        .exclude(period="")
        .select_related("article", "item")
        .order_by("regulation__effective_from", "position")
    )
    lines_of: dict[int, dict[tuple[Any, ...], _DutyLine]] = {pk: {} for pk in ids}
    for duty in duties:
        assert duty.min_count is not None
        regulation = by_version[duty.regulation_id]
        article = duty.article.number if duty.article else None
        item = duty.item.number if duty.item else None
        key = (duty.post, duty.kind, duty.period, duty.min_count, article, item)
        line = lines_of[regulation.town_id].setdefault(
            key, _DutyLine(key, duty.post, duty.kind, duty.period, duty.min_count, article, item)
        )
        line.in_force.append((_version_span(regulation), duty, regulation.version))

    # 3. The towns' own frequency duties (镇定要求) in force on some day of the year, one line each.
    for own in TownDuty.objects.filter(town_id__in=ids).in_force(window.start, window.end).order_by("pk"):
        span = Span(own.valid_from, own.valid_until or D.max)
        lines_of[own.town_id][("town", own.pk)] = _DutyLine(
            ("town", own.pk),
            "",
            own.kind,
            own.period,
            own.min_count,
            None,
            None,
            [(span, own, 0)],
            own.post_id,
        )
    # 4. The posts those duties bind.
    kinds_of = {
        pk: {line.post_kind for line in lines.values() if line.post_id is None}
        for pk, lines in lines_of.items()
    }
    own_posts = {line.post_id for lines in lines_of.values() for line in lines.values() if line.post_id}
    posts_qs = (
        Post.objects.filter(town_id__in=ids)
        .filter(Q(kind__in=set().union(*kinds_of.values())) | Q(pk__in=own_posts))
        .select_related("unit")
        .order_by("pk")
    )
    if wanted is not None:
        posts_qs = posts_qs.filter(pk__in=wanted)
    posts_of: dict[int, list[Post]] = {pk: [] for pk in ids}
    for post in posts_qs:
        if post.kind in kinds_of[post.town_id] or post.pk in own_posts:
            posts_of[post.town_id].append(post)
    # 5. Who held them during the year.
    tenures_by_post: dict[int, list[Tenure]] = defaultdict(list)
    for tenure in (
        Tenure.objects.filter(town_id__in=ids, start__lte=window.end)
        .filter(Q(end__isnull=True) | Q(end__gte=window.start))
        .select_related("person")
        .order_by("start")
    ):
        tenures_by_post[tenure.post_id].append(tenure)
    # 6. The records that count, crediting those posts, by post and kind. Plain tuples, no model instances:
    #    building a Credit and a DutyRecord per row was most of compute()'s time at county scale. No ORDER BY
    #    either (Credit's default ordering joins the post for its title); the lists are sorted below.
    #    The town is the record's (a credit's town is always its record's: actions.create_record): the
    #    database walks the towns' records of the year by (town, occurred_on), then each one's credits by
    #    record — instead of every credit the towns ever had. Naming the credit's town as well invited
    #    PostgreSQL, before its statistics caught up with a bulk load, to AND the credit's town index into
    #    every record's lookup (a second instead of 13 ms for a 10,000-record town). Streamed (iterator): the
    #    rows are not also kept as a list beside the RecordRefs made from them.
    credits = Credit.objects.filter(
        record__town_id__in=ids,
        record__occurred_on__gte=window.start,
        record__occurred_on__lte=window.end,
        record__amended_by__isnull=True,
        record__withdrawn=False,
    )
    if wanted is not None:
        credits = credits.filter(post_id__in=wanted)
    evidence: dict[tuple[int, str], list[RecordRef]] = defaultdict(list)
    for post_id, pk, root_id, kind, on, title, late, led in (
        credits.order_by()
        .values_list(
            "post_id",
            "record_id",
            "record__root_id",
            "record__kind",
            "record__occurred_on",
            "record__title",
            "record__is_late",
            "led",
        )
        .iterator(chunk_size=5000)
    ):
        evidence[(post_id, kind)].append(RecordRef(on, pk, root_id or pk, title, late, led))
    # 7. Which record kinds meet which duty kind (each town's table, or the defaults).
    tables: dict[int, Any] = {}
    for town_id, table in (
        RecordRules.objects.filter(town_id__in=ids).order_by("pk").values_list("town_id", "matches")
    ):
        tables.setdefault(town_id, table)

    results = []
    for town in towns:
        lines = lines_of[town.pk]
        matching = {kind: matches_of(tables.get(town.pk), kind) for kind in DutyKind.values}
        rows: list[Row] = []
        post_rows: list[Row] = []
        line_order = sorted(
            lines.values(),
            key=lambda ln: (ln.post_id is not None, ln.article or 0, ln.item or 0, ln.kind, ln.period),
        )
        for post in posts_of[town.pk]:
            found = _merged(evidence, post.pk, matching)
            exists = _post_existence(post, tenures_by_post[post.pk], window)
            for line in line_order:
                if not line.binds(post):
                    continue
                for row in _rows_for(
                    line, post, exists, tenures_by_post[post.pk], found, year, today, window
                ):
                    (post_rows if row.level == Level.POST else rows).append(row)
        results.append(TownYear(town=town, year=year, today=today, rows=rows, post_rows=post_rows))
    return results


def _merged(
    evidence: dict[tuple[int, str], list[RecordRef]], post_id: int, matching: Mapping[str, list[str]]
) -> dict[str, list[RecordRef]]:
    """A post's counting records by duty kind: the records of every kind that meets it, by date then id."""
    merged: dict[str, list[RecordRef]] = {}
    for duty_kind, record_kinds in matching.items():
        found = [t for kind in record_kinds for t in evidence.get((post_id, kind), ())]
        found.sort()  # by date, then id (RecordRef's field order; ids are unique, so no title is compared)
        merged[duty_kind] = found
    return merged


def _post_existence(post: Post, tenures: list[Tenure], window: Span) -> list[Span]:
    """The days the post existed: from the later of the post's and its unit's `valid_from` (empty: it existed
    before the register began) to the earlier of their `valid_until`. A post or unit marked abolished without
    a last day existed until the end of its last tenure."""
    starts = [d for d in (post.valid_from, post.unit.valid_from) if d is not None]
    ends = [d for d in (post.valid_until, post.unit.valid_until) if d is not None]
    first = max(starts) if starts else D.min
    if ends:
        last = min(ends)
    elif post.active and post.unit.active:
        last = D.max
    elif tenures:
        tenure_ends = [t.end for t in tenures]
        last = D.max if any(e is None for e in tenure_ends) else max(e for e in tenure_ends if e is not None)
    else:
        return []
    span = Span(max(first, window.start), min(last, window.end))
    return [span] if span.start <= span.end else []


def _count(found: list[RecordRef], days: list[D], spans: list[Span]) -> list[RecordRef]:
    """The records of `found` (in date order; `days` their dates) that fall on the days of `spans`."""
    refs: list[RecordRef] = []
    for span in spans:
        lo = bisect.bisect_left(days, span.start)
        hi = bisect.bisect_right(days, span.end)
        refs.extend(found[lo:hi])
    return refs


def _rows_for(
    line: _DutyLine,
    post: Post,
    exists: list[Span],
    tenures: list[Tenure],
    evidence: dict[str, list[RecordRef]],
    year: int,
    today: D,
    window: Span,
) -> list[Row]:
    periods = _periods(line.period, year)
    line_spans = line.spans
    if not any(intersect_all(line_spans, p) for p in periods):
        return []  # the duty binds no day of this year (an old or a future version)
    found = evidence.get(line.kind, [])
    if line.needs_lead:
        found = [t for t in found if t.led]
    days = [t.on for t in found]  # once per line, not once per period and holder
    labels = _labels(line.period, year)
    common: dict[str, Any] = {  # what every row of this post and line says
        "post_id": post.pk,
        "post": post.title,
        "unit": post.unit.name,
        "unit_id": post.unit_id,
        "kind": line.kind,
        "period": line.period,
        "article": line.article,
        "item": line.item,
        "min_count": line.min_count,
        "source": line.source,
    }
    tenure_spans = [(t, Span(t.start, t.end or D.max)) for t in tenures]
    rows = []
    for period in periods:
        bound = [
            s for span in intersect_all(line_spans, period) for s in intersect_all(exists, span)
        ]  # the days the duty bound this post in this period
        base: dict[str, Any] = {
            **common,
            "period_start": period.start,
            "period_end": period.end,
            "period_label": labels[period],
        }
        if not bound:
            duty, version = _describe(line, period)
            holder = _holder_on(tenures, period.start)
            idle: dict[str, Any] = {
                "duty_id": duty.pk,
                "required": 0,
                "done": 0,
                "status": Status.NOT_APPLICABLE,
                "duty_text": duty.text,
                "regulation_version": version,
            }
            rows.append(
                Row(
                    **base,
                    **idle,
                    person_id=holder.person_id if holder else None,
                    person=holder.person.name if holder else None,
                    level=Level.HOLDER if holder else Level.VACANCY,
                )
            )
            rows.append(Row(**base, **idle, person_id=None, person=None, level=Level.POST))
            continue
        duty, version = line.latest(Span(bound[0].start, bound[-1].end))
        held: dict[int, list[Span]] = defaultdict(list)
        people: dict[int, str] = {}
        for tenure, tenure_span in tenure_spans:
            for s in bound:
                part = s.intersect(tenure_span)
                if part:
                    held[tenure.person_id].append(part)
                    people[tenure.person_id] = tenure.person.name
        vacant = subtract(bound, [s for spans in held.values() for s in spans])
        bound_days = total_days(bound)
        # What the seat owes: the minimum for a whole period, pro rata for the part of it the post existed.
        owed = (
            line.min_count
            if bound_days == period.days
            else round_half_up(line.min_count * bound_days, period.days)
        )
        shares: list[tuple[int | None, list[Span]]] = [(pid, sorted(spans)) for pid, spans in held.items()]
        if vacant:
            shares.append((None, vacant))
        required = largest_remainder(
            owed, [total_days(spans) for _pid, spans in shares], [max(s.end for s in sp) for _p, sp in shares]
        )
        judge = functools.partial(
            _judge,
            base=base,
            period=period,
            found=found,
            found_days=days,
            today=today,
            duty=duty,
            version=version,
        )
        for (person_id, spans), share in zip(shares, required, strict=True):
            if person_id is None and held and share == 0:
                continue  # a gap too short to owe anything is not reported
            name = people[person_id] if person_id is not None else None
            rows.append(judge(spans=spans, required=share, person_id=person_id, person=name))
        rows.append(judge(spans=bound, required=owed, person_id=None, person=None, level=Level.POST))
    return rows


def _judge(
    *,
    base: dict[str, Any],
    spans: list[Span],
    period: PeriodSpan,
    required: int,
    found: list[RecordRef],
    found_days: list[D],
    today: D,
    person_id: int | None,
    person: str | None,
    duty: Duty | TownDuty,
    version: int,
    level: str | None = None,
) -> Row:
    level = level or (Level.HOLDER if person_id is not None else Level.VACANCY)
    days = total_days(spans)
    refs = _count(found, found_days, spans)
    done = len(refs)
    last = max(s.end for s in spans)
    if period.start > today:
        status = Status.NOT_APPLICABLE
    elif level == Level.VACANCY:
        status = Status.VACANT
    elif required == 0:
        status = Status.NOT_APPLICABLE
    elif done >= required:
        status = Status.MET
    elif last < today:
        status = Status.MISSED
    else:
        elapsed = days_until(spans, today) / days
        behind_pace = done < int(required * elapsed)
        status = Status.AT_RISK if behind_pace or elapsed >= AT_RISK_ELAPSED else Status.ON_TRACK
    return Row(
        **base,
        person_id=person_id,
        person=person,
        duty_id=duty.pk,
        required=required,
        done=done,
        status=status,
        spans=spans,
        records=refs,
        duty_text=duty.text,
        regulation_version=version,
        level=level,
    )


def _describe(line: _DutyLine, period: Span) -> tuple[Duty | TownDuty, int]:
    # A period the duty does not reach: name it after the version nearest in time that carries it.
    def distance(entry: tuple[Span, Duty | TownDuty, int]) -> int:
        span = entry[0]
        if span.end < period.start:
            return (period.start - span.end).days
        if span.start > period.end:
            return (span.start - period.end).days
        return 0

    _span, duty, version = min(line.in_force, key=distance)
    return duty, version


def _holder_on(tenures: list[Tenure], day: D) -> Tenure | None:
    for tenure in tenures:
        if tenure.start <= day and (tenure.end is None or tenure.end >= day):
            return tenure
    return None


@functools.lru_cache(maxsize=64)
def _periods(kind: str, year: int) -> tuple[PeriodSpan, ...]:
    """periods_of_year, made once per kind and year (they never change; PeriodSpan is frozen)."""
    return tuple(periods_of_year(kind, year))


@functools.lru_cache(maxsize=64)
def _labels(kind: str, year: int) -> Mapping[PeriodSpan, str]:
    return {period: _label(period, year) for period in _periods(kind, year)}


def _label(period: PeriodSpan, year: int) -> str:
    if period.kind in (Period.WEEK, Period.TWO_WEEKS):
        return f"{year}年{period.label}（{period.start:%m.%d}—{period.end:%m.%d}）"
    if period.kind == Period.YEAR:
        return period.label
    return f"{year}年{period.label}"
