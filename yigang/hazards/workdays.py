"""Hazard deadlines in working days, counted on the town's working calendar (yigang/workcalendar).

The calendar is the year the town (or its county) entered from the State Council's notice, else the
chinese-calendar package, else the statutory holidays of 《全国年节及纪念日放假办法》; the deadline records which
(`Hazard.deadline_calendar`), and a deadline counted on the fallback is recomputed when the year is entered
(recalendar.py).
"""

from __future__ import annotations

import datetime
from typing import Any

from yigang.workcalendar.days import MAX_WORKING_DAYS, Deadline, package_years
from yigang.workcalendar.days import add_working_days as _count

__all__ = ["MAX_WORKING_DAYS", "Deadline", "add_working_days", "known_years"]


def known_years() -> tuple[int, int]:
    """The first and last year the installed chinese-calendar package knows."""
    return package_years()


def add_working_days(start: datetime.date, n: int, town: Any = None) -> Deadline:
    """The Nth working day after `start` (`start` itself does not count, whatever day it is)."""
    return _count(start, n, town)
