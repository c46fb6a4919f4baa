"""责令限期整改通知书: issued by a body that supervises the place, numbered per body and year, received later,
withdrawn (never edited or deleted). Every refusal is in Chinese and saves nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yigang.audit.models import AuditEntry
from yigang.notify.models import Notification
from yigang.places import actions
from yigang.places.models import OrderStatus, RectificationOrder

from .conftest import D

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _issue(world: SimpleNamespace, place: Any, data: Any) -> RectificationOrder:
    return actions.issue_order(place=place, data=data, actor=world.users["officer"])


def test_an_order_is_numbered_per_body_and_year_and_audited(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any], place: Any
) -> None:
    year = TODAY().year
    first = _issue(world, enterprise_place, order_data())
    second = _issue(world, enterprise_place, order_data())
    assert (first.number, second.number) == (
        f"乌审召镇〔{year}〕应急责改1号",
        f"乌审召镇〔{year}〕应急责改2号",
    )
    assert first.organ == "乌审召镇应急管理办公室" and first.addressee == "查干淖尔砂石料场"
    assert first.legal_representative == "王建国" and first.found_at == "乌审召嘎查查干淖尔"
    assert first.items == ["按设计削坡分台阶", "设置安全警示标志"] and first.status() == OrderStatus.ISSUED
    # Another body numbers from 1 with its own 代字; last year's orders do not count toward this year's.
    shop = place("镇区五金店", [world.fire], kind="small_venue")
    police = _issue(world, shop, order_data(unit=world.police))
    assert police.number == f"乌审召镇〔{year}〕公安责改1号"
    old = _issue(
        world,
        enterprise_place,
        order_data(issued_on=D(year - 1, 12, 30), deadline=D(year, 1, 10), found_on=D(year - 1, 12, 29)),
    )
    assert old.number == f"乌审召镇〔{year - 1}〕应急责改1号"
    assert actions.next_number(world.emergency, year) == (3, f"乌审召镇〔{year}〕应急责改3号")
    entry = AuditEntry.objects.filter(event="places.order.issue").order_by("-id").first()
    assert entry is not None and entry.changes["number"] == old.number


def test_a_body_keeps_the_word_it_chose(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any]
) -> None:
    year = TODAY().year
    assert _issue(world, enterprise_place, order_data(word="安监")).number == f"乌审召镇〔{year}〕安监责改1号"
    assert _issue(world, enterprise_place, order_data()).number == f"乌审召镇〔{year}〕安监责改2号"


def test_a_number_another_body_holds_is_refused_naming_it(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any], place: Any
) -> None:
    _issue(world, enterprise_place, order_data())
    hall = place("镇文化活动中心", [world.fire], kind="crowded_place")
    count = RectificationOrder.objects.count()
    with pytest.raises(ValidationError) as refused:
        _issue(world, hall, order_data(unit=world.safety_office, word="应急"))
    assert refused.value.messages == [
        f"文号“乌审召镇〔{TODAY().year}〕应急责改1号”已由“应急管理办公室”使用：请改用本单位自己的机关代字。"
    ]
    assert RectificationOrder.objects.count() == count


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"deadline": None}, "请填写整改期限。"),
        ({"deadline": "today"}, "整改期限须晚于下达日期。"),
        ({"issued_on": "tomorrow"}, "下达日期不能晚于今天。"),
        ({"issued_on": D(1999, 12, 31), "found_on": D(1999, 12, 30)}, "下达日期无效。"),
        ({"finding": "  "}, "请填写检查发现的问题（隐患）。"),
        ({"items": ["", "  "]}, "请至少填写一项整改要求。"),
        ({"items": ["x"] * 31}, "整改要求至多 30 项，每项不超过 500 个字。"),
        ({"legal_basis": ""}, "请填写法律依据（如《中华人民共和国安全生产法》的有关条款）。"),
        ({"unit": None}, "请选择下达通知书的监管单位。"),
        (
            {"unit": "police"},
            "“查干淖尔砂石料场”所属行业领域由应急管理办公室监管，“公安派出所”不能向其下达整改通知书。",
        ),
        (
            {"unit": "village"},
            "“查干淖尔砂石料场”所属行业领域由应急管理办公室监管，“乌审召嘎查”不能向其下达整改通知书。",
        ),
        ({"found_on": "tomorrow"}, "检查日期不能晚于下达日期。"),
        ({"word": "应急〔"}, "机关代字不超过 20 个字，且不含〔〕和“号”。"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    world: SimpleNamespace,
    enterprise_place: Any,
    order_data: Callable[..., Any],
    given: dict[str, Any],
    message: str,
) -> None:
    words = {
        "today": TODAY(),
        "tomorrow": TODAY() + datetime.timedelta(days=1),
        "police": world.police,
        "village": world.village,
    }
    values = {k: words.get(v, v) if isinstance(v, str) else v for k, v in given.items()}
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        _issue(world, enterprise_place, order_data(**values))
    assert message in refused.value.messages
    assert not RectificationOrder.objects.exists() and AuditEntry.objects.count() == entries


def test_a_closed_place_and_another_places_hazard_are_refused(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any], place: Any
) -> None:
    from yigang.hazards.actions import HazardData, report_hazard

    other = place("另一砂场", [world.mines])
    hazard, _ = report_hazard(
        town=world.town,
        data=HazardData(
            sector=world.mines,
            description="边坡超高",
            address="另一砂场",
            found_on=TODAY(),
            found_by="巡查员",
            source="inspection",
            village=world.village,
            deadline=TODAY() + datetime.timedelta(days=5),
        ),
        notify=False,
        actor=world.users["officer"],
    )
    with pytest.raises(ValidationError) as refused:
        _issue(world, other, order_data(hazard=hazard))
    assert f"隐患{hazard.number}不是“另一砂场”的隐患。" in refused.value.messages
    actions.close_place(place=other, closed=TODAY() - datetime.timedelta(days=1), reason="关闭", actor=None)
    with pytest.raises(ValidationError) as refused:
        _issue(world, other, order_data())
    assert (
        f"“另一砂场”已于{TODAY() - datetime.timedelta(days=1)}注销，不能再下达整改通知。"
        in refused.value.messages
    )
    assert not RectificationOrder.objects.exists()


def test_a_body_the_towns_table_routes_the_place_to_may_issue(
    world: SimpleNamespace, place: Any, order_data: Callable[..., Any]
) -> None:
    from yigang.org import actions as org

    gas = org.add_sector(town=world.town, name="燃气", actor=None)
    shop = place("镇区液化气供应点", [gas], kind="small_venue")
    with pytest.raises(ValidationError) as refused:
        _issue(world, shop, order_data(unit=world.police))
    assert refused.value.messages[0].startswith("“镇区液化气供应点”所属行业领域由无监管单位")
    actions.add_route(sector=gas, kind="small_venue", unit=world.police, start=D(2020, 1, 1), actor=None)
    assert [u.name for u in actions.issuing_bodies(shop, TODAY())] == ["公安派出所"]
    assert _issue(world, shop, order_data(unit=world.police)).unit == world.police


def test_the_receipt_is_recorded_once_by_its_own_step(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any]
) -> None:
    order = _issue(world, enterprise_place, order_data(issued_on=TODAY() - datetime.timedelta(days=2)))
    officer = world.users["officer"]
    for name, day, message in [
        ("", TODAY(), "请填写签收人姓名。"),
        ("王建国", None, "请填写签收日期。"),
        ("王建国", TODAY() - datetime.timedelta(days=3), "签收日期不能早于下达日期。"),
        ("王建国", TODAY() + datetime.timedelta(days=1), "签收日期不能晚于今天。"),
    ]:
        with pytest.raises(ValidationError) as refused:
            actions.record_receipt(order=order, received_by=name, received_on=day, actor=officer)
        assert message in refused.value.messages
        order.refresh_from_db()
        assert order.received_on is None and not order.received_by
    actions.record_receipt(order=order, received_by=" 王建国 ", received_on=TODAY(), actor=officer)
    order.refresh_from_db()
    assert (order.received_by, order.received_on, order.status()) == ("王建国", TODAY(), OrderStatus.RECEIVED)
    assert order.receipt_by == officer
    with pytest.raises(ValidationError) as refused:
        actions.record_receipt(order=order, received_by="李四", received_on=TODAY(), actor=officer)
    assert refused.value.messages == [f"通知书{order.number}已于{TODAY()}由王建国签收。"]
    assert AuditEntry.objects.filter(event="places.order.receipt").count() == 1


def test_a_wrong_order_is_withdrawn_kept_and_replaced(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any]
) -> None:
    order = _issue(world, enterprise_place, order_data())
    officer = world.users["officer"]
    with pytest.raises(ValidationError) as refused:
        _issue(world, enterprise_place, order_data(replaces=order))
    assert refused.value.messages == [f"通知书{order.number}尚未撤销：请先撤销再重新下达。"]
    with pytest.raises(ValidationError) as refused:
        actions.withdraw_order(order=order, reason=" ", actor=officer)
    assert refused.value.messages == ["请填写撤销原因。"]
    actions.withdraw_order(order=order, reason="整改期限填写错误", actor=officer)
    order.refresh_from_db()
    assert order.status() == OrderStatus.WITHDRAWN and order.withdrawn_reason == "整改期限填写错误"
    with pytest.raises(ValidationError) as refused:
        actions.withdraw_order(order=order, reason="再次", actor=officer)
    assert refused.value.messages == [f"通知书{order.number}已撤销。"]
    with pytest.raises(ValidationError) as refused:
        actions.record_receipt(order=order, received_by="王建国", received_on=TODAY(), actor=officer)
    assert refused.value.messages == [f"通知书{order.number}已撤销，不能登记签收。"]
    again = _issue(world, enterprise_place, order_data(replaces=order))
    assert again.replaces == order and again.serial == order.serial + 1
    with pytest.raises(ValidationError) as refused:
        _issue(world, enterprise_place, order_data(replaces=order))
    assert refused.value.messages == [f"通知书{order.number}已由另一份通知书替代。"]
    assert RectificationOrder.objects.count() == 2  # the withdrawn one stays on record
    assert AuditEntry.objects.filter(event="places.order.withdraw").count() == 1


def test_an_order_not_received_by_its_deadline_says_so(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any]
) -> None:
    order = _issue(
        world,
        enterprise_place,
        order_data(
            issued_on=TODAY() - datetime.timedelta(days=10), deadline=TODAY() - datetime.timedelta(days=1)
        ),
    )
    assert order.status() == OrderStatus.UNRECEIVED and order.status_label == "逾期未签收"
    assert order.status(today=TODAY() - datetime.timedelta(days=1)) == OrderStatus.ISSUED


def test_the_enterprises_own_accounts_are_told_and_none_is_no_failure(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any], make_user: Any
) -> None:
    order = _issue(world, enterprise_place, order_data())  # no account of the enterprise yet: nothing fails
    assert not Notification.objects.filter(title__contains=order.number).exists()
    manager = make_user("qiye", "body_staff", world.town, unit=world.enterprise)
    second = _issue(world, enterprise_place, order_data())
    told = Notification.objects.get(user=manager)
    assert told.title == f"【责令限期整改】{second.number}"
    assert f"/places/{enterprise_place.pk}/" in told.url and "按设计削坡分台阶" in told.body
    assert not Notification.objects.exclude(user=manager).filter(title__contains="责令限期整改").exists()
