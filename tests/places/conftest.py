"""A small town for the places register: two bodies, villages, sectors, and helpers for places and inspections."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def world(town: Any, users: dict[str, Any]) -> SimpleNamespace:
    from yigang.org import actions as org
    from yigang.towns.models import Membership

    w = SimpleNamespace(town=town, users=users)
    w.emergency = org.add_unit(town=town, name="应急管理办公室", actor=None)
    w.police = org.add_unit(town=town, name="公安派出所", actor=None)
    w.safety_office = org.add_unit(town=town, name="镇安全生产委员会及其办公室", actor=None)
    w.village = org.add_unit(town=town, name="乌审召嘎查", kind="village", actor=None)
    w.other_village = org.add_unit(town=town, name="巴音敖包嘎查", kind="village", actor=None)
    w.mines = org.add_sector(town=town, name="非煤矿山", actor=None)
    w.chemicals = org.add_sector(town=town, name="危险化学品", actor=None)
    w.fire = org.add_sector(town=town, name="消防", actor=None)
    w.roads = org.add_sector(town=town, name="道路交通", actor=None)
    w.head = org.add_post(unit=w.emergency, title="应急管理办公室负责人", kind="department_head", actor=None)
    w.police_head = org.add_post(unit=w.police, title="公安派出所负责人", kind="department_head", actor=None)
    w.office_head = org.add_post(
        unit=w.safety_office, title="镇安全生产委员会及其办公室负责人", kind="department_head", actor=None
    )
    for post, name in ((w.head, "那日苏"), (w.police_head, "马军"), (w.office_head, "赵永军")):
        person = org.add_person(town=town, name=name, actor=None)
        org.appoint(post=post, person=person, start=D(2021, 1, 1), actor=None)
    org.add_supervision(sector=w.mines, unit=w.emergency, actor=None)
    org.add_supervision(sector=w.fire, unit=w.police, scope="九小场所", actor=None)
    org.add_supervision(sector=w.fire, unit=w.safety_office, actor=None)
    # Body staff of the emergency office, village staff of 乌审召嘎查 (the standing users have no unit).
    Membership.objects.filter(user=users["body_staff"]).update(unit=w.emergency)
    Membership.objects.filter(user=users["village_staff"]).update(unit=w.village)
    return w


@pytest.fixture
def place(world: SimpleNamespace) -> Callable[..., Any]:
    from yigang.places import actions

    def make(name: str, sectors: list[Any], *, village: Any = None, kind: str = "mine", **extra: Any) -> Any:
        data = actions.PlaceData(
            name=name, kind=kind, village=village or world.village, sectors=sectors, **extra
        )
        return actions.register_place(town=world.town, data=data, actor=world.users["officer"])

    return make


@pytest.fixture
def inspect(world: SimpleNamespace) -> Callable[..., Any]:
    from yigang.duties.actions import RecordData
    from yigang.places import actions

    def do(day: datetime.date, posts: list[Any], places: list[Any], kind: str = "inspection") -> Any:
        data = RecordData(
            kind=kind,
            occurred_at=at(day),
            title="安全检查",
            place="现场",
            summary="检查安全生产情况",
            participants="",
            posts=posts,
            findings="未发现问题",
        )
        return actions.record_inspection(
            town=world.town, data=data, places=places, actor=world.users["officer"]
        )

    return do


@pytest.fixture
def enterprise_place(world: SimpleNamespace, place: Callable[..., Any]) -> Any:
    """A mine (非煤矿山: the emergency office supervises it) registered with its enterprise unit."""
    from yigang.org import actions as org

    world.enterprise = org.add_unit(
        town=world.town, name="查干淖尔砂石有限公司", kind="enterprise", actor=None
    )
    return place(
        "查干淖尔砂石料场",
        [world.mines],
        unit=world.enterprise,
        address="乌审召嘎查查干淖尔",
        legal_representative="王建国",
    )


@pytest.fixture
def order_data(world: SimpleNamespace) -> Callable[..., Any]:
    from django.utils import timezone

    from yigang.places import actions

    def make(**given: Any) -> Any:
        today = timezone.localdate()
        values: dict[str, Any] = {
            "unit": world.emergency,
            "deadline": today + datetime.timedelta(days=10),
            "finding": "采场边坡未按设计分台阶开采，局部坡面超高。",
            "items": ["按设计削坡分台阶", "设置安全警示标志"],
            "legal_basis": actions.LEGAL_BASIS_EXAMPLES[0][0],
        }
        values.update(given)
        return actions.OrderData(**values)

    return make
