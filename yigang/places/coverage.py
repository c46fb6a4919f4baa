"""Coverage of the supervision plans: for every line of a body's plan, how many inspections each period owes
and how many the body's inspection records made there (docs/places.md).

The rule, like duty compliance (docs/compliance.md):
- a body answers for a place on the days it supervised one of the place's sectors (`Supervision` start/end, so
  a hand-over in a reorganisation ends it), the body existed (`Unit` valid dates) and the place was under
  supervision (`Place` opened/closed);
- a period owes the plan's count for a period the body answered for all of, pro rata (rounded half up) for a
  period it answered for part of — a place opened on 20 March owes nothing in March (12 of 31 days: 0.39 → 0);
- an inspection counts for the body when the current, not withdrawn version of an inspection-kind record names
  the place and credits a post of the body, on a day the body answered for the place;
- a period that has ended is judged (met or missed); a period still running counts once it is met, and never
  against the body before it ends; periods owing nothing are not applicable.

`compute()` reads everything in six queries, whatever the number of places and records (one when the town has no
plan lines); `compute_towns()` the same for many towns at once (the county view), six queries whatever their number.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils import timezone

from yigang.duties.models import Credit, DutyRecord, RecordRules
from yigang.duties.rules import matches_of
from yigang.org.models import Supervision
from yigang.regulations.choices import DutyKind
from yigang.regulations.periods import Span, intersect_all, periods_of_year, total_days
from yigang.towns.models import Town

from .models import InspectedPlace, Place, PlanItem


class Status:
    MET = "met"
    MISSED = "missed"
    OPEN = "open"
    UPCOMING = "upcoming"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS = {
    Status.MET: "已覆盖",
    Status.MISSED: "未覆盖",
    Status.OPEN: "进行中",
    Status.UPCOMING: "未开始",
    Status.NOT_APPLICABLE: "不适用",
}


@dataclass
class PeriodRow:
    label: str
    start: datetime.date
    end: datetime.date
    days: int  # days of the period the body answered for the place
    owed: int
    done: int
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def judged(self) -> bool:
        return self.status == Status.MISSED or (self.status == Status.MET and self.owed > 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "owed": self.owed,
            "done": self.done,
            "status": self.status,
        }


@dataclass
class Totals:
    judged: int = 0  # periods judged (ended and owing, or running and met)
    met: int = 0
    inspections: int = 0

    @property
    def rate(self) -> float | None:
        """Covered periods / judged periods, as a percentage to one decimal; None when nothing is judged."""
        return round(100 * self.met / self.judged, 1) if self.judged else None

    def add(self, other: Totals) -> None:
        self.judged += other.judged
        self.met += other.met
        self.inspections += other.inspections

    def as_dict(self) -> dict[str, Any]:
        return {"judged": self.judged, "met": self.met, "inspections": self.inspections, "rate": self.rate}


@dataclass
class ItemRow:
    item_id: int
    unit_id: int
    unit: str
    place_id: int
    place: str
    period: str
    count: int
    periods: list[PeriodRow]
    totals: Totals

    @property
    def missed(self) -> list[PeriodRow]:
        return [p for p in self.periods if p.status == Status.MISSED]

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "unit": self.unit,
            "place_id": self.place_id,
            "place": self.place,
            "period": self.period,
            "count": self.count,
            **self.totals.as_dict(),
            "periods": [p.as_dict() for p in self.periods],
        }


@dataclass
class CoverageReport:
    town: str
    year: int
    at: datetime.date
    items: list[ItemRow] = field(default_factory=list)
    by_unit: dict[int, tuple[str, Totals]] = field(default_factory=dict)
    by_place: dict[int, tuple[str, Totals]] = field(default_factory=dict)
    totals: Totals = field(default_factory=Totals)

    def for_unit(self, unit_id: int) -> list[ItemRow]:
        return [i for i in self.items if i.unit_id == unit_id]

    def for_place(self, place_id: int) -> list[ItemRow]:
        return [i for i in self.items if i.place_id == place_id]

    def as_dict(self) -> dict[str, Any]:
        return {
            "town": self.town,
            "year": self.year,
            "at": self.at.isoformat(),
            **self.totals.as_dict(),
            "units": [{"unit_id": k, "unit": name, **t.as_dict()} for k, (name, t) in self.by_unit.items()],
            "places": [
                {"place_id": k, "place": name, **t.as_dict()} for k, (name, t) in self.by_place.items()
            ],
            "items": [i.as_dict() for i in self.items],
        }


def owed(count: int, days: int, period_days: int) -> int:
    """The plan's count pro rata for the days answered for, rounded half up (12 of 31 days of 1: 0)."""
    share = Fraction(count * days, period_days)
    return int(share + Fraction(1, 2))


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start <= merged[-1].end + datetime.timedelta(days=1):
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged


def _span(start: datetime.date | None, end: datetime.date | None, within: Span) -> Span | None:
    """[start, end] (an empty bound is open) within `within`, or None when they do not meet."""
    lo, hi = start or within.start, end or within.end
    return Span(lo, hi).intersect(within) if lo <= hi else None


def compute(
    town: Town,
    year: int,
    *,
    at: datetime.date | None = None,
    units: list[int] | None = None,
    places: list[int] | None = None,
    plan: Any = None,
) -> CoverageReport:
    """Coverage of the town's plans for `year` as of `at` (default today: inspections dated after it do not count),
    optionally for some bodies or places, or for the plan lines of `plan` (a PlanItem queryset: a reader's
    `for_user`)."""
    today = at or timezone.localdate()
    base = plan if plan is not None else PlanItem.objects.all()
    items_qs = base.filter(town=town, year=year)
    if units is not None:
        items_qs = items_qs.filter(unit_id__in=units)
    if places is not None:
        items_qs = items_qs.filter(place_id__in=places)
    items = _items(items_qs)
    if not items:
        return CoverageReport(town=town.name, year=year, at=today)
    return _report(town, year, today, items, _Facts.load(items, [town], year))


def compute_towns(
    towns: list[Town], year: int, *, at: datetime.date | None = None, plan: Any = None
) -> list[CoverageReport]:
    """`compute()` of every town in `towns`, in that order, in six queries whatever the number of towns (the county
    view): each town's report is what `compute(town, year, at=at, plan=plan)` gives it alone."""
    today = at or timezone.localdate()
    base = plan if plan is not None else PlanItem.objects.all()
    items = _items(base.filter(town__in=[t.pk for t in towns], year=year)) if towns else []
    facts = _Facts.load(items, towns, year) if items else _Facts()
    by_town: dict[int, list[PlanItem]] = defaultdict(list)
    for item in items:
        by_town[item.town_id].append(item)
    return [_report(t, year, today, by_town[t.pk], facts) for t in towns]


def _items(qs: Any) -> list[PlanItem]:
    return list(qs.select_related("unit", "place").order_by("unit__name", "place__name", "id"))


@dataclass
class _Facts:
    """What the plan lines' coverage reads besides the lines: the places' sectors, the bodies' supervisions in the
    year, and the inspection days of each (body, place)."""

    place_sectors: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    supervisions: dict[int, list[tuple[int, Span]]] = field(default_factory=lambda: defaultdict(list))
    visits: dict[tuple[int, int], list[datetime.date]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, items: list[PlanItem], towns: list[Town], year: int) -> _Facts:
        facts = cls()
        year_span = Span(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        place_ids = {i.place_id for i in items}
        unit_ids = {i.unit_id for i in items}
        for place_id, sector_id in Place.sectors.through.objects.filter(place_id__in=place_ids).values_list(
            "place_id", "sector_id"
        ):
            facts.place_sectors[place_id].add(sector_id)
        for s in (
            Supervision.objects.filter(unit_id__in=unit_ids)
            .filter(Q(start__isnull=True) | Q(start__lte=year_span.end))
            .filter(Q(end__isnull=True) | Q(end__gte=year_span.start))
        ):
            span = _span(s.start, s.end, year_span)
            if span is not None:
                facts.supervisions[s.unit_id].append((s.sector_id, span))
        # Each town's own table of which record kinds meet an inspection duty (no row: the defaults).
        if len(towns) == 1:
            tables = {towns[0].pk: RecordRules.for_town(towns[0]).matches}
        else:
            tables = dict(
                RecordRules.objects.filter(town__in=[t.pk for t in towns]).values_list("town_id", "matches")
            )
        kinds = {t.pk: set(matches_of(tables.get(t.pk), DutyKind.INSPECTION)) for t in towns}
        every_kind = set().union(*kinds.values())
        counting = DutyRecord.objects.filter(town__in=[t.pk for t in towns], kind__in=every_kind).counting()
        links = [
            (place_id, record_id, day)
            for place_id, record_id, day, town_id, kind in InspectedPlace.objects.filter(
                place_id__in=place_ids,
                record__in=counting.filter(occurred_on__range=(year_span.start, year_span.end)),
            ).values_list("place_id", "record_id", "record__occurred_on", "record__town_id", "record__kind")
            if kind in kinds[town_id]
        ]
        credited: dict[int, set[int]] = defaultdict(set)
        for record_id, unit_id in Credit.objects.filter(record_id__in={r for _p, r, _d in links}).values_list(
            "record_id", "post__unit_id"
        ):
            credited[record_id].add(unit_id)
        for place_id, record_id, day in links:
            for unit_id in credited[record_id]:
                facts.visits[(unit_id, place_id)].append(day)
        return facts


def _report(
    town: Town, year: int, today: datetime.date, items: list[PlanItem], facts: _Facts
) -> CoverageReport:
    report = CoverageReport(town=town.name, year=year, at=today)
    year_span = Span(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    for item in items:
        entry = _item_row(item, year, today, year_span, facts)
        unit, place = item.unit, item.place
        report.items.append(entry)
        report.by_unit.setdefault(unit.pk, (unit.name, Totals()))[1].add(entry.totals)
        report.by_place.setdefault(place.pk, (place.name, Totals()))[1].add(entry.totals)
        report.totals.add(entry.totals)
    return report


def _item_row(item: PlanItem, year: int, today: datetime.date, year_span: Span, facts: _Facts) -> ItemRow:
    unit, place = item.unit, item.place
    alive = _span(unit.valid_from, unit.valid_until, year_span)
    open_ = _span(place.opened, place.closed, year_span)
    spans: list[Span] = []
    if alive is not None and open_ is not None:
        for sector_id, span in facts.supervisions[unit.pk]:
            if sector_id not in facts.place_sectors[place.pk]:
                continue
            held = span.intersect(alive)
            held = held.intersect(open_) if held is not None else None
            if held is not None:
                spans.append(held)
    spans = _merge(spans)
    # Inspections after `at` are not yet on the record as of that day (a coverage asked of a past day).
    days_visited = sorted(
        d for d in facts.visits[(unit.pk, place.pk)] if d <= today and any(d in s for s in spans)
    )
    rows: list[PeriodRow] = []
    totals = Totals(inspections=len(days_visited))
    for period in periods_of_year(item.period, year):
        days = total_days(intersect_all(spans, period))
        due = owed(item.count, days, period.days)
        done = sum(1 for d in days_visited if d in period)
        if due == 0:
            status = Status.NOT_APPLICABLE
        elif period.start > today:
            status = Status.UPCOMING
        elif done >= due:
            status = Status.MET
        elif period.end >= today:
            status = Status.OPEN
        else:
            status = Status.MISSED
        row = PeriodRow(period.label, period.start, period.end, days, due, done, status)
        if row.judged:
            totals.judged += 1
            totals.met += status == Status.MET
        rows.append(row)
    return ItemRow(item.pk, unit.pk, unit.name, place.pk, place.name, item.period, item.count, rows, totals)
