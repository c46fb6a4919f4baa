"""The accidents of the standing World (tests/security/conftest.py): one in the body's sector at the village,
which every reader of the town sees, and one in a sector nobody's part holds, which body and village staff do
not. The first has a death, so the leader (the safety deputy in charge of the body) has an on-site task."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

HIDDEN_UNIT = "隐蔽砖厂"


def add_accidents(world: Any) -> None:
    from yigang.accidents.actions import ReportData, report_accident
    from yigang.org.models import Sector

    sh = zoneinfo.ZoneInfo("Asia/Shanghai")
    occurred = datetime.datetime(2025, 7, 9, 8, 40, tzinfo=sh)
    officer = world.users["officer"]

    def data(**given: Any) -> ReportData:
        values: dict[str, Any] = {
            "occurred_at": occurred,
            "learned_at": occurred + datetime.timedelta(minutes=5),
            "reported_at": occurred + datetime.timedelta(minutes=40),
            "sector": world.sector,
            "kind": "other",
            "address": "乌审召嘎查加油站",
            "course": "卸油时发生闪燃。",
            "reporter": "安委办",
            "unit_name": "乌审召加油站",
            "village": world.village,
            "deaths": 1,
        }
        values.update(given)
        return ReportData(**values)

    import io

    from yigang.accidents.actions import Upload

    from .conftest import PNG

    world.accident = report_accident(
        town=world.town, data=data(), files=[Upload(io.BytesIO(PNG), "现场照片.png")], actor=officer
    )
    world.accident_attachment = world.accident.attachments.get()
    world.task = world.accident.tasks.get(post=world.leader_post)
    hidden_sector = Sector.objects.filter(town=world.town).exclude(supervisions__unit=world.body).first()
    world.hidden_accident = report_accident(
        town=world.town,
        data=data(sector=hidden_sector, village=None, unit_name=HIDDEN_UNIT, deaths=0),
        actor=officer,
    )
    for principal in ("body_staff", "village_staff"):
        world.outside_part[principal].append(HIDDEN_UNIT)
