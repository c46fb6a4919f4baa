"""The working calendar's API operations (yigang/api/workcalendar.py): readers of the town read a year; the
officer (for the town) and a county viewer (for the county, `for_county`) read a notice — here with dry_run, so
nothing is saved; other readers 403; outsiders 404; anonymous 401."""

from __future__ import annotations

from pathlib import Path

from . import Expect, api_object_read

NOTICE = (Path(__file__).parents[2] / "workcalendar" / "notices" / "2026.txt").read_text(encoding="utf-8")

OPERATIONS = {
    "yigang_api_workcalendar_show_year": Expect(
        api_object_read(), kwargs=lambda w: {"year": 2027}, data=lambda w: {"town": w.town.code}
    ),
    "yigang_api_workcalendar_enter_notice": Expect(
        api_object_read(leader=403, body_staff=403, village_staff=403, county_viewer=403),
        method="POST",
        data=lambda w: {"town": w.town.code, "text": NOTICE, "dry_run": "true"},
        note="the county viewer enters only with for_county (tests/workcalendar/test_api.py)",
    ),
}
