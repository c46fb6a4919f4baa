"""The bell, the notification list, the robots page and the delivery log."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from yigang.notify.models import Notification, Robot

pytestmark = pytest.mark.django_db


def test_the_badge_counts_only_my_unread(users: Any, login: Any, town: Any) -> None:
    Notification.objects.create(user=users["leader"], town=town, title="一", url="/duties/")
    Notification.objects.create(user=users["leader"], town=town, title="二")
    Notification.objects.create(user=users["officer"], town=town, title="别人的")
    client = login(users["leader"])
    assert (
        '<span class="count" aria-hidden="true">2</span>'
        in client.get(reverse("duties:notify:badge")).content.decode()
    )
    html = client.get(reverse("duties:notify:list")).content.decode()
    assert "一" in html and "别人的" not in html


def test_reading_marks_it_and_follows_its_link(users: Any, login: Any, town: Any) -> None:
    note = Notification.objects.create(user=users["leader"], town=town, title="一", url="/duties/")
    other = Notification.objects.create(user=users["officer"], town=town, title="别人的")
    client = login(users["leader"])
    response = client.post(reverse("duties:notify:read", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/duties/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.post(reverse("duties:notify:read", args=[other.pk])).status_code == 404
    assert client.get(reverse("duties:notify:read", args=[note.pk])).status_code == 405


def test_an_outside_link_is_never_followed(users: Any, login: Any, town: Any) -> None:
    note = Notification.objects.create(
        user=users["leader"], town=town, title="一", url="https://evil.example/"
    )
    response = login(users["leader"]).post(reverse("duties:notify:read", args=[note.pk]))
    assert response["Location"] == reverse("duties:notify:list")


def test_read_all(users: Any, login: Any, town: Any) -> None:
    for i in range(3):
        Notification.objects.create(user=users["leader"], town=town, title=str(i))
    login(users["leader"]).post(reverse("duties:notify:read_all"))
    assert not Notification.objects.unread().exists()


def test_the_officer_adds_tests_pauses_and_removes_a_robot(
    users: Any, login: Any, town: Any, robot_server: Any
) -> None:
    client = login(users["officer"])
    response = client.post(
        reverse("duties:notify:robots"),
        {
            "name": "安委会群",
            "kind": "dingtalk",
            "url": f"{robot_server.url}/robot/send?access_token=T",
            "secret": "SECx",
        },
    )
    assert response.status_code == 302
    robot = Robot.objects.get()
    html = client.get(reverse("duties:notify:robots")).content.decode()
    assert "access_token=T" not in html and "SECx" not in html  # credentials are never shown back
    client.post(reverse("duties:notify:robot_test", args=[robot.pk]))
    assert robot_server.received[0]["json"]["msgtype"] == "text"
    assert "测试消息" in client.get(reverse("duties:notify:deliveries")).content.decode()
    client.post(reverse("duties:notify:robot_active", args=[robot.pk]))
    robot.refresh_from_db()
    assert not robot.active
    client.post(reverse("duties:notify:robot_remove", args=[robot.pk]))
    assert not Robot.objects.exists()


def test_a_bad_robot_url_is_a_chinese_message(users: Any, login: Any, town: Any) -> None:
    html = (
        login(users["officer"])
        .post(
            reverse("duties:notify:robots"), {"name": "群", "kind": "wecom", "url": "https://evil.example/x"}
        )
        .content.decode()
    )
    assert "主机须为" in html and not Robot.objects.exists()


def test_another_towns_officer_cannot_touch_our_robot(users: Any, login: Any, town: Any) -> None:
    from yigang.notify.actions import add_robot

    robot = add_robot(
        town=town,
        name="群",
        kind="wecom",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K",
        actor=None,
    )
    client = login(users["other_officer"])
    for name in ["duties:notify:robot_active", "duties:notify:robot_test", "duties:notify:robot_remove"]:
        assert client.post(reverse(name, args=[robot.pk])).status_code == 404
    assert "qyapi" not in client.get(reverse("duties:notify:robots")).content.decode()
