"""The places register: bad input is refused in Chinese and saves nothing; history is kept."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yigang.audit.models import AuditEntry
from yigang.places import actions
from yigang.places.models import Licence, Place, RiskAssessment

from .conftest import D

pytestmark = pytest.mark.django_db


def _data(w: SimpleNamespace, **given: Any) -> actions.PlaceData:
    values: dict[str, Any] = {
        "name": "乌审召加油站",
        "kind": "petrol_station",
        "village": w.village,
        "sectors": [w.chemicals],
    }
    values.update(given)
    return actions.PlaceData(**values)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"village": None}, "请选择场所所在的嘎查村（社区）。"),
        ({"sectors": []}, "请至少选择一个行业领域。"),
        ({"risk_level": "red"}, "填写风险等级须同时填写评估日期。"),
        ({"risk_on": D(2025, 1, 1)}, "填写了评估日期须同时填写风险等级。"),
        ({"name": " "}, "请填写场所名称。"),
        ({"kind": "castle"}, "请选择有效的场所类型。"),
        ({"licences": [("危险化学品经营许可证", "")]}, "许可证“危险化学品经营许可证”缺少编号。"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    world: SimpleNamespace, given: dict[str, Any], message: str
) -> None:
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.register_place(town=world.town, data=_data(world, **given), actor=world.users["officer"])
    assert message in refused.value.messages
    assert not Place.objects.exists() and not RiskAssessment.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_duplicate_licence_number_is_refused(world: SimpleNamespace, place: Any) -> None:
    place(
        "乌审召加油站",
        [world.chemicals],
        kind="petrol_station",
        licences=[("危险化学品经营许可证", "蒙危化经字〔2021〕000123")],
    )
    with pytest.raises(ValidationError) as refused:
        place(
            "巴音加油站",
            [world.chemicals],
            kind="petrol_station",
            licences=[("危险化学品经营许可证", "蒙危化经字〔2021〕000123")],
        )
    assert refused.value.messages == [
        "许可证编号“蒙危化经字〔2021〕000123”已登记在“乌审召加油站”名下，不能重复登记。"
    ]
    assert Place.objects.count() == 1 and Licence.objects.count() == 1


def test_a_village_of_another_kind_or_town_is_refused(world: SimpleNamespace, other_town: Any) -> None:
    from yigang.org import actions as org

    elsewhere = org.add_unit(town=other_town, name="图克嘎查", kind="village", actor=None)
    for village in (world.emergency, elsewhere):
        with pytest.raises(ValidationError, match="所在地须为本乡镇的嘎查村"):
            actions.register_place(town=world.town, data=_data(world, village=village), actor=None)


def test_a_closed_place_is_ended_never_deleted_and_its_risk_history_kept(
    world: SimpleNamespace, place: Any
) -> None:
    officer = world.users["officer"]
    station = place(
        "乌审召加油站", [world.chemicals], kind="petrol_station", risk_level="yellow", risk_on=D(2024, 3, 1)
    )
    actions.assess_risk(
        place=station, level="orange", assessed_on=D(2025, 3, 1), basis="储罐扩容", actor=officer
    )
    assert Place.objects.with_risk().get().risk_level == "orange"
    assert list(station.assessments.values_list("level", flat=True)) == ["orange", "yellow"]
    with pytest.raises(ValidationError, match="请填写注销原因"):
        actions.close_place(place=station, closed=D(2025, 6, 30), reason="", actor=officer)
    actions.close_place(place=station, closed=D(2025, 6, 30), reason="停业", actor=officer)
    station.refresh_from_db()
    assert station.closed == D(2025, 6, 30) and Place.objects.count() == 1
    # Its name is free again for a new place; the closed one stays on record.
    place("乌审召加油站", [world.chemicals], kind="petrol_station")
    assert Place.objects.count() == 2
    with pytest.raises(ValidationError, match="已于2025-06-30注销"):
        actions.update_place(place=station, data=_data(world), actor=officer)


def test_a_risk_level_needs_its_date_on_a_new_assessment_too(world: SimpleNamespace, place: Any) -> None:
    station = place("乌审召加油站", [world.chemicals], kind="petrol_station")
    with pytest.raises(ValidationError) as refused:
        actions.assess_risk(place=station, level="red", assessed_on=None, basis="", actor=None)
    assert refused.value.messages == ["填写风险等级须同时填写评估日期。"]
    assert not RiskAssessment.objects.exists()


def test_body_staff_read_their_sectors_places_and_village_staff_their_village(
    world: SimpleNamespace, place: Any
) -> None:
    mine = place("砂石料场", [world.mines], village=world.other_village)
    shop = place("小超市", [world.fire], kind="small_venue")
    users = world.users
    assert list(Place.objects.for_user(users["body_staff"])) == [mine]  # the emergency office: 非煤矿山
    assert list(Place.objects.for_user(users["village_staff"])) == [shop]  # 乌审召嘎查
    assert set(Place.objects.for_user(users["leader"])) == {mine, shop}
    assert not Place.objects.for_user(users["other_officer"]).exists()
    assert not Place.objects.for_user(users["sysadmin"]).exists()
