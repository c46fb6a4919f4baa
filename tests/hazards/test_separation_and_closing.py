"""整改与验收分离 and a deliberate 销号 (issue 27 points 3 and 4).

Whoever submitted the rectification now waiting cannot accept it nor send it back: the page hides both and says
who submitted and who may accept instead, the action refuses both (so the API does too). 销号 shows what follows
and asks for the closer's password (or TOTP code); a missing or wrong one is audited and changes nothing, wrong
ones count toward the lockout.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.hazards.conftest import png
from yigang.audit.models import AuditEntry
from yigang.hazards import actions
from yigang.hazards.closing import counts_as
from yigang.hazards.models import Hazard, HazardEvent, Status
from yigang.notify.models import Notification
from yigang.towns.middleware import SESSION_KEY
from yigang.towns.models import Role

pytestmark = pytest.mark.django_db
D = datetime.date


def _client(user: Any, town: Any) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = town.pk
    session.save()
    return client


def _submitted(report: Any, by: Any, officer: Any) -> Hazard:
    hazard = report()
    actions.start_rectifying(hazard=hazard, actor=officer)
    with actions.backdated(datetime.datetime(2025, 3, 15, 2, tzinfo=datetime.UTC)):
        actions.submit(hazard=hazard, note="已整改", photos=[png()], actor=by)
    return Hazard.objects.get(pk=hazard.pk)


def _unchanged(hazard: Hazard) -> bool:
    hazard.refresh_from_db()
    return hazard.status == Status.SUBMITTED and hazard.closed_on is None


# ---- 整改与验收分离 ----


def test_the_submitter_cannot_accept_nor_send_back_and_is_told_who_may(
    report: Any, register: Any, checker: Any
) -> None:
    officer = register.officer
    hazard = _submitted(report, officer, officer)
    events = HazardEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.accept(hazard=hazard, note="", actor=officer, secret=PASSWORD, on=D(2025, 3, 16))
    message = refused.value.messages[0]
    assert "本次提请验收由officer于2025-03-15 10:00提出" in message
    assert "不能验收销号自己提请的整改" in message and "请由安委办的其他人员（checker）验收销号" in message
    with pytest.raises(ValidationError, match="不能退回整改自己提请的整改"):
        actions.send_back(hazard=hazard, reason="照片不清", actor=officer)
    assert _unchanged(hazard) and HazardEvent.objects.count() == events
    # Refused before the password was looked at: nothing about it in the audit trail.
    assert not AuditEntry.objects.filter(event="hazards.close").exists()
    closed = actions.accept(hazard=hazard, note="合格", actor=checker, secret=PASSWORD, on=D(2025, 3, 16))
    assert closed.status == Status.CLOSED and closed.events.get(kind="closed").actor_id == checker.pk


def test_with_no_other_officer_the_message_says_how_to_get_one(report: Any, register: Any) -> None:
    hazard = _submitted(report, register.officer, register.officer)
    with pytest.raises(ValidationError, match="本镇安委办目前没有其他人员的账号"):
        actions.accept(hazard=hazard, note="", actor=register.officer, secret=PASSWORD, on=D(2025, 3, 16))


def test_the_submission_waiting_counts_not_an_earlier_one(report: Any, register: Any, checker: Any) -> None:
    officer = register.officer
    hazard = _submitted(report, officer, officer)
    actions.send_back(hazard=hazard, reason="不彻底", actor=checker)
    with actions.backdated(datetime.datetime(2025, 3, 16, 2, tzinfo=datetime.UTC)):
        actions.submit(hazard=hazard, note="重新整改", photos=[png()], actor=checker)
    with pytest.raises(ValidationError, match="由checker"):
        actions.accept(hazard=hazard, note="", actor=checker, secret=PASSWORD, on=D(2025, 3, 17))
    done = actions.accept(hazard=hazard, note="", actor=officer, secret=PASSWORD, on=D(2025, 3, 17))
    assert done.status == Status.CLOSED


def test_the_owner_units_submission_is_the_officers_to_accept(
    report: Any, register: Any, make_user: Any
) -> None:
    staff = make_user("pingan", Role.BODY_STAFF, register.town, unit=register.units["平安建设办公室"])
    hazard = _submitted(report, staff, register.officer)
    assert actions.separation_problem(hazard, register.officer) is None
    assert "不能验收" in (actions.separation_problem(hazard, staff) or "")
    done = actions.accept(hazard=hazard, note="", actor=register.officer, secret=PASSWORD, on=D(2025, 3, 16))
    assert done.status == Status.CLOSED


def test_the_page_hides_accept_and_send_back_from_the_submitter_with_the_reason(
    report: Any, register: Any, checker: Any
) -> None:
    hazard = _submitted(report, register.officer, register.officer)
    own = _client(register.officer, register.town).get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'value="accept"' not in own and 'value="send_back"' not in own
    assert "不能由您验收" in own and "本次提请验收由officer" in own and "checker" in own
    # Posted anyway: refused with the same reason, nothing changed.
    posted = _client(register.officer, register.town).post(
        f"/hazards/{hazard.pk}/step/", {"step": "accept", "confirm": "on", "secret": PASSWORD}
    )
    assert posted.status_code == 200 and "自己提请的整改" in posted.content.decode()
    assert _unchanged(hazard)
    other = _client(checker, register.town).get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'value="accept"' in other and 'value="send_back"' in other and "不能由您验收" not in other


def test_the_api_refuses_the_submitter_too(report: Any, register: Any, checker: Any) -> None:
    hazard = _submitted(report, register.officer, register.officer)
    client = Client()
    client.force_login(register.officer)
    for step in ("accept", "send_back"):
        answer = client.post(
            f"/api/hazards/{hazard.pk}/steps", {"step": step, "note": "x", "secret": PASSWORD}
        )
        assert answer.status_code == 400 and "自己提请的整改" in answer.json()["detail"]
    assert _unchanged(hazard)


# ---- 销号 with the closer's password ----


def test_closing_without_or_with_a_wrong_password_is_audited_and_changes_nothing(
    report: Any, register: Any, checker: Any
) -> None:
    hazard = _submitted(report, register.officer, register.officer)
    with pytest.raises(ValidationError, match="请输入您的登录密码"):
        actions.accept(hazard=hazard, note="", actor=checker, on=D(2025, 3, 16))
    with pytest.raises(ValidationError, match="密码不正确，未销号"):
        actions.accept(hazard=hazard, note="", actor=checker, secret="wrong", on=D(2025, 3, 16))
    assert _unchanged(hazard) and not hazard.events.filter(kind="closed").exists()
    failures = AuditEntry.objects.filter(event="hazards.close", success=False, user_id=checker.pk)
    assert sorted(e.changes["kind"] for e in failures) == ["bad_credential", "rule"]


def test_wrong_passwords_count_toward_the_lockout(report: Any, register: Any, checker: Any) -> None:
    hazard = _submitted(report, register.officer, register.officer)
    for _ in range(5):
        with pytest.raises(ValidationError, match="密码不正确"):
            actions.accept(hazard=hazard, note="", actor=checker, secret="wrong", on=D(2025, 3, 16))
    with pytest.raises(ValidationError, match="错误次数过多"):
        actions.accept(hazard=hazard, note="", actor=checker, secret=PASSWORD, on=D(2025, 3, 16))
    assert _unchanged(hazard)


def test_closing_records_the_method_and_tells_the_submitter(
    report: Any, register: Any, make_user: Any, checker: Any
) -> None:
    staff = make_user("pingan", Role.BODY_STAFF, register.town, unit=register.units["平安建设办公室"])
    hazard = _submitted(report, staff, register.officer)
    actions.accept(hazard=hazard, note="合格", actor=checker, secret=PASSWORD, on=D(2025, 3, 16))
    entry = AuditEntry.objects.get(event="hazards.close", success=True)
    assert entry.changes["method"] == "password" and entry.user_id == checker.pk
    told = Notification.objects.get(user=staff)
    assert told.title == f"【隐患销号】{hazard.number}" and "2025年03月16日" in told.body


def test_the_page_asks_to_confirm_and_shows_what_follows(report: Any, register: Any, checker: Any) -> None:
    hazard = _submitted(report, register.officer, register.officer)
    client = _client(checker, register.town)
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "销号后：" in page and "不能再退回整改" in page and "将通知：" in page
    assert "officer" in page.split("将通知：")[1].split("</li>")[0]  # the submitter is told
    # The deadline was 2025-03-20; closing today is late, and the page says by how many days.
    today = timezone.localdate()
    assert f"逾期销号：已超过整改期限（2025-03-20）{(today - D(2025, 3, 20)).days} 天" in page
    unconfirmed = client.post(f"/hazards/{hazard.pk}/step/", {"step": "accept", "secret": PASSWORD})
    assert unconfirmed.status_code == 200 and "请先阅读销号后的结果" in unconfirmed.content.decode()
    wrong = client.post(f"/hazards/{hazard.pk}/step/", {"step": "accept", "confirm": "on", "secret": "x"})
    assert wrong.status_code == 200 and "密码不正确，未销号" in wrong.content.decode()
    assert _unchanged(hazard)
    done = client.post(f"/hazards/{hazard.pk}/step/", {"step": "accept", "confirm": "on", "secret": PASSWORD})
    assert done.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Status.CLOSED


def test_what_a_close_counts_as_worked_by_hand(report: Any) -> None:
    hazard = report(found_on=D(2025, 3, 10), deadline=D(2025, 3, 20))
    assert counts_as(hazard, D(2025, 3, 20)) == "按期销号（整改期限 2025-03-20）"
    assert counts_as(hazard, D(2025, 3, 23)).startswith("逾期销号：已超过整改期限（2025-03-20）3 天")
    hazard.original_deadline, hazard.deadline = D(2025, 3, 20), D(2025, 3, 31)  # an approved extension
    assert counts_as(hazard, D(2025, 3, 25)).startswith(
        "延期内销号（原期限 2025-03-20，批准延至 2025-03-31）"
    )
    assert counts_as(hazard, D(2025, 4, 2)).startswith("逾期销号：已超过整改期限（2025-03-31）2 天")


def test_the_api_closes_with_the_secret_only(report: Any, register: Any, checker: Any) -> None:
    hazard = _submitted(report, register.officer, register.officer)
    client = Client()
    client.force_login(checker)
    missing = client.post(f"/api/hazards/{hazard.pk}/steps", {"step": "accept"})
    assert missing.status_code == 400 and "请输入您的登录密码" in missing.json()["detail"]
    assert _unchanged(hazard)
    done = client.post(f"/api/hazards/{hazard.pk}/steps", {"step": "accept", "secret": PASSWORD})
    assert done.status_code == 200 and done.json()["status"] == "closed"
