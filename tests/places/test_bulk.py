"""The places template, import (all rows or none, errors by row and column) and export (re-imports unchanged)."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from yigang.audit.models import AuditEntry
from yigang.places import bulk
from yigang.places.models import Place, RiskAssessment

from .conftest import D

pytestmark = pytest.mark.django_db

HEADER = list(bulk.COLUMNS)


def sheet(*rows: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["标题"])
    ws.append(HEADER)
    for row in rows:
        ws.append([row.get(c, "") for c in HEADER])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


STATION = {
    "名称": "乌审召加油站",
    "类型": "加油加气站",
    "所在嘎查村（社区）": "乌审召嘎查",
    "行业领域": "危险化学品",
    "法定代表人": "白音",
    "法定代表人电话": "13904770401",
    "许可证": "危险化学品经营许可证：蒙危化经字〔2021〕000123；成品油零售经营批准证书：油零售证书第15062600012号",
    "风险等级": "橙",
    "评估日期": "2025-03-01",
    "评估依据": "汽油储罐60立方米",
}
MINE = {
    "名称": "查干淖尔砂石料场",
    "类型": "矿山",
    "所在嘎查村（社区）": "巴音敖包嘎查",
    "行业领域": "非煤矿山、消防",
    "风险等级": "红色（重大风险）",
    "评估日期": "2025-02-01",
}


def test_import_then_export_then_import_again_changes_nothing(world: SimpleNamespace) -> None:
    officer = world.users["officer"]
    result = bulk.import_xlsx(world.town, sheet(STATION, MINE), actor=officer, filename="places.xlsx")
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    station = Place.objects.with_risk().get(name="乌审召加油站")
    assert (station.risk_level, station.risk_on) == ("orange", D(2025, 3, 1))
    assert sorted(station.licences.values_list("name", flat=True)) == [
        "危险化学品经营许可证",
        "成品油零售经营批准证书",
    ]
    assert sorted(Place.objects.get(name="查干淖尔砂石料场").sectors.values_list("name", flat=True)) == [
        "消防",
        "非煤矿山",
    ]

    exported = bulk.export_xlsx(world.town, actor=officer)
    again = bulk.import_xlsx(world.town, exported, actor=officer)
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert RiskAssessment.objects.count() == 2


def test_one_bad_row_keeps_nothing_and_every_error_names_its_row_and_column(world: SimpleNamespace) -> None:
    entries = AuditEntry.objects.filter(event="places.register").count()
    data = sheet(
        STATION,
        {**MINE, "所在嘎查村（社区）": ""},
        {**MINE, "名称": "乌审召小学", "类型": "学校、幼儿园", "风险等级": "黄", "评估日期": ""},
        {**STATION, "名称": "巴音加油站"},  # the same licence numbers
        {**MINE, "名称": "某场所", "行业领域": "不存在的领域"},
    )
    result = bulk.import_xlsx(world.town, data, actor=world.users["officer"])
    assert [str(e) for e in result.errors] == [
        "第4行【所在嘎查村（社区）（C列）】：请填写场所所在的嘎查村（社区）",
        "第5行【评估日期（N列）】：填写风险等级须同时填写评估日期",
        "第6行【许可证】：许可证编号“蒙危化经字〔2021〕000123”已登记在“乌审召加油站”名下，不能重复登记。；"
        "许可证编号“油零售证书第15062600012号”已登记在“乌审召加油站”名下，不能重复登记。",
        "第7行【行业领域】：本镇没有名为“不存在的领域”的行业领域",
    ]
    assert not Place.objects.exists()
    assert AuditEntry.objects.filter(event="places.import", success=False).count() == 1
    assert AuditEntry.objects.filter(event="places.register").count() == entries


def test_a_row_with_a_closing_date_ends_the_place(world: SimpleNamespace) -> None:
    officer = world.users["officer"]
    bulk.import_xlsx(world.town, sheet(STATION), actor=officer)
    result = bulk.import_xlsx(
        world.town, sheet({**STATION, "注销日期": "2025-10-31", "注销原因": "停业"}), actor=officer
    )
    assert result.ok and result.closed == 1
    assert Place.objects.get().closed == D(2025, 10, 31)
    assert (
        bulk.import_xlsx(world.town, bulk.export_xlsx(world.town, actor=officer), actor=officer).unchanged
        == 1
    )


def test_the_template_has_the_columns_and_the_notes(world: SimpleNamespace) -> None:
    wb = load_workbook(io.BytesIO(bulk.template_xlsx(world.town)))
    assert [c.value for c in wb.worksheets[0][2]] == HEADER
    assert wb.sheetnames == ["监管对象", "填写说明"]
