"""The statutory clocks of an accident (493号令): the 1-hour report, the 补报 window, the investigation report.

Pure functions of times and dates, so the rules are tested without a database:
- the unit head reports to the county within 1 hour of learning of it (Art. 9); later is 迟报, with the delay;
- casualty changes within 30 days of the accident, 7 for road-traffic and fire accidents, are 补报 (Art. 13);
- the investigation report is due within 60 days, one extension of at most 60 days (Art. 29).

The 1-hour report is exact to the minute. A window counted in days follows 《民法典》 Art. 201 and 203: the day
of the accident is not counted, counting starts the next day (Asia/Shanghai), and the last day ends at 24:00 —
so an accident at any time on 3 June has a 7-day window whose last day is 10 June, closing at the instant
11 June 00:00 (exclusive: 23:59:59 on 10 June is inside, 00:00 on 11 June is not). Art. 203's holiday rule (a
last day that falls on a statutory holiday moves to the day after) is not applied to either clock: the 补报
window is a window on facts (casualties that change within it), not a time for an act at an office; the
investigation's deadline binds the government's own investigation group, which Art. 29 lets the government
extend (docs/dates.md says so).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from yigang.words import span_in_words

from .models import AccidentKind

REPORT_LIMIT = datetime.timedelta(hours=1)
SUPPLEMENT_DAYS = 30
SUPPLEMENT_DAYS_SHORT = 7  # road traffic and fire
INVESTIGATION_DAYS = 60
MAX_EXTENSION_DAYS = 60


def report_deadline(learned_at: datetime.datetime) -> datetime.datetime:
    return learned_at + REPORT_LIMIT


def late_by(
    learned_at: datetime.datetime, reported_at: datetime.datetime | None
) -> datetime.timedelta | None:
    """How far past the 1-hour limit the county was told; None when in time (exactly 1 hour is in time)."""
    if reported_at is None:
        return None
    delay = reported_at - report_deadline(learned_at)
    return delay if delay > datetime.timedelta(0) else None


def supplement_days(kind: str) -> int:
    return (
        SUPPLEMENT_DAYS_SHORT if kind in (AccidentKind.ROAD_TRAFFIC, AccidentKind.FIRE) else SUPPLEMENT_DAYS
    )


def last_day(start: datetime.date, days: int) -> datetime.date:
    """The last day of a period of `days` days counted from the day after `start` (民法典 Art. 201)."""
    return start + datetime.timedelta(days=days)


def midnight_after(day: datetime.date) -> datetime.datetime:
    """24:00 of `day` in Asia/Shanghai (民法典 Art. 203): the first instant no longer inside the day."""
    tz = timezone.get_default_timezone()
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), tzinfo=tz)


def supplement_last_day(occurred_at: datetime.datetime, kind: str) -> datetime.date:
    """The last day on which a casualty change is a 补报 (day 7, or day 30, after the accident's day)."""
    return last_day(timezone.localtime(occurred_at).date(), supplement_days(kind))


def supplement_deadline(occurred_at: datetime.datetime, kind: str) -> datetime.datetime:
    """The instant the 补报 window closes: 24:00 of its last day (exclusive)."""
    return midnight_after(supplement_last_day(occurred_at, kind))


def within_window(occurred_at: datetime.datetime, kind: str, at: datetime.datetime) -> bool:
    """Whether a change made at `at` is a 补报 in time: any moment of the last day still counts, 00:00 the
    next day does not."""
    return at < supplement_deadline(occurred_at, kind)


def investigation_due(occurred_on: datetime.date, extension_days: int = 0) -> datetime.date:
    """The last day for the investigation report: day 60 after the accident's day, plus the extension."""
    return last_day(occurred_on, INVESTIGATION_DAYS + extension_days)


@dataclass(frozen=True)
class Clock:
    """One clock on the accident's page: what is due, by when, and where it stands now."""

    label: str
    deadline: datetime.datetime
    done_at: datetime.datetime | None
    now: datetime.datetime
    window: bool = False  # a window that closes (补报), not a task to do
    # Counted in days: `deadline` is 24:00 of the last day, the first instant outside the period (exclusive);
    # otherwise (the 1-hour report) the deadline itself is still in time.
    in_days: bool = False

    def _in_time(self, moment: datetime.datetime) -> bool:
        return moment < self.deadline if self.in_days else moment <= self.deadline

    @property
    def state(self) -> str:
        """met (done in time), late (done after), open (running), overdue (running, past the deadline)."""
        if self.done_at is not None:
            return "met" if self._in_time(self.done_at) else "late"
        return "open" if self._in_time(self.now) else "overdue"

    @property
    def deadline_text(self) -> str:
        """The deadline as a person reads it: "2025-06-10 24:00" for a period in days, else to the minute."""
        if self.in_days:
            last = timezone.localtime(self.deadline).date() - datetime.timedelta(days=1)
            return f"{last:%Y-%m-%d} 24:00"
        return f"{timezone.localtime(self.deadline):%Y-%m-%d %H:%M}"

    @property
    def remaining(self) -> datetime.timedelta:
        """Time left (positive) or overdue (negative) measured at the moment it was done, else now."""
        return self.deadline - (self.done_at or self.now)

    @property
    def text(self) -> str:
        span = span_in_words(abs(self.remaining))
        if self.window:
            return f"剩余{span}" if self.state == "open" else f"已截止{span}"
        return {
            "met": f"按时完成（提前{span}）" if self.remaining else "按时完成",
            "late": f"逾期{span}完成",
            "open": f"剩余{span}",
            "overdue": f"已逾期{span}",
        }[self.state]


def for_accident(accident: Any, now: datetime.datetime | None = None) -> list[Clock]:
    """The accident's three clocks as they stand `now`."""
    now = now or timezone.now()
    report = accident.latest
    extension = _related(accident, "extension")
    investigation = _related(accident, "investigation")
    due = investigation_due(report.occurred_on, extension.days if extension else 0)
    done = None
    if investigation is not None:
        done = datetime.datetime.combine(
            investigation.submitted_on, datetime.time(12), tzinfo=timezone.get_default_timezone()
        )
    return [
        Clock(
            "向县级应急管理等部门报告（1小时内）", report_deadline(report.learned_at), report.reported_at, now
        ),
        Clock(
            f"伤亡人数补报期限（{supplement_days(report.kind)}日）",
            supplement_deadline(report.occurred_at, report.kind),
            None,
            now,
            window=True,
            in_days=True,
        ),
        Clock(
            "事故调查报告（60日）" + (f"，已延长{extension.days}日" if extension else ""),
            midnight_after(due),
            done,
            now,
            in_days=True,
        ),
    ]


def overdue(accident: Any, now: datetime.datetime | None = None) -> list[Clock]:
    """The accident's clocks still running past their deadline (a window that closed is not a task)."""
    return [clock for clock in for_accident(accident, now) if not clock.window and clock.state == "overdue"]


def _related(accident: Any, name: str) -> Any:
    """A one-to-one row of the accident (its extension, its investigation report), or None."""
    try:
        return getattr(accident, name)
    except ObjectDoesNotExist:
        return None
