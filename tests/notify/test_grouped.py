"""The bell's page groups the unread by kind and marks all, or one kind, read — only the user's own."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from yigang.audit.models import AuditEntry
from yigang.notify import actions, dispatch
from yigang.notify.models import Notification, NotificationKind, kind_of_key

pytestmark = pytest.mark.django_db


def _note(user: Any, town: Any, title: str, kind: str, minutes_ago: int = 0, read: bool = False) -> Any:
    note = Notification.objects.create(user=user, town=town, title=title, kind=kind)
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=note.pk).update(created_at=at, read_at=at if read else None)
    return note


def test_the_kind_is_read_off_the_delivery_key() -> None:
    assert kind_of_key("hazard:12|routed:3|in_app|to:x") == "hazard"
    assert kind_of_key("accident:4|grade:一般|channel:in_app|to:x") == "accident"
    assert kind_of_key("duty:7|post:1|period:month:2026-01-01|person:-|stage:due|in_app|to:x") == "duty"
    assert kind_of_key("town_duty:7|post:1|in_app|to:x") == "duty"
    assert kind_of_key("signoff:task:9|stage:new|in_app|to:x") == "signoff"
    assert kind_of_key("robot-test:1:abc") == "other"


def test_in_app_delivery_keeps_the_kind(users: Any, town: Any) -> None:
    dispatch.in_app(
        town=town, user=users["leader"], messages=[dispatch.Message("hazard:1|x|in_app|to:l", "隐患", "t")]
    )
    assert Notification.objects.get().kind == NotificationKind.HAZARD


def test_unread_are_grouped_by_kind_newest_first_and_read_ones_below(
    users: Any, login: Any, town: Any
) -> None:
    leader = users["leader"]
    _note(leader, town, "旧隐患", "hazard", minutes_ago=30)
    _note(leader, town, "新隐患", "hazard", minutes_ago=1)
    _note(leader, town, "签收甲", "signoff", minutes_ago=5)
    _note(leader, town, "早已读过", "duty", minutes_ago=60, read=True)
    _note(users["officer"], town, "别人的事故", "accident")
    html = login(leader).get(reverse("duties:notify:list")).content.decode()
    assert "未读（3 条）" in html
    assert "隐患（2 条未读）" in html and "签收确认（1 条未读）" in html
    assert "事故（" not in html and "别人的事故" not in html
    # The kinds in their fixed order, newest first inside; the read one after every unread one.
    positions = [
        html.index(t) for t in ["隐患（2 条未读）", "新隐患", "旧隐患", "签收确认（1 条未读）", "早已读过"]
    ]
    assert positions == sorted(positions)
    assert html.index("早已读过") > html.index('id="read-heading"')


def test_mark_all_of_one_kind_leaves_the_others(users: Any, login: Any, town: Any) -> None:
    leader = users["leader"]
    a = _note(leader, town, "隐患一", "hazard")
    b = _note(leader, town, "签收一", "signoff")
    client = login(leader)
    response = client.post(reverse("duties:notify:read_all"), {"kind": "hazard"})
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.read_at is not None and b.read_at is None
    entry = AuditEntry.objects.filter(event="notify.read_all").get()
    assert entry.changes == {"count": 1, "kind": "hazard"} and entry.username == leader.username
    html = client.get(reverse("duties:notify:list")).content.decode()
    assert "隐患（" not in html and "签收确认（1 条未读）" in html


def test_an_unknown_kind_marks_nothing(users: Any, login: Any, town: Any) -> None:
    leader = users["leader"]
    _note(leader, town, "隐患一", "hazard")
    response = login(leader).post(reverse("duties:notify:read_all"), {"kind": "bogus"}, follow=True)
    assert "通知类别无效" in response.content.decode()
    assert Notification.objects.unread().count() == 1
    assert not AuditEntry.objects.filter(event="notify.read_all").exists()


def test_nobody_marks_anothers_notifications(users: Any, login: Any, town: Any) -> None:
    mine = _note(users["leader"], town, "我的", "hazard")
    theirs = _note(users["officer"], town, "他的", "hazard")
    client = login(users["leader"])
    client.post(reverse("duties:notify:read_all"))
    assert client.post(reverse("duties:notify:read", args=[theirs.pk])).status_code == 404
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    # The action itself touches only the named user's bell, whoever acts.
    assert actions.mark_all_read(user=users["village_staff"], actor=users["village_staff"]) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_kind_page_lists_that_kind_only(users: Any, login: Any, town: Any) -> None:
    leader = users["leader"]
    for i in range(23):
        _note(leader, town, f"隐患{i:02d}", "hazard", minutes_ago=i)
    _note(leader, town, "签收一", "signoff")
    client = login(leader)
    html = client.get(reverse("duties:notify:list")).content.decode()
    assert "隐患19" in html and "隐患20" not in html  # 20 shown under the heading
    assert "查看本类全部 23 条未读" in html
    html = client.get(reverse("duties:notify:list") + "?kind=hazard").content.decode()
    assert "签收一" not in html and "“隐患”全部标为已读" in html


def test_the_badge_names_the_count(users: Any, login: Any, town: Any) -> None:
    leader = users["leader"]
    _note(leader, town, "一", "hazard")
    _note(leader, town, "二", "duty")
    client = login(leader)
    assert (
        '>通知<span class="visually-hidden">（2 条未读）</span>'
        in client.get(reverse("duties:notify:badge")).content.decode()
    )
    client.post(reverse("duties:notify:read_all"))
    assert (
        '>通知<span class="visually-hidden">（无未读）</span>'
        in client.get(reverse("duties:notify:badge")).content.decode()
    )


def test_the_api_marks_all_or_one_kind(users: Any, login: Any, town: Any) -> None:
    leader = users["leader"]
    _note(leader, town, "一", "hazard")
    _note(leader, town, "二", "duty")
    theirs = _note(users["officer"], town, "他的", "hazard")
    client = login(leader)
    listed = client.get("/api/notify/notifications?unread=true&kind=hazard").json()
    assert [n["title"] for n in listed] == ["一"] and listed[0]["kind"] == "hazard"
    assert client.post("/api/notify/notifications/read-all?kind=hazard").json() == {"count": 1}
    assert client.post("/api/notify/notifications/read-all?kind=nope").status_code == 400
    assert client.post("/api/notify/notifications/read-all").json() == {"count": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_page_costs_a_fixed_number_of_queries(
    users: Any, login: Any, town: Any, django_assert_max_num_queries: Any
) -> None:
    leader = users["leader"]
    client = login(leader)
    client.get(reverse("duties:notify:list"))
    for i in range(60):
        _note(leader, town, f"n{i}", NotificationKind.values[i % 5], minutes_ago=i, read=i % 3 == 0)
    # The session, user and memberships, one count by kind, a list per kind (five), the read ones' count and page.
    with django_assert_max_num_queries(12):
        page = client.get(reverse("duties:notify:list"))
    assert page.status_code == 200
