"""The 责令限期整改通知书 pages: issued from a place's page or a hazard at it (prefilled), listed with its status,
downloaded, received and withdrawn — by the 安委办 or a body that supervises the place, and by no one else."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from yigang.audit.models import AuditEntry
from yigang.places import actions
from yigang.places.models import RectificationOrder

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _form(world: SimpleNamespace, **given: Any) -> dict[str, Any]:
    return {
        "unit": world.emergency.pk,
        "issued_on": TODAY().isoformat(),
        "deadline": (TODAY() + datetime.timedelta(days=7)).isoformat(),
        "finding": "采场边坡超高",
        "items": "削坡分台阶\n设置警示标志\n",
        "legal_basis": "《中华人民共和国安全生产法》第一百零二条",
        **given,
    }


def _hazard(world: SimpleNamespace, enterprise: Any) -> Any:
    from yigang.hazards.actions import HazardData, report_hazard

    hazard, _ = report_hazard(
        town=world.town,
        data=HazardData(
            sector=world.mines,
            description="采场边坡未按设计分台阶开采",
            address="查干淖尔采场北侧",
            found_on=TODAY() - datetime.timedelta(days=1),
            found_by="那日苏",
            source="inspection",
            village=world.village,
            enterprise=enterprise,
            deadline=TODAY() + datetime.timedelta(days=12),
        ),
        notify=False,
        actor=world.users["officer"],
    )
    return hazard


def test_issued_from_the_place_page_listed_and_downloaded(
    world: SimpleNamespace, enterprise_place: Any, login: Any
) -> None:
    client = login(world.users["body_staff"])  # the emergency office supervises 非煤矿山
    detail = reverse("places:detail", args=[enterprise_place.pk])
    assert reverse("places:order_new", args=[enterprise_place.pk]) in client.get(detail).content.decode()
    form = client.get(reverse("places:order_new", args=[enterprise_place.pk])).content.decode()
    number = f"乌审召镇〔{TODAY().year}〕应急责改1号"
    assert number in form and "《中华人民共和国安全生产法》第四十一条第二款" in form
    picks = [actions.LEGAL_BASIS_EXAMPLES[0][0], actions.LEGAL_BASIS_EXAMPLES[2][0]]
    response = client.post(
        reverse("places:order_new", args=[enterprise_place.pk]),
        _form(world, basis_picks=picks, legal_basis="《内蒙古自治区安全生产条例》有关规定"),
        follow=True,
    )
    page = response.content.decode()
    order = RectificationOrder.objects.get()
    assert order.number == number and order.items == ["削坡分台阶", "设置警示标志"]
    assert order.legal_basis == (
        "《中华人民共和国安全生产法》第四十一条第二款、《中华人民共和国安全生产法》第一百零二条、"
        "《内蒙古自治区安全生产条例》有关规定"
    )
    assert order.issued_by == world.users["body_staff"]
    assert f"已下达 {number}" in page and "已下达</span>" in page
    download = client.get(reverse("places:order_docx", args=[order.pk]))
    assert download.status_code == 200 and download["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in download["Content-Disposition"]


def test_a_hazard_at_a_registered_place_offers_the_notice_prefilled(
    world: SimpleNamespace, enterprise_place: Any, login: Any, place: Callable[..., Any]
) -> None:
    hazard = _hazard(world, world.enterprise)
    client = login(world.users["officer"])
    page = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    link = f"{reverse('places:order_new', args=[enterprise_place.pk])}?hazard={hazard.pk}"
    assert "下达责令限期整改通知书" in page and link in page
    form = client.get(link).content.decode()
    assert "采场边坡未按设计分台阶开采" in form
    assert f'value="{hazard.deadline.isoformat()}"' in form and hazard.number in form
    client.post(link, _form(world, finding="采场边坡未按设计分台阶开采", hazard=hazard.pk))
    order = RectificationOrder.objects.get()
    assert order.hazard == hazard
    assert order.number in client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    # A hazard of an enterprise with no place in the register: no section, no button.
    from yigang.org import actions as org

    loose = _hazard(world, org.add_unit(town=world.town, name="某运输公司", kind="enterprise", actor=None))
    assert "责令限期整改通知书" not in client.get(reverse("hazards:detail", args=[loose.pk])).content.decode()


def test_who_may_not_issue_gets_a_403_and_nothing_is_saved(
    world: SimpleNamespace, enterprise_place: Any, login: Any, make_user: Any
) -> None:
    police_staff = make_user("police", "body_staff", world.town, unit=world.police)
    url = reverse("places:order_new", args=[enterprise_place.pk])
    detail = reverse("places:detail", args=[enterprise_place.pk])
    # The police do not supervise 非煤矿山: the place is not theirs to read (404). Village staff and a leader read
    # it, but issue nothing (403, audited), and the page offers them no button.
    assert login(police_staff).post(url, _form(world)).status_code == 404
    for user in (world.users["village_staff"], world.users["leader"]):
        client = login(user)
        assert url not in client.get(detail).content.decode()
        assert client.get(url).status_code == 403 and client.post(url, _form(world)).status_code == 403
    assert not RectificationOrder.objects.exists()
    assert AuditEntry.objects.filter(event="auth.permission_denied").count() == 4


def test_body_staff_issue_only_for_their_own_body(
    world: SimpleNamespace, place: Callable[..., Any], login: Any
) -> None:
    # 消防: the police (九小场所) and the safety office both supervise; the emergency office does not.
    hall = place("镇文化活动中心", [world.fire, world.mines], kind="crowded_place")
    client = login(world.users["body_staff"])
    response = client.post(reverse("places:order_new", args=[hall.pk]), _form(world, unit=world.police.pk))
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not RectificationOrder.objects.exists()


def test_a_refused_order_says_why_in_chinese(
    world: SimpleNamespace, enterprise_place: Any, login: Any
) -> None:
    client = login(world.users["officer"])
    response = client.post(
        reverse("places:order_new", args=[enterprise_place.pk]),
        _form(world, deadline=TODAY().isoformat(), items="", legal_basis=""),
    )
    page = response.content.decode()
    assert "整改期限须晚于下达日期。" in page and "请至少填写一项整改要求。" in page
    assert "请填写法律依据" in page and not RectificationOrder.objects.exists()


def test_receipt_and_withdrawal_from_the_place_page(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any], login: Any
) -> None:
    order = actions.issue_order(place=enterprise_place, data=order_data(), actor=world.users["officer"])
    village = login(world.users["village_staff"])
    assert (
        village.post(reverse("places:order_receipt", args=[order.pk]), {"received_by": "x"}).status_code
        == 403
    )
    client = login(world.users["body_staff"])
    page = client.get(reverse("places:detail", args=[enterprise_place.pk])).content.decode()
    assert reverse("places:order_receipt", args=[order.pk]) in page
    client.post(
        reverse("places:order_receipt", args=[order.pk]),
        {"received_by": "王建国", "received_on": TODAY().isoformat()},
    )
    order.refresh_from_db()
    assert order.received_by == "王建国"
    page = client.get(reverse("places:detail", args=[enterprise_place.pk])).content.decode()
    assert "已签收</span>" in page and "王建国 于" in page
    response = client.post(reverse("places:order_withdraw", args=[order.pk]), {"reason": ""}, follow=True)
    assert "请填写撤销原因。" in response.content.decode()
    client.post(reverse("places:order_withdraw", args=[order.pk]), {"reason": "期限有误"})
    page = client.get(reverse("places:detail", args=[enterprise_place.pk])).content.decode()
    assert "已撤销</span>" in page and "期限有误" in page
    assert f"{reverse('places:order_new', args=[enterprise_place.pk])}?replaces={order.pk}" in page


def test_the_api_lists_and_issues_with_the_same_rules(
    world: SimpleNamespace, enterprise_place: Any, login: Any
) -> None:
    client = login(world.users["body_staff"])
    url = f"/api/places/{enterprise_place.pk}/orders"
    payload = {
        "unit_id": world.police.pk,
        "deadline": (TODAY() + datetime.timedelta(days=7)).isoformat(),
        "finding": "边坡超高",
        "items": ["削坡"],
        "legal_basis": "《中华人民共和国安全生产法》第一百零二条",
    }
    refused = client.post(url, payload)
    assert refused.status_code == 400
    assert "由应急管理办公室监管，“公安派出所”不能向其下达整改通知书" in refused.json()["detail"]
    made = client.post(url, {**payload, "unit_id": world.emergency.pk})
    assert made.status_code == 201 and made.json()["number"] == f"乌审召镇〔{TODAY().year}〕应急责改1号"
    listed = client.get(url).json()
    assert [o["status_label"] for o in listed] == ["已下达"] and listed[0]["items"] == ["削坡"]
    detail = client.get(f"/api/places/orders/{listed[0]['id']}").json()
    assert detail["addressee"] == "查干淖尔砂石料场"
