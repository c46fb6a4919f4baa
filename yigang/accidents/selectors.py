"""Reads other pages ask of the accidents: which accidents still have a statutory clock running (clocks.py).

A clock runs until it is done (the report to the county made, the investigation report submitted), whether in
time or already overdue; the 补报 window runs until it closes (a window that has closed is over, not overdue).
The clocks are computed, not stored, so the accidents are read once (their current report, extension and
investigation in the same query) and judged here: a fixed number of queries whatever their number.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from . import clocks


def running(clock: clocks.Clock) -> bool:
    """Whether `clock` is still running: not done, and for a window not yet closed."""
    if clock.done_at is not None:
        return False
    return clock.state == "open" if clock.window else clock.state in ("open", "overdue")


def with_running_clocks(
    accidents: Any, now: datetime.datetime | None = None
) -> list[tuple[Any, list[clocks.Clock]]]:
    """The accidents of `accidents` (a scoped queryset) with a clock still running, each with those clocks, the
    most recent first; one query."""
    now = now or timezone.now()
    found = []
    rows = accidents.select_related("latest__unit", "extension", "investigation").order_by(
        "-latest__occurred_at", "-pk"
    )
    for accident in rows:
        if accident.latest_id is None:
            continue
        ticking = [clock for clock in clocks.for_accident(accident, now) if running(clock)]
        if ticking:
            found.append((accident, ticking))
    return found
