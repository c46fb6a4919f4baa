"""The standing world of the authorisation tests: a town with an active regulation and a draft, its register,
one user per role (body and village staff attached to their units), and the same kinds of people elsewhere.

The register holds a leadership post held by the leader's own person (who is in charge of the body), a post of
the body held by a person without an account, and a post of the village; one duty record with a photo credits
the body's post. The leader has a notification; the town has a group robot (its webhook a closed local port,
so a test message fails at once, with no network).

Body and village staff read only their part of the duty records (docs/security.md): the body staff the body's
post (its holder, the record), not the leader's post in the government; the village staff their village's
post, which nobody holds and no record credits — so neither the record nor anyone's year."""

from __future__ import annotations

import base64
import datetime
import io
import socket
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tests.conftest import SEED

# A 1×1 PNG: the smallest evidence an attachment check accepts.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@dataclass
class World:
    town: Any
    other_town: Any
    users: dict[str, Any]
    regulation: Any
    draft: Any
    draft_duty: Any
    sector: Any
    supervision: Any
    body: Any
    village: Any
    managed: Any
    managed_membership: Any
    government: Any
    leader_post: Any  # held by the leader's own person
    body_post: Any  # a post of the body (body staff credit it)
    village_post: Any  # a post of the village (village staff credit it)
    leader_person: Any
    person: Any  # holds the body's post; no account
    tenure: Any  # the person's open tenure of the body's post
    portfolio: Any  # the leader's post is in charge of the body
    record: Any  # a duty record crediting the body's post
    attachment: Any  # its photo
    notification: Any  # addressed to the leader
    robot: Any
    # What each narrow reader's duty lists and summaries must not mention: the performance data outside their part.
    outside_part: dict[str, list[str]]
    hazard: Any = None  # a hazard in the body's sector and the village, owned by the body, with a photo
    signoff: Any = None  # tests/security/signoff_world.py
    accident: Any = None  # tests/security/accidents_world.py
    task: Any = None
    hidden_accident: Any = None
    accident_attachment: Any = None
    town_duty: Any = None  # the town's own monthly inspection duty on the body's post (镇定要求)
    place: Any = None  # tests/security/places_world.py
    plan_item: Any = None
    route: Any = None
    order: Any = None  # a 责令限期整改通知书 the body issued to the place
    enterprise: Any = None  # the petrol station's enterprise unit; world.place stands for it

    def client(self, principal: str, **kwargs: Any) -> Client:
        client = Client(**kwargs)
        if principal != "anonymous":
            client.force_login(self.users[principal])
        return client


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def world(
    town: Any,
    other_town: Any,
    users: dict[str, Any],
    regulation: Any,
    make_user: Any,
    settings: Any,
    tmp_path: Any,
) -> World:
    import zoneinfo

    from yigang.duties.actions import RecordData, Upload, create_record
    from yigang.notify import dispatch
    from yigang.notify.actions import add_robot
    from yigang.notify.channels import DEFAULT_WEBHOOK_HOSTS
    from yigang.org.actions import add_person, add_post, add_unit, appoint, assign_portfolio
    from yigang.org.models import Supervision, Unit, UnitKind
    from yigang.regulations import actions
    from yigang.towns.models import Membership, Role

    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.NOTIFY_WEBHOOK_HOSTS = [*DEFAULT_WEBHOOK_HOSTS, "127.0.0.1"]
    officer = users["officer"]
    draft = actions.import_regulation(town=town, data=SEED, filename="v2.txt", actor=officer)
    supervision = Supervision.objects.filter(town=town).select_related("sector", "unit").first()
    body = supervision.unit
    village = add_unit(town=town, name="乌审召嘎查", kind=UnitKind.VILLAGE, actor=officer)
    Membership.objects.filter(user=users["body_staff"]).update(unit=body)
    Membership.objects.filter(user=users["village_staff"]).update(unit=village)
    users = {**users, "other_sysadmin": make_user("othersys", Role.SYSADMIN, other_town)}
    managed = users["leader"]
    assert Unit.objects.filter(pk=body.pk, kind=UnitKind.BODY).exists()

    since = datetime.date(2020, 1, 1)
    government = add_unit(town=town, name="镇人民政府", kind=UnitKind.GOVERNMENT, actor=officer)
    leader_post = add_post(unit=government, title="分管安全生产副镇长", kind="safety_deputy", actor=officer)
    body_post = add_post(unit=body, title=f"{body.name}负责人", kind="department_head", actor=officer)
    village_post = add_post(
        unit=village, title="乌审召嘎查党支部书记", kind="village_secretary", actor=officer
    )
    leader_person = add_person(town=town, name="李强", user=users["leader"], actor=officer)
    appoint(post=leader_post, person=leader_person, start=since, actor=officer)
    person = add_person(town=town, name="巴图", phone="13800000000", actor=officer)
    tenure = appoint(post=body_post, person=person, start=since, actor=officer)
    portfolio = assign_portfolio(post=leader_post, unit=body, start=since, actor=officer)
    record = create_record(
        town=town,
        data=RecordData(
            kind="inspection",
            occurred_at=datetime.datetime(2025, 3, 18, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
            title="春季安全生产联合检查",
            place="乌审召嘎查加油站",
            summary="检查加油站消防器材和应急预案。",
            participants="应急办、派出所",
            posts=[body_post],
        ),
        files=[Upload(io.BytesIO(PNG), "现场照片.png")],
        actor=officer,
    )
    dispatch.in_app(
        town=town,
        user=users["leader"],
        messages=[
            dispatch.Message(
                key="world:leader", subject="本月安全例会待开", text="请及时开展", url="/duties/"
            )
        ],
    )
    robot = add_robot(
        town=town,
        name="安委办工作群",
        kind="wecom",
        url=f"http://127.0.0.1:{_closed_port()}/cgi-bin/webhook/send?key=K",
        actor=officer,
    )
    notification = users["leader"].notifications.get()
    # The World's enterprise (the petrol station's unit): the standing hazard is at it, and its own account
    # (企业安全管理人员) speaks for it once the place is registered (places_world.py).
    enterprise = add_unit(
        town=town, name="乌审召加油站", kind=UnitKind.ENTERPRISE, village=village, actor=officer
    )
    hazard, outside_hazard = _hazards(town, supervision, body, village, officer, enterprise)
    from yigang.duties.actions import add_town_duty

    town_duty = add_town_duty(
        post=body_post,
        kind="inspection",
        period="month",
        min_count=1,
        text="每月至少检查1次本单位监管的行业领域",
        valid_from=datetime.date(2025, 1, 1),
        actor=officer,
    )
    world = World(
        town=town,
        other_town=other_town,
        users=users,
        regulation=regulation,
        draft=draft,
        draft_duty=draft.duties.order_by("position").first(),
        sector=supervision.sector,
        supervision=supervision,
        body=body,
        village=village,
        managed=managed,
        managed_membership=Membership.objects.get(user=managed),
        government=government,
        leader_post=leader_post,
        body_post=body_post,
        village_post=village_post,
        leader_person=leader_person,
        person=person,
        tenure=tenure,
        portfolio=portfolio,
        record=record,
        attachment=record.attachments.get(),
        notification=notification,
        robot=robot,
        outside_part={
            # the leader's post is the government's (its rows, its year); the hazard of another sector
            "body_staff": [leader_person.name, outside_hazard.description],
            "village_staff": [leader_person.name, person.name, record.title, outside_hazard.description],
            # the enterprise's account reads its place and the hazards at it: no other hazard, record or place
            "enterprise": [record.title, outside_hazard.description],
        },
        hazard=hazard,
        town_duty=town_duty,
        enterprise=enterprise,
    )
    from .accidents_world import add_accidents
    from .signoff_world import build as build_signoff

    world.signoff = build_signoff(world, PNG)
    add_accidents(world)
    from .places_world import add_places

    add_places(world)
    return world


def _hazards(
    town: Any, supervision: Any, body: Any, village: Any, officer: Any, enterprise: Any
) -> tuple[Any, Any]:
    """A hazard the body and the village both read (its sector, its village) at the enterprise, and one neither
    reads (nor the enterprise)."""
    from django.db.models import Count

    from yigang.hazards.actions import HazardData, Upload, report_hazard
    from yigang.org.models import Sector

    found = datetime.date(2025, 4, 8)
    # A sector the body alone supervises, so the body owns the hazard.
    sole = (
        Sector.objects.filter(town=town, supervisions__unit=body)
        .annotate(n=Count("supervisions"))
        .filter(n=1)
        .order_by("id")
        .first()
    )
    hazard, _ = report_hazard(
        town=town,
        data=HazardData(
            sector=sole or supervision.sector,
            description="加油站灭火器压力不足",
            address="乌审召嘎查加油站",
            found_on=found,
            found_by="王巡查",
            source="inspection",
            village=village,
            enterprise=enterprise,
            deadline=datetime.date(2025, 4, 18),
        ),
        photos=[Upload(io.BytesIO(PNG), "灭火器.png")],
        actor=officer,
    )
    other = Sector.objects.filter(town=town).exclude(supervisions__unit=body).order_by("id").first()
    outside, _ = report_hazard(
        town=town,
        data=HazardData(
            sector=other,
            description="镇区商铺电线私拉乱接",
            address="镇区商业街",
            found_on=found,
            found_by="安委办",
            source="public",
            deadline=datetime.date(2025, 4, 30),
        ),
        actor=officer,
    )
    return hazard, outside
