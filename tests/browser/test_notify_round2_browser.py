"""Issue 27 on a 390-px phone (point 10), in the demo town, as the village secretary 其其格 (gacha):

- her unread notifications are grouped by kind; 全部标为已读 empties them and the header's bell then says, to a
  screen reader too, that nothing is unread (points 8 and 11);
- a hazard's timeline names the 安委办's person and post, not the login "anweiban" (point 6);
- another village's hazard says 无权查看或不存在 with 返回上一页 and 返回首页 (point 7).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from tests.browser.guard import Guard, load_demo, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Yigang@2022"


def _link_the_office(officer: Any) -> str:
    """The 安委办 account linked to a person with a post in the office (unless the demo links one already)."""
    from yigang.org import actions
    from yigang.org.models import Person, Unit
    from yigang.towns.actions import link_person
    from yigang.towns.naming import display_name

    if not Person.objects.filter(user=officer).exists():
        office = Unit.objects.get(town=officer.memberships.get().town, name="镇安全生产委员会及其办公室")
        post = actions.add_post(unit=office, title="安委办专职工作人员", actor=None)
        person = actions.add_person(town=office.town, name="王晓燕", actor=None)
        actions.appoint(post=post, person=person, start=datetime.date(2021, 9, 1), actor=None)
        link_person(user=officer, person=person, actor=None)
    return display_name(officer)


def _bell(phone: Any) -> Any:
    bell = phone.locator("a.bell")
    bell.wait_for()
    return bell


def test_notifications_names_and_refusals_on_a_phone(phone: Any, live_server: Any) -> None:
    from django.contrib.auth import get_user_model

    from yigang.hazards.models import Hazard
    from yigang.notify import dispatch
    from yigang.notify.models import Notification
    from yigang.org.models import Person

    load_demo()
    base = live_server.url
    users = get_user_model().objects
    gacha = users.get(username="gacha")
    town = gacha.memberships.get().town
    for key, subject in [
        ("hazard:900001|test|in_app|to:gacha", "【测试】隐患待整改"),
        ("hazard:900002|test|in_app|to:gacha", "【测试】隐患已逾期"),
        ("signoff:task:900003|stage:new|in_app|to:gacha", "【测试】待签收"),
    ]:
        dispatch.in_app(town=town, user=gacha, messages=[dispatch.Message(key, subject, "测试", "")])
    unread = Notification.objects.for_user(gacha).unread().count()
    assert unread >= 3
    name = _link_the_office(users.get(username="anweiban"))

    guard = Guard(phone, "notify-round2")
    login(phone, base, "gacha", PASSWORD)
    phone.goto(f"{base}/duties/notifications/")
    _bell(phone)  # the badge arrives by htmx after the page
    assert phone.get_by_role("link", name=re.compile(rf"^通知\s*（{unread} 条未读）$")).count() == 1
    hazards = phone.locator("section.note-kind[data-kind=hazard]")
    assert "隐患（" in hazards.locator("h4").inner_text() and "【测试】隐患已逾期" in hazards.inner_text()
    assert "签收确认（" in phone.locator("section.note-kind[data-kind=signoff] h4").inner_text()
    guard.check("1-grouped")
    button = phone.get_by_role("button", name="全部标为已读", exact=True)
    assert button.bounding_box()["height"] >= 44
    button.click()
    phone.wait_for_load_state("load")
    assert "没有未读通知" in phone.locator("main").inner_text()
    bell = _bell(phone)
    assert bell.locator(".count").count() == 0
    assert phone.get_by_role("link", name=re.compile(r"^通知\s*（无未读）$")).count() == 1
    assert "【测试】隐患已逾期" in phone.locator("section.notes-read").inner_text()
    guard.check("2-all-read")

    village = Person.objects.get(user=gacha).tenures.get(end__isnull=True).post.unit
    mine = Hazard.objects.filter(village=village, events__actor__username="anweiban").distinct().first()
    assert mine is not None, "the demo's 安委办 took steps on a hazard of 乌审召嘎查"
    phone.goto(f"{base}/hazards/{mine.pk}/")
    timeline = phone.locator("ol.timeline").inner_text()
    assert name in timeline and "anweiban" not in phone.locator("main").inner_text()
    guard.check("3-timeline")

    other = Hazard.objects.filter(town=town).exclude(village=village).exclude(village=None).first()
    assert other is not None
    # Come from her own hazard (as a tapped link would), so 返回上一页 leads back to it.
    phone.goto(f"{base}/hazards/{other.pk}/", referer=f"{base}/hazards/{mine.pk}/")
    main = phone.locator("main")
    assert phone.get_by_role("heading", name="无权查看或不存在").count() == 1
    assert other.description not in main.inner_text()
    scroll, inner = phone.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    home = phone.get_by_role("button", name="返回首页")
    assert home.get_attribute("href") == "/" and home.bounding_box()["height"] >= 44
    phone.screenshot(path=_shot("4-refused"))  # not guard.check: the 404 is the point of this page
    phone.get_by_role("button", name="返回上一页").click()
    phone.wait_for_url(f"{base}/hazards/{mine.pk}/")
    assert name in phone.locator("ol.timeline").inner_text()


def _shot(name: str) -> str:
    from tests.browser.guard import RESULTS

    return str(RESULTS / "notify-round2" / f"{name}.png")
