"""Working days on the Chinese statutory calendar (法定节假日 and the 调休 working weekends).

The calendar comes from `chinese_calendar` (PyPI `chinesecalendar`), which ships each year's schedule once the
State Council publishes it (usually in November for the next year). For a year it does not know yet, counting
falls back to Monday–Friday and says so: a deadline must still be given, and the warning tells the officer to
check it against the published schedule.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import chinese_calendar

# A deadline further out than this is not a hazard deadline but a typo.
MAX_WORKING_DAYS = 365


@dataclass
class Deadline:
    day: datetime.date
    warnings: list[str] = field(default_factory=list)


def known_years() -> tuple[int, int]:
    """The first and last year the installed calendar knows."""
    from chinese_calendar import constants

    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return min(years), max(years)


def is_working_day(day: datetime.date) -> tuple[bool, bool]:
    """(working day?, known to the statutory calendar?) — unknown years count Monday–Friday."""
    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_working_days(start: datetime.date, n: int) -> Deadline:
    """The Nth working day after `start` (`start` itself does not count, whatever day it is)."""
    if n < 1 or n > MAX_WORKING_DAYS:
        raise ValueError(f"整改期限的工作日数须在 1 到 {MAX_WORKING_DAYS} 之间。")
    day = start
    unknown: set[int] = set()
    left = n
    while left:
        day += datetime.timedelta(days=1)
        working, known = is_working_day(day)
        if not known:
            unknown.add(day.year)
        if working:
            left -= 1
    result = Deadline(day)
    if unknown:
        first, last = known_years()
        years = "、".join(str(y) for y in sorted(unknown))
        result.warnings.append(
            f"法定节假日数据只覆盖 {first}—{last} 年，{years} 年的工作日按周一至周五计算，"
            "请在国务院公布该年节假日安排后核对期限。"
        )
    return result
