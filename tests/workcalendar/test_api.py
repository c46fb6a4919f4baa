"""The calendar API: a year as `yigang calendar show --json`; a notice read (dry_run) or entered, refused with
nothing saved when a line cannot be read; a county viewer enters for the county."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.workcalendar.conftest import NOTICE_2027
from yigang.workcalendar.models import CalendarYear

pytestmark = pytest.mark.django_db
NOTICES = Path(__file__).parent / "notices"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_show_a_year(town: Any, users: dict[str, Any]) -> None:
    data = _client(users["leader"]).get("/api/calendar/years/2026", {"town": town.code}).json()
    assert data["year"] == 2026 and data["source"] == "package" and "2026-10-10" in data["workdays"]
    assert (
        _client(users["leader"]).get("/api/calendar/years/2027", {"town": town.code}).json()["source"]
        == "statutory"
    )


def test_dry_run_then_enter_then_a_bad_line(town: Any, users: dict[str, Any]) -> None:
    officer = _client(users["officer"])
    dry = officer.post("/api/calendar/notices", {"town": town.code, "text": NOTICE_2027, "dry_run": "true"})
    assert dry.status_code == 200 and dry.json()["saved"] is False and len(dry.json()["holidays"]) == 11
    assert not CalendarYear.objects.exists()
    saved = officer.post("/api/calendar/notices", {"town": town.code, "text": NOTICE_2027})
    assert saved.status_code == 200 and saved.json()["saved"] is True
    again = officer.post("/api/calendar/notices", {"town": town.code, "text": NOTICE_2027})
    assert (
        again.status_code == 400 and again.json()["already_entered"] and "已于" in again.json()["errors"][-1]
    )
    bad = officer.post(
        "/api/calendar/notices", {"town": town.code, "text": NOTICE_2027.replace("共8天", "共7天")}
    )
    assert bad.status_code == 400 and bad.json()["unread"][0]["line"] == 5
    assert CalendarYear.objects.count() == 1


def test_the_county_viewer_enters_for_the_county_only(town: Any, users: dict[str, Any]) -> None:
    viewer = _client(users["county_viewer"])
    assert viewer.post("/api/calendar/notices", {"town": town.code, "text": NOTICE_2027}).status_code == 403
    ok = viewer.post("/api/calendar/notices", {"town": town.code, "text": NOTICE_2027, "for_county": "true"})
    assert ok.status_code == 200 and CalendarYear.objects.get().county == town.county
