"""The working calendar's pages (yigang/workcalendar/urls.py).

Reading (the years, a year's days) is for every reader of the town: reference data, like the register.
Entering a year is the 安委办 officer's for the town, and a county viewer's for every town of the county; the
POST here is the first step (read the notice and show it for review), which saves nothing.
"""

from __future__ import annotations

from pathlib import Path

from . import Expect, town_read, town_write

NOTICE = (Path(__file__).parents[2] / "workcalendar" / "notices" / "2026.txt").read_text(encoding="utf-8")

PAGES = {
    "workcalendar:index": Expect(town_read()),
    "workcalendar:year": Expect(town_read(), kwargs=lambda w: {"year": 2027}),
    "workcalendar:enter": Expect(
        town_write(200, county_viewer=200),
        method="POST",
        data=lambda w: {"text": NOTICE},
        note="a county viewer enters for the whole county",
    ),
}
