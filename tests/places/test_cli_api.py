"""Issue 24 point 6: `yigang place export/import`, `yigang coverage --json` and the places API, with the scoping of
the pages. Worked by hand on 15 March 2025: the red mine (monthly, once) was inspected in January only — January
met, February missed, March still running and owed: 1 of 2 judged periods, 50.0 %."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from yigang.places import actions

from .conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2025, 3, 15))


@pytest.fixture
def planned(world: SimpleNamespace, place: Any, inspect: Any) -> SimpleNamespace:
    w = world
    mine = place("查干淖尔砂石料场", [w.mines], risk_level="red", risk_on=D(2025, 1, 2))
    shop = place("乌审召烟花爆竹店", [w.fire], kind="small_venue", risk_level="yellow", risk_on=D(2025, 1, 2))
    actions.make_plan(unit=w.emergency, year=2025, actor=w.users["officer"])
    inspect(D(2025, 1, 10), [w.head], [mine])
    return SimpleNamespace(mine=mine, shop=shop)


def test_export_then_import_through_the_command_line_changes_nothing(
    world: SimpleNamespace, planned: SimpleNamespace, tmp_path: Any
) -> None:
    out = tmp_path / "places.xlsx"
    call_command("place", "export", "-o", str(out), "--town", world.town.code, stdout=io.StringIO())
    printed = io.StringIO()
    call_command("place", "import", str(out), "--town", world.town.code, "--json", stdout=printed)
    result = json.loads(printed.getvalue())
    assert result["ok"] and result["rows"] == 2 and result["unchanged"] == 2


def test_coverage_json_is_worked_by_hand(world: SimpleNamespace, planned: SimpleNamespace) -> None:
    printed = io.StringIO()
    call_command("coverage", "--town", world.town.code, "--year", "2025", "--json", stdout=printed)
    data = json.loads(printed.getvalue())
    assert (data["judged"], data["met"], data["inspections"], data["rate"]) == (2, 1, 1, 50.0)
    statuses = [p["status"] for p in data["items"][0]["periods"][:4]]
    assert statuses == ["met", "missed", "open", "upcoming"]
    text = io.StringIO()
    call_command("coverage", "--town", world.town.code, "--year", "2025", stdout=text)
    assert (
        "50.0%（1/2）" in text.getvalue()
        and "未覆盖  应急管理办公室 · 查干淖尔砂石料场 · 2月" in text.getvalue()
    )


def _api(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_api_reads_as_the_pages_do(world: SimpleNamespace, planned: SimpleNamespace) -> None:
    users, code = world.users, world.town.code
    names = {p["name"] for p in _api(users["officer"]).get("/api/places").json()}
    assert names == {"查干淖尔砂石料场", "乌审召烟花爆竹店"}
    # Body staff of the emergency office: the places of its sector only, its own plan's coverage.
    staff = _api(users["body_staff"])
    assert [p["name"] for p in staff.get("/api/places").json()] == ["查干淖尔砂石料场"]
    assert staff.get(f"/api/places/{planned.shop.pk}").status_code == 404
    mine = staff.get(f"/api/places/{planned.mine.pk}").json()
    assert mine["risk_level"] == "red"
    officer = _api(users["officer"]).get("/api/places/coverage", {"town": code, "year": 2025}).json()
    assert (officer["judged"], officer["met"], officer["rate"]) == (2, 1, 50.0)
    body = staff.get("/api/places/coverage", {"town": code, "year": 2025}).json()
    assert [u["unit"] for u in body["units"]] == ["应急管理办公室"] and body["rate"] == 50.0
    assert (
        _api(users["other_officer"]).get("/api/places/coverage", {"town": code, "year": 2025}).status_code
        == 404
    )
    assert Client().get("/api/places").status_code == 401
