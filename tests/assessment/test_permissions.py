"""Who sees what: the officer, the county and the town's three leaders read every row; a unit's staff their unit's;
a 分管 leader the bodies in their charge and their own; any other leader their own."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from yigang.accidents.actions import report_accident
from yigang.towns.models import Role

from .conftest import Register, make_data

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_results_are_narrowed_to_ones_own_rows(
    register: Register, users: dict[str, Any], make_user: Any
) -> None:
    from yigang.towns.actions import link_person

    report_accident(town=register.town, data=make_data(register, deaths=1), actor=register.officer)
    staff = make_user("jiaojing", Role.BODY_STAFF, register.town, unit=register.units["交警中队"])
    leader = make_user("wuliji", Role.LEADER, register.town)
    link_person(person=register.person("乌力吉"), user=leader, actor=register.officer)

    everything = _client(users["officer"]).get("/assessment/?year=2025").content.decode()
    assert "交警中队" in everything and "巴音敖包嘎查" in everything and "巴图" in everything
    county = _client(users["county_viewer"]).get("/assessment/?year=2025").content.decode()
    assert "巴音敖包嘎查" in county

    own = _client(staff).get("/assessment/?year=2025").content.decode()
    assert "交警中队" in own and "巴音敖包嘎查" not in own and "巴图" not in own
    # The party secretary answers for the town's result (全面领导责任): every row, as the 安委办 reads them.
    whole = _client(leader).get("/assessment/?year=2025").content.decode()
    assert "乌力吉" in whole and "巴图" in whole and "交警中队</a>" in whole and "巴音敖包嘎查" in whole
    # The congress chair has neither the town nor a 分管: their own row only.
    chair = make_user("saren", Role.LEADER, register.town)
    link_person(person=register.person("萨仁"), user=chair, actor=register.officer)
    mine = _client(chair).get("/assessment/?year=2025").content.decode()
    assert "萨仁" in mine and "巴图" not in mine and "交警中队</a>" not in mine and "乌力吉" not in mine

    api = _client(staff).get(f"/api/assessment/{register.town.code}/2025").json()
    assert [u["unit"] for u in api["units"]] == ["交警中队"] and api["persons"] == []

    # Another unit's workings are not found for the body's staff; the officer reads them.
    key = "unit:{}".format(register.units["巴音敖包嘎查"].pk)
    assert _client(staff).get("/assessment/subject/", {"year": 2025, "key": key}).status_code == 404
    assert (
        _client(users["officer"]).get("/assessment/subject/", {"year": 2025, "key": key}).status_code == 200
    )


def test_a_portfolio_leader_reads_the_bodies_in_their_charge(
    register: Register, users: dict[str, Any], make_user: Any
) -> None:
    """额尔敦 (副镇长) is in charge of every body but 平安建设办公室, 交警中队 and the 安委办 (tests/org/conftest.py): he
    reads those bodies' rows and his own, on the page, the subject pages and the API — not the others', not the
    villages', not the mayor's."""
    from yigang.org.models import Portfolio
    from yigang.towns.actions import link_person

    deputy = make_user("eerdun", Role.LEADER, register.town)
    person = register.person("额尔敦")
    link_person(person=person, user=deputy, actor=register.officer)
    charge = {
        p.unit.name for p in Portfolio.objects.filter(post__tenures__person=person).select_related("unit")
    }
    assert "交警中队" not in charge and charge
    page = _client(deputy).get("/assessment/?year=2025").content.decode()
    assert (
        "额尔敦" in page and "巴图" not in page and "交警中队</a>" not in page and "巴音敖包嘎查" not in page
    )
    assert all(f"{name}</a>" in page for name in charge)
    api = _client(deputy).get(f"/api/assessment/{register.town.code}/2025").json()
    assert {u["unit"] for u in api["units"]} == charge
    assert [p["person"] for p in api["persons"]] == ["额尔敦"]
    mine = f"unit:{next(u.pk for name, u in register.units.items() if name in charge)}"
    other = "unit:{}".format(register.units["交警中队"].pk)
    client = _client(deputy)
    assert client.get("/assessment/subject/", {"year": 2025, "key": mine}).status_code == 200
    assert client.get("/assessment/subject/", {"year": 2025, "key": other}).status_code == 404
    assert client.post("/assessment/open/", {"year": 2025, "confirm": "1"}).status_code == 403


def test_only_the_officer_publishes(register: Register, users: dict[str, Any]) -> None:
    from yigang.assessment.models import Round

    assert _client(users["county_viewer"]).post("/assessment/publish/", {"year": 2025}).status_code in (
        403,
        404,
    )
    assert _client(users["leader"]).post("/assessment/publish/", {"year": 2025}).status_code == 403
    assert not Round.objects.filter(published=True).exists()
    officer = _client(users["officer"])
    # Not opened yet: refused with a message, nothing published.
    assert officer.post("/assessment/publish/", {"year": 2025, "confirm": "1"}).status_code == 302
    assert not Round.objects.exists()
    officer.post("/assessment/open/", {"year": 2025, "confirm": "1"})
    from tests.conftest import PASSWORD

    good = {"year": 2025, "confirm": "1", "secret": PASSWORD, "doc_number": "乌安办发〔2026〕1号"}
    assert officer.post("/assessment/publish/", {**good, "confirm": ""}).status_code == 302
    assert officer.post("/assessment/publish/", {**good, "secret": ""}).status_code == 302
    assert not Round.objects.filter(published=True).exists()
    assert officer.post("/assessment/publish/", good).status_code == 302
    assert Round.objects.get(town=register.town, year=2025).published


def test_scheme_saved_by_the_officer_only_and_checked(register: Register, users: dict[str, Any]) -> None:
    import copy
    import json

    from yigang.assessment.models import Scheme
    from yigang.assessment.scoring import DEFAULT_RULES

    rules = copy.deepcopy(DEFAULT_RULES)
    rules["indicators"][0]["weight"] = 50
    bad = {"year": 2025, "title": "", "rules": json.dumps(rules)}
    officer = _client(users["officer"])
    response = officer.post("/assessment/scheme/", bad)
    assert response.status_code == 400 and "合计须为 100 分" in response.content.decode()
    assert not Scheme.objects.exists()
    rules["indicators"][1]["weight"] = 15  # 50 + 15 + 20 + 15 = 100
    good = {"year": 2025, "title": "2025年方案", "rules": json.dumps(rules)}
    assert _client(users["leader"]).post("/assessment/scheme/", good).status_code == 403
    assert officer.post("/assessment/scheme/", good).status_code == 302
    saved = Scheme.objects.get()
    assert saved.rules["indicators"][0]["weight"] == 50 and not saved.frozen
