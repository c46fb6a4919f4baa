"""Working days for a town: the years it (or its county) entered, else the chinese-calendar package, else the
statutory holidays of 《全国年节及纪念日放假办法》 (statutory.py). Every app that counts working days asks here.

`Calendar.for_town(town)` reads the town's and its county's current entries once; `add_working_days` counts on
it and says which calendar the answer rests on (the weakest year it crossed: a deadline counted partly on the
fallback is a fallback deadline, to be recomputed when that year is entered).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import chinese_calendar
from django.db.models import Q

from .models import STRENGTH, CalendarYear, Source
from .statutory import statutory_holidays

# A deadline further out than this is not a hazard deadline but a typo.
MAX_WORKING_DAYS = 365


@dataclass
class Deadline:
    day: datetime.date
    source: str
    warnings: list[str] = field(default_factory=list)
    fallback_years: list[int] = field(default_factory=list)


def package_years() -> tuple[int, int]:
    """The first and last year the installed chinese-calendar package knows."""
    from chinese_calendar import constants

    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return min(years), max(years)


def _package_knows(year: int) -> bool:
    first, last = package_years()
    return first <= year <= last


class Calendar:
    """The working calendar one town counts on."""

    def __init__(self, entries: list[CalendarYear]) -> None:
        # The town's own entry for a year wins over its county's.
        self.entries: dict[int, CalendarYear] = {}
        for entry in sorted(entries, key=lambda e: e.town_id is not None):
            self.entries[entry.year] = entry
        self.holidays: dict[datetime.date, str] = {}
        self.workdays: dict[datetime.date, str] = {}
        for year in sorted(self.entries):
            entry = self.entries[year]
            for iso, name in entry.holidays.items():
                self.holidays[datetime.date.fromisoformat(iso)] = name
            for iso, name in entry.workdays.items():
                self.workdays[datetime.date.fromisoformat(iso)] = name

    @classmethod
    def for_town(cls, town: Any) -> Calendar:
        if town is None:
            return cls([])
        scope = Q(town_id=town.pk)
        if getattr(town, "county", ""):
            scope |= Q(town__isnull=True, county=town.county)
        return cls(list(CalendarYear.objects.filter(scope, replaced_at__isnull=True)))

    def source(self, year: int) -> str:
        if year in self.entries:
            return Source.NOTICE
        if _package_knows(year):
            return Source.PACKAGE
        return Source.STATUTORY

    def is_working_day(self, day: datetime.date) -> tuple[bool, str]:
        """(working day?, the calendar that says so)."""
        if day.year in self.entries or day in self.holidays or day in self.workdays:
            # A notice decides its year; its 元旦 item may also name December days of the year before.
            if day in self.holidays:
                return False, Source.NOTICE
            if day in self.workdays:
                return True, Source.NOTICE
            if day.year in self.entries:
                return day.weekday() < 5, Source.NOTICE
        if _package_knows(day.year):
            try:
                return bool(chinese_calendar.is_workday(day)), Source.PACKAGE
            except NotImplementedError:  # pragma: no cover - inside the package's years
                pass
        return day.weekday() < 5 and day not in statutory_holidays(day.year), Source.STATUTORY

    def add_working_days(self, start: datetime.date, n: int) -> Deadline:
        """The Nth working day after `start` (`start` itself does not count, whatever day it is)."""
        if n < 1 or n > MAX_WORKING_DAYS:
            raise ValueError(f"整改期限的工作日数须在 1 到 {MAX_WORKING_DAYS} 之间。")
        day = start
        weakest = Source.NOTICE
        fallback: set[int] = set()
        left = n
        while left:
            day += datetime.timedelta(days=1)
            working, source = self.is_working_day(day)
            if STRENGTH[Source(source)] < STRENGTH[Source(weakest)]:
                weakest = Source(source)
            if source == Source.STATUTORY:
                fallback.add(day.year)
            if working:
                left -= 1
        result = Deadline(day=day, source=str(weakest), fallback_years=sorted(fallback))
        if fallback:
            years = "、".join(str(y) for y in sorted(fallback))
            result.warnings.append(
                f"{years} 年的放假安排通知尚未录入，工作日按《全国年节及纪念日放假办法》的法定节日推算"
                "（不含调休）；录入通知后，未办结隐患的期限将自动重算。"
            )
        return result

    def year(self, year: int) -> dict[str, Any]:
        """`yigang calendar show`: the year's source, its holidays and the weekend days that are working days."""
        source = self.source(year)
        if source == Source.NOTICE:
            entry = self.entries[year]
            holidays = entry.holiday_dates()
            workdays = entry.workday_dates()
        elif source == Source.PACKAGE:
            from chinese_calendar import constants

            holidays = sorted(d for d in constants.holidays if d.year == year)
            workdays = sorted(d for d in constants.workdays if d.year == year)
        else:
            holidays = sorted(statutory_holidays(year))
            workdays = []
        # December days of this year named by next year's notice (元旦 from 30 or 31 December) count too.
        nxt = self.entries.get(year + 1)
        if nxt is not None:
            late_off = {d for d in nxt.holiday_dates() if d.year == year}
            late_on = {d for d in nxt.workday_dates() if d.year == year}
            holidays = sorted((set(holidays) - late_on) | late_off)
            workdays = sorted((set(workdays) - late_off) | late_on)
        return {
            "year": year,
            "source": str(source),
            "holidays": [d.isoformat() for d in holidays],
            "workdays": [d.isoformat() for d in workdays],
        }


def add_working_days(start: datetime.date, n: int, town: Any = None) -> Deadline:
    """The Nth working day after `start` on `town`'s calendar (no town: the package and the statutory days)."""
    return Calendar.for_town(town).add_working_days(start, n)


def missing_years(town: Any, today: datetime.date) -> list[int]:
    """Years the town counts on the statutory fallback that its officer should enter now: this year, and from
    November on next year (the State Council publishes the next year's schedule in October to December)."""
    cal = Calendar.for_town(town)
    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [y for y in wanted if cal.source(y) == Source.STATUTORY]
