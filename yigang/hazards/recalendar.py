"""When a year's holiday notice is entered, open hazards whose deadline in working days touches that year are
counted again on the town's calendar; a deadline that moves (or now rests on the notice instead of the fallback)
gets a `recounted` event on the hazard saying from what to what, and is listed in the calendar's audit entry.

Registered with yigang.workcalendar.dependents in HazardsConfig.ready(): the calendar imports no domain app.
Runs inside `workcalendar.actions.enter_year`'s transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from yigang.workcalendar.days import Calendar
from yigang.workcalendar.models import Source

from .actions.base import _event
from .models import OPEN_STATUSES, EventKind, Hazard


def recompute(*, towns: list[Any], year: int, actor: Any) -> list[dict[str, Any]]:
    """Recount the open deadlines of `towns` that a notice for `year` may change; returns what moved."""
    candidates = (
        Hazard.objects.select_for_update()
        .filter(
            town__in=towns,
            status__in=OPEN_STATUSES,
            working_days__isnull=False,
            # An approved 延期整改 set its deadline by decision, not by counting: a notice does not move it.
            original_deadline__isnull=True,
            found_on__lte=datetime.date(year, 12, 31),
            # The 元旦 item of a notice may name the last days of December of the year before.
            deadline__gte=datetime.date(year - 1, 12, 1),
        )
        .order_by("id")
    )
    calendars: dict[int, Calendar] = {}
    changed: list[dict[str, Any]] = []
    for hazard in candidates:
        assert hazard.working_days is not None
        cal = calendars.get(hazard.town_id)
        if cal is None:
            cal = calendars[hazard.town_id] = Calendar.for_town(hazard.town)
        new = cal.add_working_days(hazard.found_on, hazard.working_days)
        if new.day == hazard.deadline and new.source == hazard.deadline_calendar:
            continue
        old_day, old_source = hazard.deadline, hazard.deadline_calendar
        Hazard.objects.filter(pk=hazard.pk).update(deadline=new.day, deadline_calendar=new.source)
        hazard.deadline, hazard.deadline_calendar = new.day, new.source
        labels = dict(Source.choices)
        if new.day == old_day:
            note = (
                f"录入{year}年放假安排后核对：整改期限仍为 {new.day:%Y-%m-%d}，改按{labels[new.source]}计算。"
            )
        else:
            note = (
                f"录入{year}年放假安排后重算：整改期限由 {old_day:%Y-%m-%d} 改为 {new.day:%Y-%m-%d}"
                f"（{hazard.working_days} 个工作日，按{labels[new.source]}）。"
            )
        _event(
            hazard,
            EventKind.RECOUNTED,
            actor,
            note,
            old_deadline=old_day.isoformat(),
            new_deadline=new.day.isoformat(),
            old_calendar=old_source,
            new_calendar=new.source,
            year=year,
        )
        changed.append(
            {
                "hazard": hazard.pk,
                "number": hazard.number,
                "town": hazard.town_id,
                "old_deadline": old_day.isoformat(),
                "new_deadline": new.day.isoformat(),
                "old_calendar": old_source,
                "new_calendar": new.source,
            }
        )
    return changed
