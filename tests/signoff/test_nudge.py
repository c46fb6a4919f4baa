"""提醒未签收人员 (issue 27 point 5): the 安委办 reminds everyone still owing a confirmation, in the app and by
e-mail, once per document per 24 hours (a refusal says when the next is possible), audited; the tracking pages
say how many were reminded and when."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from yigang.audit.models import AuditEntry
from yigang.notify.models import Notification
from yigang.signoff import actions
from yigang.signoff.models import Document, Kind, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def distributed(register: Any, town: Any) -> Any:
    actions.sync_town(town=town, actor=None)
    return Document.objects.get(kind=Kind.REGULATION)


def test_it_reminds_each_missing_holder_with_an_account_once(
    distributed: Any, town: Any, users: dict[str, Any]
) -> None:
    task = Task.objects.get(document=distributed, person__name="李强")
    actions.confirm(task=task, actor=users["leader"], secret=PASSWORD, sha256=task.text_sha256)
    from django.contrib.auth import get_user_model

    for name in ("bat", "qmg"):
        get_user_model().objects.filter(username=name).update(email=f"{name}@example.org")
    before = Notification.objects.count()
    result = actions.nudge(town=town, actor=users["officer"], document=distributed)
    # 4 holders; 李强 confirmed; 张建华 (mayor) has no account: 巴图 and 其木格 are reminded.
    assert result.reminded == 2
    assert result.nudged[0].unreachable == ["张建华"]
    notes = list(Notification.objects.order_by("-id")[:2])
    assert Notification.objects.count() == before + 2
    assert {n.user.username for n in notes} == {"bat", "qmg"}
    assert all("【签收催办】" in n.title for n in notes)
    assert len(mail.outbox) == 2
    entry = AuditEntry.objects.get(event="signoff.nudge")
    assert entry.user == users["officer"] and entry.changes["reminded"] == 2
    assert sorted(entry.changes["people"]) == ["其木格", "巴图"]


def test_a_second_nudge_within_24_hours_is_refused_with_the_next_time(
    distributed: Any, town: Any, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    actions.nudge(town=town, actor=users["officer"], document=distributed)
    last = AuditEntry.objects.get(event="signoff.nudge")
    again = timezone.localtime(last.at + datetime.timedelta(hours=24))
    with pytest.raises(ValidationError, match=f"下次可于 {again:%Y-%m-%d %H:%M} 之后提醒"):
        actions.nudge(town=town, actor=users["officer"], document=distributed)
    assert AuditEntry.objects.filter(event="signoff.nudge").count() == 1
    # A day later it may go again, as a new message (not swallowed as already sent).
    later = last.at + datetime.timedelta(hours=24, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    sent = Notification.objects.count()
    assert actions.nudge(town=town, actor=users["officer"], document=distributed).reminded == 3
    assert Notification.objects.count() == sent + 3


def test_all_documents_at_once_skips_those_reminded_today(
    distributed: Any, town: Any, users: dict[str, Any]
) -> None:
    actions.nudge(town=town, actor=users["officer"], document=distributed)
    result = actions.nudge(town=town, actor=users["officer"])
    assert [n.document.kind for n in result.nudged] == [Kind.DUTY_LIST]
    assert [d.pk for d, _ in result.waiting] == [distributed.pk]
    with pytest.raises(ValidationError, match="24 小时内只能提醒一次"):
        actions.nudge(town=town, actor=users["officer"])


def test_nothing_missing_nothing_to_remind(register: Any, town: Any, users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="没有未签收的人员"):
        actions.nudge(town=town, actor=users["officer"])
    assert not AuditEntry.objects.filter(event="signoff.nudge").exists()


def test_the_tracking_page_reminds_and_says_how_many_and_when(
    distributed: Any, users: dict[str, Any], client: Client
) -> None:
    client.force_login(users["officer"])
    url = reverse("signoff:document", args=[distributed.pk])
    page = client.get(url).content.decode()
    assert "尚未手动提醒" in page and "提醒未签收人员（4 人）" in page
    done = client.post(reverse("signoff:nudge", args=[distributed.pk]), follow=True).content.decode()
    at = timezone.localtime(AuditEntry.objects.get(event="signoff.nudge").at)
    assert f"已于 {at:%Y-%m-%d %H:%M} 提醒 3 名未签收人员" in done
    assert "没有可用账号、需线下通知：张建华" in done
    assert f"上次提醒 {at:%Y-%m-%d %H:%M}，提醒 3 人" in done
    assert "提醒未签收人员（4 人）" not in done and "下次可于" in done
    refused = client.post(reverse("signoff:nudge", args=[distributed.pk]), follow=True).content.decode()
    assert "24 小时内只能提醒一次" in refused
    overview = client.get(reverse("signoff:overview")).content.decode()
    assert reverse("signoff:nudge_all") in overview and f"上次提醒 {at:%Y-%m-%d %H:%M}" in overview


def test_only_the_officer_reminds(distributed: Any, users: dict[str, Any], client: Client) -> None:
    for who in ("leader", "body_staff", "county_viewer"):
        client.force_login(users[who])
        assert client.post(reverse("signoff:nudge", args=[distributed.pk])).status_code == 403
        assert client.post(reverse("signoff:nudge_all")).status_code == 403
        page = client.get(reverse("signoff:document", args=[distributed.pk])).content.decode()
        assert reverse("signoff:nudge", args=[distributed.pk]) not in page
    client.force_login(users["other_officer"])
    assert client.post(reverse("signoff:nudge", args=[distributed.pk])).status_code == 404
    client.logout()
    assert client.post(reverse("signoff:nudge_all")).status_code == 302
    assert not AuditEntry.objects.filter(event="signoff.nudge").exists()


def test_the_api_reminds_and_refuses_the_second(
    distributed: Any, town: Any, users: dict[str, Any], client: Client
) -> None:
    client.force_login(users["officer"])
    ok = client.post("/api/signoff/nudge", {"town": town.code, "document_id": distributed.pk})
    assert ok.status_code == 200 and ok.json()["reminded"] == 3 and ok.json()["unreachable"] == ["张建华"]
    again = client.post("/api/signoff/nudge", {"town": town.code, "document_id": distributed.pk})
    assert again.status_code == 400 and "下次可于" in again.json()["detail"]
    client.force_login(users["leader"])
    assert client.post("/api/signoff/nudge", {"town": town.code}).status_code == 403
