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

`compute()` reads everything in five queries, whatever the number of places and records.
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
    report = CoverageReport(town=town.name, year=year, at=today)
    year_span = Span(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    base = plan if plan is not None else PlanItem.objects.all()
    items_qs = base.filter(town=town, year=year).select_related("unit", "place")
    if units is not None:
        items_qs = items_qs.filter(unit_id__in=units)
    if places is not None:
        items_qs = items_qs.filter(place_id__in=places)
    items = list(items_qs.order_by("unit__name", "place__name", "id"))
    if not items:
        return report
    place_ids = {i.place_id for i in items}
    unit_ids = {i.unit_id for i in items}
    place_sectors: dict[int, set[int]] = defaultdict(set)
    for place_id, sector_id in Place.sectors.through.objects.filter(place_id__in=place_ids).values_list(
        "place_id", "sector_id"
    ):
        place_sectors[place_id].add(sector_id)
    supervisions: dict[int, list[tuple[int, Span]]] = defaultdict(list)
    for s in (
        Supervision.objects.filter(unit_id__in=unit_ids)
        .filter(Q(start__isnull=True) | Q(start__lte=year_span.end))
        .filter(Q(end__isnull=True) | Q(end__gte=year_span.start))
    ):
        span = _span(s.start, s.end, year_span)
        if span is not None:
            supervisions[s.unit_id].append((s.sector_id, span))

    kinds = matches_of(RecordRules.for_town(town).matches, DutyKind.INSPECTION)
    counting = DutyRecord.objects.filter(town=town, kind__in=kinds).counting()
    links = list(
        InspectedPlace.objects.filter(
            place_id__in=place_ids,
            record__in=counting.filter(occurred_on__range=(year_span.start, year_span.end)),
        ).values_list("place_id", "record_id", "record__occurred_on")
    )
    credited: dict[int, set[int]] = defaultdict(set)
    for record_id, unit_id in Credit.objects.filter(record_id__in={r for _p, r, _d in links}).values_list(
        "record_id", "post__unit_id"
    ):
        credited[record_id].add(unit_id)
    visits: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
    for place_id, record_id, day in links:
        for unit_id in credited[record_id]:
            visits[(unit_id, place_id)].append(day)

    for item in items:
        unit, place = item.unit, item.place
        alive = _span(unit.valid_from, unit.valid_until, year_span)
        open_ = _span(place.opened, place.closed, year_span)
        spans: list[Span] = []
        if alive is not None and open_ is not None:
            for sector_id, span in supervisions[unit.pk]:
                if sector_id not in place_sectors[place.pk]:
                    continue
                held = span.intersect(alive)
                held = held.intersect(open_) if held is not None else None
                if held is not None:
                    spans.append(held)
        spans = _merge(spans)
        # Inspections after `at` are not yet on the record as of that day (a coverage asked of a past day).
        days_visited = sorted(
            d for d in visits[(unit.pk, place.pk)] if d <= today and any(d in s for s in spans)
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
        entry = ItemRow(
            item.pk, unit.pk, unit.name, place.pk, place.name, item.period, item.count, rows, totals
        )
        report.items.append(entry)
        report.by_unit.setdefault(unit.pk, (unit.name, Totals()))[1].add(totals)
        report.by_place.setdefault(place.pk, (place.name, Totals()))[1].add(totals)
        report.totals.add(totals)
    return report
