"""Demo accidents for the demo town, so the pages and the assessment's 一票否决 have real cases:

- 2024: a fire at a 牧家乐 reported to the county 2 h 35 min after the head learned of it (迟报), no casualties;
- 2025: a road-traffic accident on the S215 with 2 deaths and 3 seriously injured; on the fourth day one of the
  injured died, a 补报 within the 7-day window that raises the grade from 一般 to 较大; the leaders' arrivals
  are confirmed;
- this year: an injury at the sand and gravel yard (非煤矿山), reported in time.

Loaded once (later runs change nothing) through the same actions as the pages.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.models import Town

from .actions import ReportData, change_report, confirm_arrival, report_accident, report_data
from .models import Report, Source

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SH)


def _village(town: Town, name: str) -> Unit | None:
    return Unit.objects.filter(town=town, kind=UnitKind.VILLAGE, name=name, active=True).first()


def _sector(town: Town, name: str) -> Sector | None:
    return Sector.objects.filter(town=town, name=name).first()


def load(town: Town) -> None:
    """Record the demo accidents in `town` (once)."""
    if Report.objects.filter(town=town, source=Source.DEMO).exists():
        return
    road, tourism, mining = _sector(town, "道路交通"), _sector(town, "旅游"), _sector(town, "非煤矿山")
    if road is None or tourism is None or mining is None:
        return
    with transaction.atomic():
        fire_at = _at(2024, 10, 2, 20, 55)
        report_accident(
            town=town,
            data=ReportData(
                occurred_at=fire_at,
                learned_at=fire_at + datetime.timedelta(minutes=15),
                reported_at=fire_at + datetime.timedelta(hours=2, minutes=50),
                sector=tourism,
                kind="fire",
                unit=Unit.objects.filter(town=town, name="察汗庙牧家乐").first(),
                unit_name="察汗庙牧家乐",
                village=_village(town, "察汗庙嘎查"),
                address="察汗庙牧家乐餐厅后厨",
                course="后厨油锅起火引燃排烟管道，员工用灭火器扑救未果，镇专职消防队到场扑灭。",
                direct_loss=Decimal("85000"),
                measures="疏散就餐人员 40 余人，切断燃气，责令停业整改。",
                reporter="察汗庙牧家乐 负责人 其木格",
            ),
            source=Source.DEMO,
            actor=None,
        )
        _road_accident(town, road)
        today = timezone.localdate()
        injury_at = _at(today.year, 5, 20, 10, 30)
        if injury_at < timezone.now():
            report_accident(
                town=town,
                data=ReportData(
                    occurred_at=injury_at,
                    learned_at=injury_at + datetime.timedelta(minutes=10),
                    reported_at=injury_at + datetime.timedelta(minutes=45),
                    sector=mining,
                    kind="other",
                    unit=Unit.objects.filter(town=town, name="查干淖尔砂石料场").first(),
                    unit_name="查干淖尔砂石料场",
                    village=_village(town, "查干淖尔嘎查"),
                    address="查干淖尔砂石料场破碎车间",
                    course="检修破碎机时未停机挂牌，一名工人右臂被卷入。",
                    serious_injuries=1,
                    direct_loss=Decimal("260000"),
                    measures="停机，送旗医院救治，全场停产排查。",
                    reporter="查干淖尔砂石料场 安全员 哈斯",
                ),
                source=Source.DEMO,
                actor=None,
            )


def _road_accident(town: Town, road: Sector) -> Any:
    crash = _at(2025, 8, 14, 18, 40)
    accident = report_accident(
        town=town,
        data=ReportData(
            occurred_at=crash,
            learned_at=crash + datetime.timedelta(minutes=12),
            reported_at=crash + datetime.timedelta(minutes=48),
            sector=road,
            kind="road_traffic",
            unit_name="鄂尔多斯市某物流有限公司（外地运输企业）",
            village=_village(town, "巴音敖包嘎查"),
            address="S215 线 38 公里处（巴音敖包嘎查段）",
            course="一辆重型半挂货车在弯道越线，与对向行驶的面包车相撞，面包车上 2 人当场死亡、3 人重伤。",
            deaths=2,
            serious_injuries=3,
            direct_loss=Decimal("1350000"),
            measures="交警中队封闭现场，120 将伤员送旗医院，镇政府启动应急预案并通知家属。",
            reporter="交警中队 值班民警 王海军",
        ),
        source=Source.DEMO,
        actor=None,
    )
    for minutes, task in zip((35, 50, 55, 70), accident.tasks.order_by("id"), strict=False):
        confirm_arrival(task=task, arrived_at=crash + datetime.timedelta(minutes=minutes), actor=None)
    assert accident.latest is not None
    data = report_data(accident.latest)
    data.deaths, data.serious_injuries = 3, 2
    change_report(
        accident=accident,
        data=data,
        reason="一名重伤者于 8 月 17 日经抢救无效死亡，当日向旗应急管理局补报。",
        made_at=_at(2025, 8, 17, 16, 5),
        source=Source.DEMO,
        actor=None,
    )
    return accident
