"""The register of tests/org (leaders, two villages, a head for every body, a change of mayor) and a helper
that fills in a report."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest

from tests.org.conftest import MAYOR_CHANGE, TERM, Register, register  # noqa: F401 (fixtures)

SH = zoneinfo.ZoneInfo("Asia/Shanghai")

__all__ = ["MAYOR_CHANGE", "SH", "TERM", "Register", "make_data"]


def make_data(reg: Register, **given: Any) -> Any:
    from yigang.accidents.actions import ReportData
    from yigang.org.models import Sector, Unit

    occurred = given.pop("occurred_at", datetime.datetime(2025, 6, 3, 14, 20, tzinfo=SH))
    values: dict[str, Any] = {
        "occurred_at": occurred,
        "learned_at": occurred + datetime.timedelta(minutes=10),
        "reported_at": occurred + datetime.timedelta(minutes=50),
        "sector": Sector.objects.get(town=reg.town, name=given.pop("sector", "道路交通")),
        "kind": "road_traffic",
        "address": "S215 线 38 公里处",
        "course": "一辆货车与摩托车相撞。",
        "reporter": "安委办 王敏",
        "unit_name": "个体运输户 张某",
        "village": Unit.objects.get(town=reg.town, name=given.pop("village", "巴音敖包嘎查")),
        "deaths": 1,
        "serious_injuries": 0,
        "missing": 0,
        "direct_loss": Decimal("120000"),
        "measures": "封闭现场，救治伤员。",
    }
    values.update(given)
    return ReportData(**values)


@pytest.fixture
def officer(register: Register) -> Any:  # noqa: F811
    return register.officer
