"""Issue 24 points 2 and 4: at a registered place the enterprise rectifies (主体责任, its legal representative) and
the supervising body oversees and accepts; a sector no body heads follows the town's place-type routes; the owner
always has a person while the register has one, and escalation tells only whom the routing named."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from yigang.hazards import notices
from yigang.hazards.escalation import escalate_town
from yigang.hazards.models import EventKind
from yigang.hazards.routing import route
from yigang.org import actions as org
from yigang.org.models import Sector, Unit
from yigang.places import actions as places

pytestmark = pytest.mark.django_db
D = datetime.date
FOUND = D(2025, 3, 10)


def _sector(register: Any, name: str) -> Sector:
    return Sector.objects.get(town=register.town, name=name)


def _enterprise(register: Any, name: str, sector: str, kind: str, **place: Any) -> Unit:
    """An enterprise unit in 乌审召嘎查, registered as a place of `kind` in `sector`."""
    village = register.units["乌审召嘎查"]
    unit = org.add_unit(
        town=register.town,
        name=name,
        kind="enterprise",
        sector=_sector(register, sector),
        village=village,
        actor=register.officer,
    )
    places.register_place(
        town=register.town,
        data=places.PlaceData(
            name=name, kind=kind, village=village, sectors=[_sector(register, sector)], unit=unit, **place
        ),
        actor=register.officer,
    )
    return unit


@pytest.fixture
def station(register: Any) -> Unit:
    return _enterprise(
        register,
        "乌审召加油站",
        "危险化学品",
        "petrol_station",
        legal_representative="白音",
        legal_representative_phone="13904770401",
        safety_manager="张海",
        safety_manager_phone="13904770601",
    )


def test_a_hazard_at_a_petrol_station_is_rectified_by_its_legal_representative_and_overseen_by_the_body(
    report: Any, register: Any, station: Unit
) -> None:
    hazard = report(sector="危险化学品", enterprise=station)
    routing = hazard.routing
    assert routing["rectifier"] == {
        "unit": "乌审召加油站",
        "place": "乌审召加油站",
        "place_kind": "petrol_station",
        "place_kind_label": "加油加气站",
        "post": "法定代表人",
        "person": "白音",
        "phone": "13904770401",
        "contact": "张海",
        "contact_phone": "13904770601",
        "unit_id": station.pk,
        "place_id": station.place.pk,
        "person_id": None,
    }
    # The supervising body stays the owner: it oversees the rectification and accepts it (验收).
    assert hazard.owner_unit.name == "平安建设办公室"
    assert routing["owner"]["person"] == "平安建设办公室主任"
    assert hazard.village.name == "乌审召嘎查"


def test_the_page_the_api_and_the_cli_show_both(
    report: Any, register: Any, station: Unit, client: Client
) -> None:
    hazard = report(sector="危险化学品", enterprise=station)
    client.force_login(register.officer)
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "整改责任主体（主体责任）" in page and "白音" in page and "tel:13904770401" in page
    assert "监管部门（督促、验收）" in page and "平安建设办公室主任" in page
    detail = client.get(f"/api/hazards/{hazard.pk}").json()
    assert detail["rectifier"]["person"] == "白音" and detail["rectifier"]["contact"] == "张海"
    assert "unit_id" not in detail["rectifier"] and detail["owner_unit"] == "平安建设办公室"
    listed = client.get("/api/hazards/", {"town": register.town.code}).json()
    assert [h["rectifier"]["person"] for h in listed] == ["白音"]
    preview = client.get(
        "/api/hazards/route",
        {
            "town": register.town.code,
            "sector": "危险化学品",
            "place": "乌审召加油站",
            "found_on": "2025-03-10",
        },
    ).json()
    assert preview["rectifier"]["phone"] == "13904770401" and preview["owner"]["unit"] == "平安建设办公室"
    out = io.StringIO()
    call_command(
        "hazard", "route", "--town", register.town.code, "--sector", "危险化学品", "--place", "乌审召加油站",
        "--found-on", "2025-03-10", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "整改责任主体（主体责任）：乌审召加油站 法定代表人 白音（13904770401）；安全管理人员 张海" in text
    assert "监管部门（督促、验收）：平安建设办公室 平安建设办公室负责人 平安建设办公室主任" in text
    assert "责任单位：" not in text


def test_the_snapshot_keeps_the_rectifier_of_the_day_found(report: Any, register: Any, station: Unit) -> None:
    hazard = report(sector="危险化学品", enterprise=station)
    place = station.place
    data = places.PlaceData(
        name=place.name,
        kind=place.kind,
        village=place.village,
        sectors=list(place.sectors.all()),
        unit=station,
        legal_representative="新法人",
        legal_representative_phone="13900000000",
    )
    places.update_place(place=place, data=data, actor=register.officer)
    hazard.refresh_from_db()
    assert hazard.routing["rectifier"]["person"] == "白音"  # who was told then
    assert report(sector="危险化学品", enterprise=station).routing["rectifier"]["person"] == "新法人"


def test_without_a_name_on_the_place_the_legal_representative_post_names_the_rectifier(register: Any) -> None:
    unit = _enterprise(register, "查干淖尔砂石料场", "非煤矿山", "mine", safety_manager="王亮")
    post = org.add_post(unit=unit, title="法定代表人", kind="enterprise_head", actor=register.officer)
    person = org.add_person(town=register.town, name="敖登", actor=register.officer)
    org.appoint(post=post, person=person, start=D(2024, 1, 1), actor=register.officer)
    r = route(sector=_sector(register, "非煤矿山"), place=unit.village, enterprise=unit, found_on=FOUND)
    assert r.rectifier is not None
    assert (r.rectifier.person, r.rectifier.person_id, r.rectifier.contact) == ("敖登", person.pk, "王亮")


def test_a_hazard_not_at_a_registered_place_has_no_rectifier(report: Any, register: Any) -> None:
    before = route(sector=_sector(register, "烟花爆竹"), place=register.units["乌审召嘎查"], found_on=FOUND)
    assert before.rectifier is None and before.as_dict()["rectifier"] is None
    assert before.owner.as_dict() == {
        "unit": "平安建设办公室",
        "post": "平安建设办公室负责人",
        "person": "平安建设办公室主任",
    }
    # An enterprise of the register that is no place under supervision: no rectifier either.
    bare = org.add_unit(
        town=register.town,
        name="敖包图光伏电站",
        kind="enterprise",
        sector=_sector(register, "电力"),
        village=register.units["乌审召嘎查"],
        actor=register.officer,
    )
    hazard = report(sector="烟花爆竹", enterprise=bare)
    assert hazard.routing["rectifier"] is None
    assert hazard.routing["owner"]["person"] == "平安建设办公室主任"


def test_a_fire_hazard_at_a_small_venue_goes_to_the_police_station_by_the_towns_table(
    report: Any, register: Any
) -> None:
    venue = _enterprise(register, "乌审召便民超市", "消防", "small_venue", legal_representative="刘霞")
    fire = _sector(register, "消防")
    # Without the table: 消防 is headless (派出所 only for 九小场所); the 安委办 owns it — named, never blank.
    r = route(sector=fire, place=venue.village, enterprise=venue, found_on=FOUND)
    assert r.owner.unit == "镇安全生产委员会及其办公室"
    assert r.owner.person == "镇安全生产委员会及其办公室主任"
    assert any("按场所类型分工未涵盖" in w for w in r.warnings)
    places.add_route(
        sector=fire, kind="small_venue", unit=register.units["公安派出所"], start=D(2022, 8, 4), actor=None
    )
    hazard = report(sector="消防", enterprise=venue)
    assert hazard.owner_unit.name == "公安派出所"
    assert hazard.routing["owner"]["person"] == "公安派出所主任"
    assert [c["unit"] for c in hazard.routing["copied"]] == ["镇安全生产委员会及其办公室"]
    assert hazard.routing["rectifier"]["person"] == "刘霞"
    assert any("按本镇场所类型分工（九小场所）由“公安派出所”负责" in w for w in hazard.routing["warnings"])


def test_a_place_type_with_no_route_falls_to_a_named_person(register: Any) -> None:
    places.add_route(
        sector=_sector(register, "消防"),
        kind="small_venue",
        unit=register.units["公安派出所"],
        start=D(2022, 8, 4),
        actor=None,
    )
    school = _enterprise(register, "乌审召镇中心学校", "消防", "school", legal_representative="孟和")
    r = route(sector=_sector(register, "消防"), place=school.village, enterprise=school, found_on=FOUND)
    assert r.owner.unit == "镇安全生产委员会及其办公室" and r.owner.person == "镇安全生产委员会及其办公室主任"
    assert r.rectifier is not None and r.rectifier.person == "孟和"


@pytest.fixture
def headless_body(register: Any) -> Any:
    """A sector whose only body has no head seat; the body's leader in charge is 额尔敦 (副镇长)."""
    body = org.add_unit(town=register.town, name="燃气管理站", actor=register.officer)
    sector = org.add_sector(town=register.town, name="燃气", actor=register.officer)
    org.add_supervision(sector=sector, unit=body, actor=register.officer)
    org.assign_portfolio(
        post=register.posts["副镇长"], unit=body, start=D(2021, 1, 1), actor=register.officer
    )
    return body, sector


def test_an_owner_without_a_head_is_named_by_its_leader_in_charge(register: Any, headless_body: Any) -> None:
    _body, sector = headless_body
    r = route(sector=sector, place=register.units["乌审召嘎查"], found_on=FOUND)
    assert r.owner.unit == "燃气管理站"
    assert (r.owner.post, r.owner.person, r.owner.acting) == ("副镇长", "额尔敦", True)
    assert r.owner.snapshot()["acting"] is True
    assert any("没有负责人岗位：由副镇长额尔敦督促办理" in w for w in r.warnings)
    # A blank route of the sector to a body with a head settles it for every place.
    places.add_route(
        sector=sector, kind="", unit=register.units["城市管理办公室"], start=D(2022, 1, 1), actor=None
    )
    routed = route(sector=sector, place=None, found_on=FOUND)
    assert routed.owner.unit == "城市管理办公室" and routed.owner.person == "城市管理办公室主任"
    assert [c.unit for c in routed.copied] == ["燃气管理站"]


def test_an_owner_without_a_head_or_a_leader_falls_to_the_safety_deputy(register: Any) -> None:
    body = org.add_unit(town=register.town, name="燃气管理站", actor=register.officer)
    sector = org.add_sector(town=register.town, name="燃气", actor=register.officer)
    org.add_supervision(sector=sector, unit=body, actor=register.officer)
    r = route(sector=sector, place=None, found_on=FOUND)
    assert r.owner.unit == "燃气管理站" and r.owner.person == "赵永军" and r.owner.acting


def test_escalation_tells_the_owner_seat_the_routing_named_not_a_head_appointed_since(
    report: Any, register: Any, headless_body: Any
) -> None:
    body, _sector = headless_body
    hazard = report(sector="燃气", deadline=D(2025, 3, 20))
    stood_in = register.person("额尔敦")
    assert hazard.routing["owner"]["person_id"] == stood_in.pk
    # The body gets a head after the routing: level 1 still reaches the seat the routing named.
    post = org.add_post(unit=body, title="燃气管理站站长", kind="department_head", actor=register.officer)
    newcomer = org.add_person(town=register.town, name="新站长", actor=register.officer)
    org.appoint(post=post, person=newcomer, start=D(2025, 3, 15), actor=register.officer)
    today = D(2025, 3, 22)
    assert notices.level_person(hazard, 1, today) == stood_in.pk
    escalate_town(register.town, today)
    assert hazard.events.get(kind=EventKind.ESCALATED).note == "责任单位负责人额尔敦"


def test_escalation_tells_nobody_at_level_one_when_the_routing_named_no_owner_seat(
    report: Any, register: Any
) -> None:
    """A routing stored before this rule (the 安委办 of 消防 with no seat): its head was never named, so level 1
    does not reach them; the officers are copied on every level as before."""
    hazard = report(sector="镇区商业", deadline=D(2025, 3, 20))
    hazard.routing = {
        **hazard.routing,
        "owner": {**hazard.routing["owner"], "post_id": None, "person_id": None},
    }
    hazard.save(update_fields=["routing"])
    assert notices.level_person(hazard, 1, D(2025, 3, 22)) is None


def test_the_demo_petrol_station_is_rectified_by_its_legal_representative() -> None:
    call_command("demo", "--quiet")
    out = io.StringIO()
    call_command(
        "hazard", "route", "--town", "wushenzhao", "--sector", "危险化学品", "--place", "乌审召加油站", "--json",
        stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["rectifier"]["person"] == "白音" and data["rectifier"]["contact"] == "张海"
    assert data["owner"]["unit"] != "乌审召加油站" and data["owner"]["person"]
    fire = io.StringIO()
    call_command(
        "hazard", "route", "--town", "wushenzhao", "--sector", "消防", "--place", "乌审召加油站", "--json", stdout=fire
    )  # fmt: skip
    owner = json.loads(fire.getvalue())["owner"]
    assert (
        owner["unit"] == "镇安全生产委员会及其办公室" and owner["person"]
    )  # never an owner without a person
