"""The periods of a year a frequency duty counts over, on the Asia/Shanghai calendar, and day intervals.

Weeks are ISO weeks (Monday to Sunday) of the ISO year, so week 1 of 2025 starts on 2024-12-30 and the year
has 52 or 53 weeks. Fortnights (两周) are fourteen days from Monday to the Sunday of the next week, counted
without a break from FORTNIGHT_EPOCH (Monday 4 January 2027, the first day of ISO week 1 of 2027): each
belongs to the ISO year of its first Monday, so a year has 26 or 27 of them and the last may end in the next
year (docs/compliance.md says why). Every other period lies inside the calendar year: 旬 (1–10, 11–20, 21 to
the month's end), 半月 (1–15, 16 to the end), 两个月 (January–February … November–December), month, quarter,
half-year and year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .choices import Period

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
TEN_DAYS = ("上旬", "中旬", "下旬")
HALF_MONTHS = ("上半月", "下半月")
# Fortnights run every 14 days from this Monday, backwards and forwards (docs/compliance.md, Periods).
FORTNIGHT_EPOCH = D(2027, 1, 4)
FORTNIGHT = datetime.timedelta(days=14)


@dataclass(frozen=True, order=True)
class Span:
    """A run of whole days, both ends included."""

    start: D
    end: D

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, D) and self.start <= day <= self.end

    def intersect(self, other: Span) -> Span | None:
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Span(start, end) if start <= end else None


@dataclass(frozen=True)
class PeriodSpan(Span):
    kind: str = Period.YEAR
    label: str = ""


def local_date(moment: datetime.datetime) -> D:
    """The Asia/Shanghai calendar date of an aware moment (23:30 on 31 January in Beijing is January)."""
    return timezone.localtime(moment).date()


def _month_end(year: int, month: int) -> D:
    return (D(year + (month == 12), month % 12 + 1, 1)) - ONE_DAY


def periods_of_year(kind: str, year: int) -> list[PeriodSpan]:
    """Every period of `kind` that belongs to `year`, in order."""
    if kind == Period.WEEK:
        first = D.fromisocalendar(year, 1, 1)
        weeks = D(year, 12, 28).isocalendar().week
        return [
            PeriodSpan(
                first + datetime.timedelta(weeks=n),
                first + datetime.timedelta(weeks=n, days=6),
                kind,
                f"第{n + 1}周",
            )
            for n in range(weeks)
        ]
    if kind == Period.TWO_WEEKS:
        return _fortnights(year)
    if kind == Period.TEN_DAYS:
        return [
            PeriodSpan(
                D(year, m, 1 + 10 * t),
                D(year, m, 10 + 10 * t) if t < 2 else _month_end(year, m),
                kind,
                f"{m}月{TEN_DAYS[t]}",
            )
            for m in range(1, 13)
            for t in range(3)
        ]
    if kind == Period.HALF_MONTH:
        return [
            PeriodSpan(
                D(year, m, 1 + 15 * h),
                D(year, m, 15) if h == 0 else _month_end(year, m),
                kind,
                f"{m}月{HALF_MONTHS[h]}",
            )
            for m in range(1, 13)
            for h in range(2)
        ]
    if kind == Period.MONTH:
        return [PeriodSpan(D(year, m, 1), _month_end(year, m), kind, f"{m}月") for m in range(1, 13)]
    if kind == Period.TWO_MONTHS:
        return [
            PeriodSpan(D(year, m, 1), _month_end(year, m + 1), kind, f"{m}—{m + 1}月")
            for m in range(1, 13, 2)
        ]
    if kind == Period.QUARTER:
        return [
            PeriodSpan(D(year, 3 * q + 1, 1), _month_end(year, 3 * q + 3), kind, QUARTERS[q])
            for q in range(4)
        ]
    if kind == Period.HALF_YEAR:
        return [
            PeriodSpan(D(year, 1, 1), D(year, 6, 30), kind, "上半年"),
            PeriodSpan(D(year, 7, 1), D(year, 12, 31), kind, "下半年"),
        ]
    if kind == Period.YEAR:
        return [PeriodSpan(D(year, 1, 1), D(year, 12, 31), kind, f"{year}年")]
    raise ValueError(f"unknown period kind {kind!r}")


def _fortnight_at(start: D) -> PeriodSpan:
    """The fortnight that starts on the Monday `start` (a Monday FORTNIGHT_EPOCH + 14·n)."""
    second = start + datetime.timedelta(days=7)
    first_week, second_week = start.isocalendar(), second.isocalendar()
    if first_week.year == second_week.year:
        label = f"第{first_week.week}—{second_week.week}周"
    else:
        label = f"第{first_week.week}周—{second_week.year}年第{second_week.week}周"
    return PeriodSpan(start, start + FORTNIGHT - ONE_DAY, Period.TWO_WEEKS, label)


def _fortnights(year: int) -> list[PeriodSpan]:
    """The fortnights whose first Monday lies in ISO year `year` (26 or 27 of them)."""
    first_monday = D.fromisocalendar(year, 1, 1)
    n = -(-(first_monday - FORTNIGHT_EPOCH).days // 14)  # the first fortnight starting on or after it
    result = []
    start = FORTNIGHT_EPOCH + n * FORTNIGHT
    while start.isocalendar().year == year:
        result.append(_fortnight_at(start))
        start += FORTNIGHT
    return result


def year_window(year: int) -> Span:
    """The days any period of `year` may cover (ISO weeks reach a few days into the next and previous years,
    the last fortnight up to thirteen days into the next)."""
    weeks = periods_of_year(Period.WEEK, year)
    fortnights = _fortnights(year)
    return Span(min(D(year, 1, 1), weeks[0].start), max(D(year, 12, 31), weeks[-1].end, fortnights[-1].end))


def period_year(kind: str, day: D) -> int:
    """The year whose periods of `kind` hold `day` (ISO weeks and fortnights: the ISO year of their Monday)."""
    if kind == Period.WEEK:
        return day.isocalendar().year
    if kind == Period.TWO_WEEKS:
        return period_containing(kind, day).start.isocalendar().year
    return day.year


def period_containing(kind: str, day: D) -> PeriodSpan:
    if kind == Period.TWO_WEEKS:
        n = (day - FORTNIGHT_EPOCH).days // 14
        return _fortnight_at(FORTNIGHT_EPOCH + n * FORTNIGHT)
    year = day.isocalendar().year if kind == Period.WEEK else day.year
    return next(p for p in periods_of_year(kind, year) if day in p)


def intersect_all(spans: list[Span], other: Span) -> list[Span]:
    return [s for s in (span.intersect(other) for span in spans) if s is not None]


def subtract(spans: list[Span], cut: list[Span]) -> list[Span]:
    """The days of `spans` that no span of `cut` covers."""
    result: list[Span] = []
    for span in spans:
        pieces = [span]
        for c in cut:
            next_pieces = []
            for p in pieces:
                if c.end < p.start or c.start > p.end:
                    next_pieces.append(p)
                    continue
                if p.start < c.start:
                    next_pieces.append(Span(p.start, c.start - ONE_DAY))
                if c.end < p.end:
                    next_pieces.append(Span(c.end + ONE_DAY, p.end))
            pieces = next_pieces
        result.extend(pieces)
    return result


def total_days(spans: list[Span]) -> int:
    return sum(s.days for s in spans)


def days_until(spans: list[Span], day: D) -> int:
    """How many days of `spans` fall on or before `day`."""
    return sum(s.days for s in (span.intersect(Span(D.min, day)) for span in spans) if s is not None)
