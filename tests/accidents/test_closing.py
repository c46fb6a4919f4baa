"""结案 is deliberate (issue 27 point 4): the page says what follows and asks for a tick and the closer's password
(or TOTP code); a wrong one is audited as a failure that counts toward the lockout and closes nothing; after it
the report, the investigation and the on-site tasks no longer change."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from yigang.accidents import actions
from yigang.accidents.models import Closure, OnSiteTask
from yigang.audit.models import AuditEntry
from yigang.towns import reauth
from yigang.towns.models import Role

from .conftest import SH, Register, make_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def closer(register: Register, make_user: Any) -> Any:
    return make_user("closer", Role.OFFICER, register.town)


@pytest.fixture
def registered(register: Register) -> Any:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=register.officer)
    actions.submit_investigation(
        accident=accident, submitted_on=datetime.date(2025, 7, 20), actor=register.officer
    )
    return accident


def _close(
    accident: Any, actor: Any, secret: str | None, day: datetime.date = datetime.date(2025, 8, 1)
) -> Any:
    return actions.close_investigation(accident=accident, closed_on=day, secret=secret, actor=actor)


def test_a_wrong_password_closes_nothing_and_counts_toward_the_lockout(registered: Any, closer: Any) -> None:
    for _ in range(reauth.MAX_WRONG_SECRETS):
        with pytest.raises(ValidationError, match="密码不正确，未结案"):
            _close(registered, closer, "wrong")
    assert not Closure.objects.filter(accident=registered).exists()
    failures = AuditEntry.objects.filter(event="accidents.close", success=False, user=closer)
    assert failures.count() == reauth.MAX_WRONG_SECRETS
    assert {e.changes["kind"] for e in failures} == {reauth.BAD_CREDENTIAL}
    # Locked out now, even with the right password.
    with pytest.raises(ValidationError, match="错误次数过多"):
        _close(registered, closer, PASSWORD)
    assert not Closure.objects.filter(accident=registered).exists()


def test_no_password_is_refused_and_the_system_closes_without_one(registered: Any, closer: Any) -> None:
    with pytest.raises(ValidationError, match="请输入您的登录密码"):
        _close(registered, closer, "")
    closure = _close(registered, None, None)
    assert closure.created_by is None
    assert AuditEntry.objects.filter(event="accidents.close", success=True).count() == 1


def test_a_closing_date_before_the_report_or_in_the_future_is_refused(registered: Any, closer: Any) -> None:
    with pytest.raises(ValidationError, match="不能早于调查报告提交日期"):
        _close(registered, closer, PASSWORD, datetime.date(2025, 7, 1))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        _close(registered, closer, PASSWORD, timezone.localdate() + datetime.timedelta(days=2))


def test_closing_needs_the_investigation_report_first(register: Register, closer: Any) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=register.officer)
    with pytest.raises(ValidationError, match="须先登记调查报告"):
        _close(accident, closer, PASSWORD)


def test_after_closing_nothing_of_the_report_investigation_or_tasks_changes(
    register: Register, registered: Any, closer: Any
) -> None:
    task = OnSiteTask.objects.filter(accident=registered).first()
    assert task is not None
    _close(registered, closer, PASSWORD)
    assert AuditEntry.objects.get(event="accidents.close", success=True).changes["missed_tasks"] == list(
        OnSiteTask.objects.filter(accident=registered).values_list("post_id", flat=True)
    )
    registered.refresh_from_db()
    data = actions.report_data(registered.latest)
    data.deaths = 2
    with pytest.raises(ValidationError, match="已结案，报告不能再变更"):
        actions.change_report(accident=registered, data=data, reason="补报", actor=register.officer)
    with pytest.raises(ValidationError, match="已结案，不能再确认到场"):
        actions.confirm_arrival(
            task=task, arrived_at=datetime.datetime(2025, 6, 3, 16, 0, tzinfo=SH), actor=register.officer
        )
    with pytest.raises(ValidationError, match="已结案"):
        _close(registered, register.officer, PASSWORD)
    task.refresh_from_db()
    assert task.state() == "closed" and registered.versions.count() == 1
    # A 瞒报 finding may still be recorded: concealment often comes out later.
    actions.record_finding(accident=registered, kind="concealed", reason="事后查实", actor=register.officer)


def test_the_page_shows_what_follows_and_asks_for_the_tick_and_the_password(
    registered: Any, closer: Any, client: Client
) -> None:
    client.force_login(closer)
    url = reverse("accidents:detail", args=[registered.pk])
    page = client.get(url).content.decode()
    assert "结案后：事故报告不能再变更或补报" in page
    assert "未确认到场的 3 项任务记为未到场" in page and "镇长（巴图）" in page
    assert 'name="secret"' in page and 'name="confirm"' in page
    close = reverse("accidents:close", args=[registered.pk])
    untick = client.post(close, {"closed_on": "2025-08-01", "secret": PASSWORD})
    assert "请勾选确认" in untick.content.decode()
    wrong = client.post(close, {"closed_on": "2025-08-01", "secret": "nope", "confirm": "1"})
    assert "密码不正确，未结案" in wrong.content.decode()
    assert not Closure.objects.filter(accident=registered).exists()
    done = client.post(close, {"closed_on": "2025-08-01", "secret": PASSWORD, "confirm": "1"}, follow=True)
    text = done.content.decode()
    assert "已结案（2025-08-01，账号 closer）" in text  # an account with no person: named as an account
    assert "未确认到场（已结案）" in text
    assert reverse("accidents:change", args=[registered.pk]) not in text


def test_the_api_closes_with_the_secret_field(registered: Any, closer: Any, client: Client) -> None:
    client.force_login(closer)
    wrong = client.post(f"/api/accidents/{registered.pk}/close", {"closed_on": "2025-08-01", "secret": "x"})
    assert wrong.status_code == 400 and "密码不正确" in wrong.json()["detail"]
    ok = client.post(f"/api/accidents/{registered.pk}/close", {"closed_on": "2025-08-01", "secret": PASSWORD})
    assert ok.status_code == 201 and ok.json() == {"accident_id": registered.pk, "closed_on": "2025-08-01"}
    detail = client.get(f"/api/accidents/{registered.pk}").json()
    assert detail["closed_on"] == "2025-08-01" and {t["state"] for t in detail["tasks"]} == {"closed"}
