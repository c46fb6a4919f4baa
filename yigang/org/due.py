"""What is due: the period a frequency duty counts over, as of a day in the town's calendar (Asia/Shanghai).

Only the requirement and its window are computed here; how many times a duty was done in the window is the
duties app's business (duty records), so nothing here guesses a count.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from yigang.regulations.choices import Period


@dataclass(frozen=True)
class Window:
    period: str
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def label(self) -> str:
        if self.period == Period.WEEK:
            return f"{self.start:%Y-%m-%d}—{self.end:%m-%d}"
        if self.period == Period.MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.period == Period.QUARTER:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.period == Period.HALF_YEAR:
            return f"{self.start.year}年{'上' if self.start.month == 1 else '下'}半年"
        if self.period == Period.TWO_WEEKS:
            return f"{self.start:%Y-%m-%d}—{self.end:%m-%d}"
        if self.period == Period.TEN_DAYS:
            return (
                f"{self.start.year}年{self.start.month}月{('上', '中', '下')[(self.start.day - 1) // 10]}旬"
            )
        if self.period == Period.HALF_MONTH:
            return f"{self.start.year}年{self.start.month}月{'上' if self.start.day == 1 else '下'}半月"
        if self.period == Period.TWO_MONTHS:
            return f"{self.start.year}年{self.start.month}—{self.end.month}月"
        return f"{self.start.year}年"

    def days_left(self, day: datetime.date) -> int:
        """Days from `day` to the end of the window, `day` and the last day included (see `days_left`)."""
        return days_left(self.end, day)


def days_left(end: datetime.date, day: datetime.date) -> int:
    """剩余天数: the days from `day` to a period's last day `end`, both included — 1 on the last day itself, 7 on
    the Monday of a week. The one count the person page and the home page show (issue 27 point 7): calendar days
    in Asia/Shanghai, as the periods themselves are."""
    return (end - day).days + 1


def window(period: str, day: datetime.date) -> Window:
    """The calendar period of kind `period` that holds `day` (weeks run Monday to Sunday)."""
    if period == Period.WEEK:
        start = day - datetime.timedelta(days=day.weekday())
        return Window(period, start, start + datetime.timedelta(days=6))
    if period == Period.MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return Window(period, day.replace(day=1), day.replace(day=last))
    if period == Period.QUARTER:
        first = 3 * ((day.month - 1) // 3) + 1
        last_month = first + 2
        last = calendar.monthrange(day.year, last_month)[1]
        return Window(period, datetime.date(day.year, first, 1), datetime.date(day.year, last_month, last))
    if period == Period.HALF_YEAR:
        if day.month <= 6:
            return Window(period, datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30))
        return Window(period, datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31))
    if period == Period.YEAR:
        return Window(period, datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))
    if period in (Period.TWO_WEEKS, Period.TEN_DAYS, Period.HALF_MONTH, Period.TWO_MONTHS):
        # One definition of these periods, compliance's (fortnights count from a fixed Monday).
        from yigang.regulations.periods import period_containing

        span = period_containing(period, day)
        return Window(period, span.start, span.end)
    raise ValueError(f"unknown period {period!r}")
