"""Routing from the register as it stood on the day found: single, shared and unsupervised sectors, and after a
reorganisation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from yigang.hazards.routing import route
from yigang.org.models import Sector, Unit

pytestmark = pytest.mark.django_db
D = datetime.date


def _sector(register: Any, name: str) -> Sector:
    return Sector.objects.get(town=register.town, name=name)


def test_it_routes_a_single_sector_to_its_body_leader_and_village(register: Any) -> None:
    village = register.units["乌审召嘎查"]
    r = route(sector=_sector(register, "烟花爆竹"), place=village, found_on=D(2025, 3, 10)).as_dict()
    assert r["owner"] == {
        "unit": "平安建设办公室",
        "post": "平安建设办公室负责人",
        "person": "平安建设办公室主任",
    }
    assert r["copied"] == []
    assert r["leader"] == {"post": "分管安全生产副镇长", "person": "赵永军"}
    assert r["village"] == {"unit": "乌审召嘎查", "post": "乌审召嘎查党支部书记", "person": "其其格"}
    assert r["deadline"] is None


def test_it_gives_a_shared_sector_to_the_whole_sector_body_and_copies_the_partial_one(register: Any) -> None:
    r = route(sector=_sector(register, "危险化学品"), place=None, found_on=D(2025, 3, 10))
    assert r.owner.unit == "平安建设办公室"  # supervises the whole sector; 交警中队 only its transport
    assert [c.unit for c in r.copied] == ["交警中队"]
    assert r.village is None
    assert any("多头监管" in w for w in r.warnings)


def test_it_gives_a_sector_of_two_whole_supervisors_to_the_first_registered(register: Any) -> None:
    r = route(sector=_sector(register, "道路交通"), place=None, found_on=D(2025, 3, 10))
    assert r.owner.unit == "平安建设办公室"
    assert [c.unit for c in r.copied] == ["交警中队"]


def test_an_unsupervised_sector_goes_to_the_village_and_is_flagged_for_the_safety_office(
    register: Any,
) -> None:
    from yigang.org.actions import add_sector

    sector = add_sector(town=register.town, name="燃气用户", actor=register.officer)
    village = register.units["巴音敖包嘎查"]
    r = route(sector=sector, place=village, found_on=D(2025, 3, 10))
    assert r.flagged
    assert r.owner.unit == "巴音敖包嘎查" and r.owner.person == "巴特尔"
    assert [c.unit for c in r.copied] == ["镇安全生产委员会及其办公室"]
    assert any("无主管部门" in w for w in r.warnings)
    # Without a village the 安委办 itself owns it: never without an owner.
    town_wide = route(sector=sector, place=None, found_on=D(2025, 3, 10))
    assert town_wide.owner.unit == "镇安全生产委员会及其办公室" and town_wide.flagged
    assert town_wide.copied == []
    # The leader told is the deputy in charge of safety (no portfolio covers an unsupervised sector).
    assert town_wide.leader is not None and town_wide.leader.person == "赵永军"


def test_it_routes_as_the_register_stood_on_the_day_found(register: Any) -> None:
    """Before a merger the old body owns it; after, the merged one — and the village followed its successor."""
    from yigang.org.actions import reorganise

    office = register.units["平安建设办公室"]
    other = register.units["城市管理办公室"]
    reorganise(
        town=register.town,
        kind="merge",
        sources=[office, other],
        results=["平安与城管办公室"],
        effective=D(2025, 6, 1),
        actor=register.officer,
    )
    sector = _sector(register, "烟花爆竹")
    before = route(sector=sector, place=None, found_on=D(2025, 5, 31))
    after = route(sector=sector, place=None, found_on=D(2025, 6, 2))
    assert before.owner.unit == "平安建设办公室" and before.owner.person == "平安建设办公室主任"
    assert after.owner.unit == "平安与城管办公室"
    assert Unit.objects.get(name="平安与城管办公室").pk == after.owner.unit_id


def test_deadline_in_working_days_is_part_of_the_answer(register: Any) -> None:
    # Found Wed 30 Sep 2026; 1–7 Oct are the National Day holiday; Sat 10 Oct is an adjusted working day.
    r = route(sector=_sector(register, "烟花爆竹"), place=None, found_on=D(2026, 9, 30), working_days=3)
    assert r.deadline == D(2026, 10, 10)
