"""Who reads which accident: the whole town for the officer, leaders and county; body staff the accidents of the
sectors their body supervises; village staff those of their village; another town nothing (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from yigang.accidents import actions
from yigang.accidents.models import Accident
from yigang.towns.models import Role

from .conftest import Register, make_data

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_reader_sees_their_part(
    register: Register, officer: Any, make_user: Any, users: dict[str, Any]
) -> None:
    road = actions.report_accident(
        town=register.town, data=make_data(register), actor=officer
    )  # 巴音敖包嘎查
    farm = actions.report_accident(
        town=register.town,
        data=make_data(register, sector="农机", village="乌审召嘎查", unit_name="某农机合作社"),
        actor=officer,
    )
    police = make_user("police", Role.BODY_STAFF, register.town, unit=register.units["交警中队"])
    rural = make_user("rural", Role.BODY_STAFF, register.town, unit=register.units["乡村振兴办公室"])
    village = make_user("wsz", Role.VILLAGE_STAFF, register.town, unit=register.units["乌审召嘎查"])

    def seen(user: Any) -> set[int]:
        return set(Accident.objects.for_user(user).values_list("pk", flat=True))

    assert seen(officer) == seen(users["leader"]) == seen(users["county_viewer"]) == {road.pk, farm.pk}
    assert seen(police) == {road.pk}  # 交警中队 supervises 道路交通
    assert seen(rural) == {farm.pk}  # 乡村振兴办公室 supervises 农机
    assert seen(village) == {farm.pk}
    assert seen(users["other_officer"]) == set()
    assert _client(police).get(reverse("accidents:detail", args=[farm.pk])).status_code == 404
    assert _client(users["other_officer"]).get(reverse("accidents:detail", args=[road.pk])).status_code == 404
    page = _client(village).get(reverse("accidents:list"), {"year": 2025}).content.decode()
    assert "某农机合作社" in page and "个体运输户 张某" not in page
    figures = _client(village).get(reverse("accidents:figures"), {"year": 2025}).content.decode()
    assert "共 1 起" in figures
