"""催办 an overdue hazard (issue 27 point 5): the 安委办 or a town leader who answers for it sends a message to
those who answer for it, in the app, by e-mail and to the robots; once a day per sender; audited; on the
timeline. Page and API, each with its permission test."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.hazards.conftest import png
from yigang.audit.models import AuditEntry
from yigang.hazards import actions
from yigang.hazards.models import Hazard, HazardEvent
from yigang.notify.models import Notification
from yigang.towns.actions import link_person
from yigang.towns.middleware import SESSION_KEY
from yigang.towns.models import Role

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def people(register: Any, make_user: Any) -> dict[str, Any]:
    """The owner body's staff and head, the safety deputy (whole town) and a deputy who does not answer for it."""
    town = register.town
    body = register.units["平安建设办公室"]
    made = {
        "staff": make_user("pingan", Role.BODY_STAFF, town, unit=body),
        "head": make_user("pingan-head", Role.BODY_STAFF, town, unit=body),
        "deputy": make_user("zhao", Role.LEADER, town),
        "other_deputy": make_user("erdun", Role.LEADER, town),
        "village": make_user("qiqige", Role.VILLAGE_STAFF, town, unit=register.units["乌审召嘎查"]),
    }
    for key, name in (
        ("head", "平安建设办公室主任"),
        ("deputy", "赵永军"),
        ("other_deputy", "额尔敦"),
        ("village", "其其格"),
    ):
        link_person(user=made[key], person=register.person(name), actor=None, source="test")
    return made


def _client(user: Any, town: Any) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = town.pk
    session.save()
    return client


def _overdue(report: Any) -> Hazard:
    return report(found_on=D(2025, 3, 10), deadline=D(2025, 3, 20))  # 烟花爆竹: owned by 平安建设办公室


def test_the_officer_nudges_those_who_answer_and_it_is_on_the_timeline(
    report: Any, register: Any, people: dict[str, Any]
) -> None:
    hazard = _overdue(report)
    done = actions.nudge(hazard=hazard, message="请本周内完成整改", actor=register.officer)
    assert sorted(done.recipients) == sorted(["平安建设办公室主任", "pingan"])
    for user in (people["staff"], people["head"]):
        note = Notification.objects.get(user=user, title=f"【隐患催办】{hazard.number}")
        assert "请本周内完成整改" in note.body and "已逾期" in note.body
    assert not Notification.objects.filter(user=register.officer, title__startswith="【隐患催办】").exists()
    event = hazard.events.get(kind="nudged")
    assert event.note == "请本周内完成整改" and event.actor_id == register.officer.pk
    entry = AuditEntry.objects.get(event="hazards.nudge")
    assert entry.changes["message"] == "请本周内完成整改" and entry.changes["event"] == event.pk
    page = _client(register.officer, register.town).get(f"/hazards/{hazard.pk}/").content.decode()
    assert "督办催办" in page and "请本周内完成整改" in page and "已通知" in page


def test_once_a_day_per_sender(report: Any, register: Any, people: dict[str, Any]) -> None:
    hazard = _overdue(report)
    yesterday = timezone.now() - datetime.timedelta(hours=23)
    with actions.backdated(yesterday):
        actions.nudge(hazard=hazard, message="请尽快", actor=register.officer)
    with pytest.raises(ValidationError) as refused:
        actions.nudge(hazard=hazard, message="再催", actor=register.officer)
    next_at = timezone.localtime(yesterday + datetime.timedelta(hours=24))
    assert f"下次可在 {next_at:%Y-%m-%d %H:%M} 之后催办" in refused.value.messages[0]
    assert hazard.events.filter(kind="nudged").count() == 1
    # Another sender may, and a day later the first may again.
    actions.nudge(hazard=hazard, message="分管领导催办", actor=people["deputy"])
    with actions.backdated(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        actions.nudge(hazard=hazard, message="再催", actor=register.officer)
    assert hazard.events.filter(kind="nudged").count() == 3
    # The page shows the wait instead of the form.
    page = _client(people["deputy"], register.town).get(f"/hazards/{hazard.pk}/").content.decode()
    assert "24 小时内只能催办一次" in page and f'action="/hazards/{hazard.pk}/nudge/"' not in page


def test_refusals_save_and_send_nothing(report: Any, register: Any, people: dict[str, Any]) -> None:
    today = timezone.localdate()
    not_due = report(found_on=today, deadline=today + datetime.timedelta(days=5))
    with pytest.raises(ValidationError, match="该隐患未逾期"):
        actions.nudge(hazard=not_due, message="请尽快", actor=register.officer)
    hazard = _overdue(report)
    with pytest.raises(ValidationError, match="请填写催办内容"):
        actions.nudge(hazard=hazard, message="  ", actor=register.officer)
    with pytest.raises(ValidationError, match="不能超过 500 个字"):
        actions.nudge(hazard=hazard, message="催" * 501, actor=register.officer)
    closed = _overdue(report)
    actions.start_rectifying(hazard=closed, actor=register.officer)
    actions.submit(hazard=closed, note="好了", photos=[png()], actor=people["staff"])
    actions.accept(hazard=closed, note="", actor=None)
    with pytest.raises(ValidationError, match="只有逾期未销号的隐患可以催办"):
        actions.nudge(hazard=closed, message="请尽快", actor=register.officer)
    assert not HazardEvent.objects.filter(kind="nudged").exists()
    assert not AuditEntry.objects.filter(event="hazards.nudge").exists()
    assert not Notification.objects.filter(title__startswith="【隐患催办】").exists()


def test_nobody_to_tell_is_refused(report: Any, register: Any) -> None:
    hazard = _overdue(report)  # nobody of 平安建设办公室 has an account
    with pytest.raises(ValidationError, match="没有可催办的人"):
        actions.nudge(hazard=hazard, message="请尽快", actor=register.officer)


def test_escalated_levels_are_told_too(report: Any, register: Any, people: dict[str, Any]) -> None:
    hazard = _overdue(report)
    Hazard.objects.filter(pk=hazard.pk).update(escalation_level=3)  # reached the safety deputy
    done = actions.nudge(
        hazard=hazard.__class__.objects.get(pk=hazard.pk), message="请尽快", actor=register.officer
    )
    assert "赵永军" in done.recipients
    mine = actions.nudge(hazard=Hazard.objects.get(pk=hazard.pk), message="我来催", actor=people["deputy"])
    assert "赵永军" not in mine.recipients  # the sender is not told their own nudge


def test_who_may_nudge_on_the_page(report: Any, register: Any, people: dict[str, Any]) -> None:
    hazard = _overdue(report)
    url = f"/hazards/{hazard.pk}/nudge/"
    form = f'action="{url}"'
    for key in ("staff", "other_deputy", "village"):
        client = _client(people[key], register.town)
        assert client.post(url, {"message": "催"}).status_code in (403, 404), key
        page = client.get(f"/hazards/{hazard.pk}/")
        assert page.status_code != 200 or form not in page.content.decode(), key
    assert Client().post(url, {"message": "催"}).status_code == 302  # anonymous: to the login page
    for user in (register.officer, people["deputy"]):
        client = _client(user, register.town)
        assert form in client.get(f"/hazards/{hazard.pk}/").content.decode()
        assert client.post(url, {"message": "请尽快"}).status_code == 302
    assert hazard.events.filter(kind="nudged").count() == 2
    assert AuditEntry.objects.filter(event="auth.permission_denied").exists()


def test_the_page_shows_a_refusal_at_the_field(report: Any, register: Any, people: dict[str, Any]) -> None:
    hazard = _overdue(report)
    response = _client(register.officer, register.town).post(f"/hazards/{hazard.pk}/nudge/", {"message": ""})
    assert response.status_code == 200 and "请填写催办内容" in response.content.decode()
    assert not hazard.events.filter(kind="nudged").exists()


def test_the_form_shows_only_for_an_overdue_hazard(
    report: Any, register: Any, people: dict[str, Any]
) -> None:
    today = timezone.localdate()
    hazard = report(found_on=today, deadline=today + datetime.timedelta(days=5))
    page = _client(register.officer, register.town).get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'action="/hazards/{hazard.pk}/nudge/"' not in page


def test_who_may_nudge_through_the_api(report: Any, register: Any, people: dict[str, Any]) -> None:
    hazard = _overdue(report)
    url = f"/api/hazards/{hazard.pk}/nudges"
    assert Client().post(url, {"message": "催"}).status_code == 401
    for key in ("staff", "other_deputy"):
        client = Client()
        client.force_login(people[key])
        assert client.post(url, {"message": "催"}).status_code in (403, 404), key
    client = Client()
    client.force_login(register.officer)
    first = client.post(url, {"message": "请尽快"})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["message"] == "请尽快" and "pingan" in body["told"] and body["next_possible"]
    again = client.post(url, {"message": "再催"})
    assert again.status_code == 400 and "24 小时内只能催办一次" in again.json()["detail"]
    assert hazard.events.filter(kind="nudged").count() == 1
