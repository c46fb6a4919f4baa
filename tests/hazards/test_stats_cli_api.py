"""Statistics on a known data set (worked by hand), the CLI, and the API's duplicate-submission key."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.hazards.conftest import png
from yigang.hazards import actions
from yigang.hazards.models import Hazard
from yigang.hazards.stats import compute

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = D(2025, 7, 1)


def _close(h: Any, register: Any, on: datetime.date) -> None:
    """Rectified and submitted by the 安委办 on the unit's behalf, accepted by the system (no secret to give)."""
    actions.start_rectifying(hazard=h, actor=register.officer)
    with actions.backdated(datetime.datetime(on.year, on.month, on.day, 9, tzinfo=datetime.UTC)):
        actions.submit(hazard=h, note="已整改", photos=[png()], actor=register.officer)
    actions.accept(hazard=h, note="", actor=None, on=on)


@pytest.fixture
def known(report: Any, register: Any) -> None:
    """Four hazards of 2025 and one of 2024:
    A 烟花爆竹, 乌审召嘎查, Q1, deadline 3-20, closed 3-18 (on time)
    B 烟花爆竹, 乌审召嘎查, Q1, deadline 3-31, closed 4-05 (late)
    C 镇区商业, no village,  Q2, deadline 4-30, open (overdue on 7-1), major
    D 镇区商业, 巴音敖包嘎查, Q2, deadline 7-15, open (not overdue on 7-1)
    F 烟花爆竹, 2024: another year
    """
    village, other = register.units["乌审召嘎查"], register.units["巴音敖包嘎查"]
    a = report(found_on=D(2025, 3, 10), deadline=D(2025, 3, 20), village=village)
    b = report(found_on=D(2025, 3, 12), deadline=D(2025, 3, 31), village=village)
    _close(a, register, D(2025, 3, 18))
    _close(b, register, D(2025, 4, 5))
    report(sector="镇区商业", found_on=D(2025, 4, 2), deadline=D(2025, 4, 30), grade="major")
    report(sector="镇区商业", found_on=D(2025, 5, 6), deadline=D(2025, 7, 15), village=other)
    f = report(found_on=D(2024, 6, 1), deadline=D(2024, 6, 10))
    assert f.found_on.year == 2024


def test_statistics_on_a_known_data_set(known: None, register: Any) -> None:
    s = compute(Hazard.objects.all(), town=register.town, year=2025, as_of=AS_OF)
    assert s.total == {
        "found": 4, "closed": 2, "closed_on_time": 1, "open": 2, "overdue": 1, "major": 1,
        "extended": 0, "closed_in_extension": 0,
    }  # fmt: skip
    assert s.by_sector["烟花爆竹"] == {
        "found": 2, "closed": 2, "closed_on_time": 1, "open": 0, "overdue": 0, "major": 0,
        "extended": 0, "closed_in_extension": 0,
    }  # fmt: skip
    assert s.by_sector["镇区商业"] == {
        "found": 2, "closed": 0, "closed_on_time": 0, "open": 2, "overdue": 1, "major": 1,
        "extended": 0, "closed_in_extension": 0,
    }  # fmt: skip
    assert s.by_village["乌审召嘎查"]["found"] == 2
    assert s.by_village["全镇"] == {
        "found": 1, "closed": 0, "closed_on_time": 0, "open": 1, "overdue": 1, "major": 1,
        "extended": 0, "closed_in_extension": 0,
    }  # fmt: skip
    assert s.by_quarter["第1季度"]["found"] == 2 and s.by_quarter["第2季度"]["found"] == 2
    # As of 2025-04-01: C and D not found yet; A closed; B still open and past its deadline of 3-31.
    early = compute(Hazard.objects.all(), town=register.town, year=2025, as_of=D(2025, 4, 1))
    assert (early.total["found"], early.total["closed"], early.total["overdue"]) == (2, 1, 1)


def test_the_cli_route_and_stats(known: None, register: Any) -> None:
    out = io.StringIO()
    call_command(
        "hazard", "route", "--town", register.town.code, "--sector", "烟花爆竹", "--place", "乌审召嘎查",
        "--found-on", "2026-09-30", "--working-days", "3", "--json", stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["owner"]["unit"] == "平安建设办公室" and data["deadline"] == "2026-10-10"
    assert data["village"]["person"] == "其其格" and data["copied"] == []
    assert set(data) == {
        "sector",
        "place",
        "found_on",
        "rectifier",
        "owner",
        "copied",
        "leader",
        "village",
        "deadline",
        "deadline_calendar",
        "warnings",
    }
    assert data["deadline_calendar"] == "package"
    out = io.StringIO()
    call_command("hazard", "stats", "--town", register.town.code, "--year", "2024", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    assert (stats["town"], stats["year"], stats["found"], stats["overdue"]) == ("乌审召镇", 2024, 1, 1)
    assert stats["by_sector"]["烟花爆竹"]["found"] == 1


def test_the_api_key_makes_a_retried_report_one_hazard(register: Any, media: Any) -> None:
    client = Client()
    client.force_login(register.officer)
    fields = {
        "town": register.town.code,
        "sector": "烟花爆竹",
        "village": "乌审召嘎查",
        "description": "烟花爆竹零售点无防火设施",
        "address": "乌审召嘎查商店",
        "found_on": "2025-05-06",
        "found_by": "其其格",
        "source": "inspection",
        "working_days": "5",
        "client_key": "9b1e-retry",
    }
    first = client.post("/api/hazards/", {**fields, "photos": png().file})
    assert first.status_code == 201, first.content
    again = client.post("/api/hazards/", {**fields, "photos": png().file})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Hazard.objects.count() == 1 and Hazard.objects.get().photos.count() == 1
    dated = {k: v for k, v in fields.items() if k != "working_days"}
    bad = client.post("/api/hazards/", {**dated, "client_key": "other", "deadline": "2025-05-01"})
    assert bad.status_code == 400 and "不能早于发现日期" in bad.json()["detail"]
    assert Hazard.objects.count() == 1
    step = client.post(f"/api/hazards/{first.json()['id']}/steps", {"step": "accept"})
    assert step.status_code == 400 and "验收销号" in step.json()["detail"]
