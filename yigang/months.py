"""Calendar months counted back from a day: one rule for the audit archive's retention and the accountability
file's window (31 August less six months is 28 February, or the 29th in a leap year)."""

from __future__ import annotations

import datetime


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The first day of the window of `months` calendar months ending the day before `day`."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))
