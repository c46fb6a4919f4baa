"""Group robots: DingTalk's signed text message and WeCom's, delivered to a local server; failures logged."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yigang.notify import actions, dispatch
from yigang.notify.channels import dingtalk_signed_url
from yigang.notify.models import Delivery, DeliveryAttempt

pytestmark = pytest.mark.django_db


def test_the_dingtalk_signature_is_hmac_sha256_of_timestamp_and_secret() -> None:
    url = dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=abc", "SECxyz", 1700000000000
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    expected = base64.b64encode(
        hmac.new(b"SECxyz", b"1700000000000\nSECxyz", hashlib.sha256).digest()
    ).decode()
    assert query == {"access_token": ["abc"], "timestamp": ["1700000000000"], "sign": [expected]}


def test_it_posts_a_signed_dingtalk_message(town: Any, robot_server: Any) -> None:
    robot = actions.add_robot(
        town=town,
        name="安委会群",
        kind="dingtalk",
        url=f"{robot_server.url}/robot/send?access_token=t0k",
        secret="SECabc",
        actor=None,
    )
    outcome = dispatch.robot(
        robot=robot,
        header="【一岗双责提醒】",
        messages=[dispatch.Message("k1", "s", "镇长：每年至少4次会议")],
    )
    assert (outcome.sent, outcome.failed) == (1, 0)
    (got,) = robot_server.received
    assert got["json"] == {"msgtype": "text", "text": {"content": "【一岗双责提醒】\n镇长：每年至少4次会议"}}
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(got["path"]).query)
    expected = base64.b64encode(
        hmac.new(b"SECabc", f"{query['timestamp'][0]}\nSECabc".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["access_token"] == ["t0k"] and query["sign"] == [expected]
    assert Delivery.objects.get(key="k1").status == "sent"
    assert DeliveryAttempt.objects.get().ok


def test_it_posts_a_wecom_message_once_per_key(town: Any, robot_server: Any) -> None:
    robot = actions.add_robot(
        town=town,
        name="企业微信群",
        kind="wecom",
        url=f"{robot_server.url}/cgi-bin/webhook/send?key=K",
        actor=None,
    )
    messages = [dispatch.Message(f"k{i}", "s", f"第{i}条") for i in range(3)]
    dispatch.robot(robot=robot, header="H", messages=messages)
    again = dispatch.robot(robot=robot, header="H", messages=messages)
    assert (again.sent, again.skipped) == (0, 3)
    (got,) = robot_server.received
    assert got["path"] == "/cgi-bin/webhook/send?key=K"
    assert got["json"] == {"msgtype": "text", "text": {"content": "H\n第0条\n第1条\n第2条"}}


def test_a_refusal_is_logged_and_retried_later(town: Any, robot_server: Any) -> None:
    robot = actions.add_robot(
        town=town, name="群", kind="wecom", url=f"{robot_server.url}/send?key=K", actor=None
    )
    robot_server.answer = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    message = dispatch.Message("k", "s", "text")
    failed = dispatch.robot(robot=robot, header="H", messages=[message])
    assert failed.failed == 1 and "93000" in failed.errors[0]
    delivery = Delivery.objects.get(key="k")
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    robot_server.answer = (200, {"errcode": 0, "errmsg": "ok"})
    retried = dispatch.robot(robot=robot, header="H", messages=[message])
    assert retried.sent == 1
    assert [a.ok for a in DeliveryAttempt.objects.order_by("id")] == [False, True]


def test_an_http_error_or_a_closed_port_is_a_logged_failure(town: Any, robot_server: Any) -> None:
    robot = actions.add_robot(
        town=town, name="群", kind="wecom", url=f"{robot_server.url}/send?key=K", actor=None
    )
    robot_server.answer = (500, {"error": "boom"})
    assert (
        "HTTP 500"
        in dispatch.robot(robot=robot, header="H", messages=[dispatch.Message("a", "s", "t")]).errors[0]
    )
    robot_server.close()
    outcome = dispatch.robot(robot=robot, header="H", messages=[dispatch.Message("b", "s", "t")])
    assert outcome.failed == 1 and "无法连接" in outcome.errors[0]
    assert DeliveryAttempt.objects.filter(ok=False).count() == 2


def test_it_gives_up_after_five_attempts(town: Any, robot_server: Any) -> None:
    robot = actions.add_robot(
        town=town, name="群", kind="wecom", url=f"{robot_server.url}/send?key=K", actor=None
    )
    robot_server.answer = (200, {"errcode": 1})
    for _ in range(7):
        dispatch.robot(robot=robot, header="H", messages=[dispatch.Message("k", "s", "t")])
    assert Delivery.objects.get(key="k").attempts == dispatch.MAX_ATTEMPTS
    assert len(robot_server.received) == dispatch.MAX_ATTEMPTS


def test_long_batches_are_split_under_the_size_limit(town: Any, robot_server: Any) -> None:
    robot = actions.add_robot(
        town=town, name="群", kind="wecom", url=f"{robot_server.url}/send?key=K", actor=None
    )
    messages = [dispatch.Message(f"k{i}", "s", "镇长：组织召开安全生产工作会议" * 5) for i in range(20)]
    assert dispatch.robot(robot=robot, header="H", messages=messages).sent == 20
    assert len(robot_server.received) > 1
    assert all(len(r["json"]["text"]["content"].encode()) <= 2000 for r in robot_server.received)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://oapi.dingtalk.com/robot/send", "https://"),
        ("https://evil.example.com/robot/send", "主机须为"),
        ("http://oapi.dingtalk.com/robot/send?access_token=x", "https://"),
        ("https://user:pw@oapi.dingtalk.com/robot/send", "用户名"),
    ],
)
def test_it_refuses_webhook_urls_that_are_not_robots(town: Any, url: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        actions.add_robot(town=town, name="群", kind="dingtalk", url=url, actor=None)


def test_a_robot_is_added_with_its_secret_kept_out_of_the_audit_trail(town: Any) -> None:
    from yigang.audit.models import AuditEntry

    actions.add_robot(
        town=town,
        name="群",
        kind="dingtalk",
        url="https://oapi.dingtalk.com/robot/send?access_token=SECRET1",
        secret="SECRET2",
        actor=None,
    )
    entry = AuditEntry.objects.get(event="notify.robot.add")
    assert "SECRET1" not in str(entry.changes) and "SECRET2" not in str(entry.changes)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://oapi.dingtalk.com/robot/send?access_token=a b", "空格"),
        ("https://oapi.dingtalk.com/robot/send?access_token=a\nb", "换行"),
        ("https://oapi.dingtalk.com/robot/send?access_token=a\x00b", "不可见"),
        ("https://oapi.dingtalk.com/robot/send?access_token=令牌", "英文"),
        ("https://oapi.dingtalk.com:99999/robot/send", "端口"),
        ("https://oapi.dingtalk.com:abc/robot/send", "端口"),
        ("https://[oapi.dingtalk.com/robot/send", "格式"),
        ("https://oapi.dingtalk.com/robot/send#x", "片段"),
        ("", "不能为空"),
        ("https://oapi.dingtalk.com/" + "a" * 500, "500"),
    ],
)
def test_webhook_urls_are_validated_in_full(town: Any, url: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        actions.add_robot(town=town, name="群", kind="dingtalk", url=url, actor=None)


def test_a_stored_bad_url_fails_only_its_own_deliveries(town: Any, robot_server: Any) -> None:
    from yigang.notify.models import Robot

    good = actions.add_robot(
        town=town, name="好群", kind="wecom", url=f"{robot_server.url}/send?key=K", actor=None
    )
    bad = actions.add_robot(
        town=town, name="坏群", kind="wecom", url=f"{robot_server.url}/send?key=B", actor=None
    )
    # An address stored before the form checked it in full (a space, as in the penetration test).
    Robot.objects.filter(pk=bad.pk).update(url=f"{robot_server.url}/send?key=a b")
    bad.refresh_from_db()
    message = dispatch.Message("k-bad", "s", "text")
    outcome = dispatch.robot(robot=bad, header="H", messages=[message])
    assert (outcome.sent, outcome.failed) == (0, 1)
    delivery = Delivery.objects.get(key="k-bad")
    assert delivery.status == "failed" and "空格" in delivery.last_error  # not left pending
    assert DeliveryAttempt.objects.filter(delivery=delivery, ok=False).count() == 1
    assert dispatch.robot(robot=good, header="H", messages=[dispatch.Message("k-good", "s", "t")]).sent == 1


def test_an_unexpected_error_of_a_robot_is_its_own_logged_failure(
    town: Any, robot_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import http.client

    from yigang.notify import channels

    robot = actions.add_robot(
        town=town, name="群", kind="wecom", url=f"{robot_server.url}/send?key=K", actor=None
    )

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise http.client.BadStatusLine("garbage")  # not an OSError: once uncaught

    monkeypatch.setattr(channels._opener, "open", broken)
    outcome = dispatch.robot(robot=robot, header="H", messages=[dispatch.Message("k", "s", "t")])
    assert outcome.failed == 1 and "BadStatusLine" in Delivery.objects.get(key="k").last_error


def test_remind_and_the_test_button_survive_a_bad_robot(
    town: Any, users: dict[str, Any], robot_server: Any, regulation: Any
) -> None:
    import io

    from django.core.management import call_command
    from django.test import Client

    from yigang.notify.models import Robot
    from yigang.org import actions as org

    gov = org.add_unit(town=town, name="镇人民政府", kind="government", actor=None)
    org.add_post(unit=gov, title="镇长", kind="mayor", actor=None)  # vacant: the 安委办 is told
    bad = actions.add_robot(
        town=town, name="坏群", kind="wecom", url=f"{robot_server.url}/send?key=B", actor=None
    )
    Robot.objects.filter(pk=bad.pk).update(url=f"{robot_server.url}/send?key=a b")  # stored before the check
    out, err = io.StringIO(), io.StringIO()
    call_command("remind", "--today", "2025-06-02", stdout=out, stderr=err)  # no exception
    assert "失败" in err.getvalue()
    assert not Delivery.objects.filter(status="pending").exists()
    assert Delivery.objects.filter(channel="in_app", status="sent").exists()  # the other channels went out
    assert Delivery.objects.filter(channel="wecom", status="failed").exists()
    client = Client()
    client.force_login(users["officer"])
    response = client.post(f"/duties/notifications/robots/{bad.pk}/test/", follow=True)
    assert response.status_code == 200 and "测试消息发送失败" in response.content.decode()
