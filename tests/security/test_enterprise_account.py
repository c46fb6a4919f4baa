"""The enterprise's own account (企业安全管理人员, issue 24.5) in the standing World: the petrol station's account
(`enterprise`) speaks for `world.enterprise`, the unit `world.place` stands for; the standing hazard is at it.

It sees only its place and the hazards at it, reports what it found itself (企业自查, routed as any report is),
submits the rectification with photos but never accepts or sends back, hears of its hazards, and is granted
only through the RoleGrant path, onto an enterprise that a registered open place stands for."""

from __future__ import annotations

import base64
import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _photo(name: str = "整改后.png") -> io.BytesIO:
    f = io.BytesIO(PNG)
    f.name = name
    return f


def _other_enterprise(world: Any) -> tuple[Any, Any]:
    """Another enterprise of the town with its place and a hazard at it."""
    from yigang.hazards.actions import HazardData, report_hazard
    from yigang.org.actions import add_unit
    from yigang.places import actions

    officer = world.users["officer"]
    unit = add_unit(
        town=world.town, name="乌审召液化气站", kind="enterprise", village=world.village, actor=officer
    )
    place = actions.register_place(
        town=world.town,
        data=actions.PlaceData(
            name="乌审召液化气站",
            kind="petrol_station",
            village=world.village,
            sectors=[world.sector],
            unit=unit,
        ),
        actor=officer,
    )
    hazard, _ = report_hazard(
        town=world.town,
        data=HazardData(
            sector=world.sector,
            description="液化气站钢瓶露天存放",
            address="乌审召液化气站",
            found_on=datetime.date(2025, 4, 9),
            found_by="王巡查",
            source="inspection",
            enterprise=unit,
            deadline=datetime.date(2025, 4, 30),
        ),
        actor=officer,
    )
    return place, hazard


def test_it_sees_its_place_and_its_hazards_only(world: Any) -> None:
    other_place, other_hazard = _other_enterprise(world)
    client = world.client("enterprise")
    places = client.get(reverse("places:list")).content.decode()
    assert world.place.name in places and other_place.name not in places
    assert client.get(reverse("places:detail", args=[other_place.pk])).status_code == 404
    assert client.get(reverse("hazards:detail", args=[other_hazard.pk])).status_code == 404
    assert client.get(f"/api/hazards/{other_hazard.pk}").status_code == 404
    listed = client.get(reverse("hazards:list")).content.decode()
    assert world.hazard.number in listed and other_hazard.number not in listed
    assert [h["id"] for h in client.get("/api/hazards/").json()] == [world.hazard.pk]
    assert [p["id"] for p in client.get("/api/places").json()] == [world.place.pk]


def test_every_other_page_is_refused_and_audited(world: Any) -> None:
    from yigang.audit.models import AuditEntry

    client = world.client("enterprise")
    before = AuditEntry.objects.filter(event="auth.permission_denied").count()
    for url in (
        reverse("duties:overview"),
        reverse("org:people"),
        reverse("hazards:stats"),
        "/api/regulations",
    ):
        assert client.get(url).status_code == 403, url
    assert AuditEntry.objects.filter(event="auth.permission_denied").count() == before + 4


def test_it_reports_a_hazard_it_found_itself_at_its_own_place(world: Any) -> None:
    from yigang.hazards.models import Hazard, Source
    from yigang.hazards.routing import route

    client = world.client("enterprise")
    page = client.get(reverse("hazards:new")).content.decode()
    assert "企业自查上报" in page and world.place.name in page
    assert 'name="enterprise"' not in page and 'name="source"' not in page
    response = client.post(
        reverse("hazards:new"),
        {
            "sector": world.sector.pk,
            "description": "加油机静电接地线松动",
            "address": "乌审召加油站加油区",
            "grade": "general",
            "found_on": "2025-05-06",
            "found_by": "张海",
            "working_days": 5,
            "photos": [_photo("现场.png")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hazard = Hazard.objects.get(description="加油机静电接地线松动")
    assert hazard.source == Source.SELF_CHECK
    assert (hazard.enterprise, hazard.village, hazard.site) == (
        world.enterprise,
        world.village,
        world.place.name,
    )
    # The routing is any report's: the supervising body is told and owns it.
    routed = route(sector=world.sector, place=world.village, found_on=hazard.found_on, working_days=5)
    assert hazard.owner_unit_id == routed.owner.unit_id
    assert response["Location"] == reverse("hazards:detail", args=[hazard.pk])


def test_the_api_reports_at_its_own_place_and_refuses_another_enterprise_or_way_of_finding(
    world: Any,
) -> None:
    from yigang.hazards.models import Hazard

    _other_enterprise(world)
    client = world.client("enterprise")
    report = {
        "town": world.town.code,
        "sector": world.sector.name,
        "description": "储罐区消防沙不足",
        "address": "乌审召加油站储罐区",
        "found_on": "2025-05-06",
        "found_by": "张海",
        "source": "self_check",
        "working_days": 5,
    }
    response = client.post("/api/hazards/", report)
    assert response.status_code == 201, response.content
    assert response.json()["enterprise"] == world.enterprise.name
    for changed, message in (
        ({"enterprise": "乌审召液化气站"}, "企业账号只能上报本单位的隐患"),
        ({"source": "inspection"}, "发现方式应为“企业自查”"),
    ):
        refused = client.post("/api/hazards/", {**report, **changed, "description": "另一条"})
        assert refused.status_code == 400 and message in refused.json()["detail"]
    assert not Hazard.objects.filter(description="另一条").exists()


def test_it_submits_its_rectification_with_photos_but_never_accepts_or_sends_back(world: Any) -> None:
    from yigang.hazards import actions
    from yigang.hazards.models import Status

    hazard = actions.start_rectifying(hazard=world.hazard, actor=world.users["officer"])
    client = world.client("enterprise")
    page = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert 'value="submit"' in page
    response = client.post(
        reverse("hazards:step", args=[hazard.pk]),
        {"step": "submit", "note": "已更换灭火器并检查压力", "photos": [_photo()]},
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Status.SUBMITTED
    assert hazard.photos.filter(stage="after").count() == 1
    for step in ("accept", "send_back"):
        data = {"step": step, "note": "自己验收", "secret": PASSWORD}
        assert client.post(reverse("hazards:step", args=[hazard.pk]), data).status_code == 403
        assert client.post(f"/api/hazards/{hazard.pk}/steps", data).status_code == 403
    hazard.refresh_from_db()
    assert hazard.status == Status.SUBMITTED
    # Nor any other step: no decline, no extension.
    assert (
        client.post(
            f"/api/hazards/{hazard.pk}/extensions", {"deadline": "2025-06-01", "reason": "x"}
        ).status_code
        == 403
    )


def test_it_hears_of_the_hazards_at_its_enterprise(world: Any) -> None:
    from yigang.hazards import actions
    from yigang.hazards.actions import HazardData, report_hazard

    user = world.users["enterprise"]
    hazard, _ = report_hazard(
        town=world.town,
        data=HazardData(
            sector=world.sector,
            description="卸油口未设防静电装置",
            address="乌审召加油站",
            found_on=datetime.date(2025, 5, 6),
            found_by="王巡查",
            source="inspection",
            enterprise=world.enterprise,
            village=world.village,
            deadline=datetime.date(2025, 5, 20),
        ),
        actor=world.users["officer"],
    )
    assert user.notifications.filter(title__contains=hazard.number).count() == 1
    hazard = actions.start_rectifying(hazard=hazard, actor=world.users["officer"])
    hazard = actions.submit(
        hazard=hazard, note="已加装", photos=[actions.Upload(io.BytesIO(PNG), "a.png")], actor=user
    )
    actions.accept(hazard=hazard, note="合格", actor=world.users["officer"], secret=PASSWORD)
    assert user.notifications.filter(title__contains="销号").count() == 1
    home = world.client("enterprise").get(reverse("home")).content.decode()
    assert "企业自查上报" in home and world.place.name in home and "剩余天数" in home


def test_its_home_lists_its_open_hazards_with_what_is_due_from_it(world: Any) -> None:
    from yigang.hazards import actions

    actions.start_rectifying(hazard=world.hazard, actor=world.users["officer"])
    home = world.client("enterprise").get(reverse("home")).content.decode()
    assert world.hazard.number in home
    assert "整改完成后上传照片，提请验收" in home and "待本单位提请验收 1 条" in home
    assert "现行制度" not in home  # none of the town's cards


def test_the_grant_path_refuses_what_is_not_an_open_registered_enterprise(world: Any, make_user: Any) -> None:
    from yigang.org.actions import add_unit
    from yigang.places import actions as places
    from yigang.towns.actions import add_membership, confirm_grant
    from yigang.towns.models import Membership, Role, RoleGrant

    sysadmin, officer = world.users["sysadmin"], world.users["officer"]
    account = make_user("zhanghai", None)
    bare = add_unit(
        town=world.town, name="未登记的企业", kind="enterprise", village=world.village, actor=officer
    )
    closed = add_unit(
        town=world.town, name="已关闭的砖厂", kind="enterprise", village=world.village, actor=officer
    )
    place = places.register_place(
        town=world.town,
        data=places.PlaceData(
            name="已关闭的砖厂", kind="enterprise", village=world.village, sectors=[world.sector], unit=closed
        ),
        actor=officer,
    )
    places.close_place(place=place, closed=datetime.date(2025, 1, 1), reason="停产", actor=officer)
    for unit, message in (
        (None, "须指定所在的生产经营单位"),
        (world.body, "须选择生产经营单位"),
        (bare, "尚未关联监管对象台账中的场所"),
        (closed, "已注销"),
    ):
        with pytest.raises(ValidationError, match=message):
            add_membership(user=account, role=Role.ENTERPRISE, town=world.town, unit=unit, actor=sysadmin)
    with pytest.raises(ValidationError, match="不能同时担任其他角色"):
        add_membership(
            user=world.users["leader"],
            role=Role.ENTERPRISE,
            town=world.town,
            unit=world.enterprise,
            actor=sysadmin,
        )
    assert not RoleGrant.objects.filter(user=account).exists()
    # The right one waits for the 安委办, and only then confers the role.
    grant = add_membership(
        user=account, role=Role.ENTERPRISE, town=world.town, unit=world.enterprise, actor=sysadmin
    )
    assert isinstance(grant, RoleGrant) and not Membership.objects.filter(user=account).exists()
    membership = confirm_grant(grant=grant, actor=officer)
    assert (membership.role, membership.unit) == (Role.ENTERPRISE, world.enterprise)
    with pytest.raises(ValidationError, match="不能同时担任其他角色"):
        add_membership(user=account, role=Role.LEADER, town=world.town, actor=sysadmin)


def test_it_downloads_the_order_addressed_to_it_and_no_other(world: Any) -> None:
    from yigang.places import actions

    other_place, _hazard = _other_enterprise(world)
    other_order = actions.issue_order(
        place=other_place,
        data=actions.OrderData(
            unit=world.body,
            deadline=world.order.deadline,
            finding="液化气站钢瓶露天存放",
            items=["钢瓶入库存放"],
            legal_basis=actions.LEGAL_BASIS_EXAMPLES[0][0],
        ),
        actor=world.users["officer"],
    )
    client = world.client("enterprise")
    page = client.get(reverse("places:detail", args=[world.place.pk])).content.decode()
    mine = reverse("places:order_docx", args=[world.order.pk])
    assert mine in page  # the place's page links its own order, and the link opens
    assert client.get(mine).status_code == 200
    assert client.get(reverse("places:order_docx", args=[other_order.pk])).status_code == 404
