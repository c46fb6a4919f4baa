"""The places pages: the list shows the risk in words beside its colour; a refused write says why and saves nothing."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from yigang.places.models import Place, RiskAssessment

from .conftest import D

pytestmark = pytest.mark.django_db


def test_the_list_names_the_risk_in_words_and_keeps_closed_places_apart(
    world: SimpleNamespace, place: Any, login: Any
) -> None:
    from yigang.places import actions

    place("查干淖尔砂石料场", [world.mines], risk_level="red", risk_on=D(2025, 2, 1))
    shut = place("旧砂场", [world.mines])
    actions.close_place(place=shut, closed=D(2025, 1, 31), reason="关闭", actor=None)
    client = login(world.users["village_staff"])
    page = client.get(reverse("places:list")).content.decode()
    assert 'class="risk risk-red">红色（重大风险）</span>' in page
    assert "旧砂场" not in page
    assert "旧砂场" in client.get(reverse("places:list"), {"closed": "1"}).content.decode()


def test_an_assessment_without_a_date_is_refused_in_chinese(
    world: SimpleNamespace, place: Any, login: Any
) -> None:
    mine = place("查干淖尔砂石料场", [world.mines])
    client = login(world.users["officer"])
    response = client.post(
        reverse("places:assess", args=[mine.pk]), {"level": "red", "basis": "x"}, follow=True
    )
    assert "填写风险等级须同时填写评估日期。" in response.content.decode()
    assert not RiskAssessment.objects.exists()


def test_registering_without_village_or_sector_says_both(world: SimpleNamespace, login: Any) -> None:
    client = login(world.users["officer"])
    response = client.post(reverse("places:add"), {"name": "某场所", "kind": "mine"})
    page = response.content.decode()
    assert "请选择场所所在的嘎查村（社区）。" in page and "请至少选择一个行业领域。" in page
    assert not Place.objects.exists()


def test_the_place_page_and_the_plan_page_show_coverage(
    world: SimpleNamespace, place: Any, login: Any
) -> None:
    from yigang.places import actions

    mine = place("查干淖尔砂石料场", [world.mines], risk_level="blue", risk_on=D(2025, 1, 2))
    actions.make_plan(unit=world.emergency, year=2025, actor=None)
    client = login(world.users["body_staff"])
    detail = client.get(reverse("places:detail", args=[mine.pk]), {"year": 2025}).content.decode()
    assert "应急管理办公室" in detail and "2025年 0/1" in detail
    plan = client.get(reverse("places:plan", args=[world.emergency.pk]), {"year": 2025}).content.decode()
    assert "查干淖尔砂石料场" in plan
    unit = client.get(reverse("org:unit", args=[world.emergency.pk])).content.decode()
    assert "检查计划覆盖" in unit
