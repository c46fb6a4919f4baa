"""Separation of duties (issue 27 point 3): who submitted a step cannot approve it. An arrival is checked (核实)
by a 安委办 officer who neither confirmed it nor is the person who arrived; the investigation report is closed
(结案) by an officer other than the one who registered it. The page and the API refuse alike, audited, and the
page says why the button is not offered."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from yigang.accidents import actions
from yigang.accidents.models import Closure, OnSiteTask
from yigang.audit.models import AuditEntry
from yigang.towns.actions import link_person
from yigang.towns.models import Role

from .conftest import SH, Register, make_data

pytestmark = pytest.mark.django_db

ARRIVED = datetime.datetime(2025, 6, 3, 15, 5, tzinfo=SH)


@pytest.fixture
def second_officer(register: Register, make_user: Any) -> Any:
    return make_user("officer2", Role.OFFICER, register.town)


def _task(register: Register) -> OnSiteTask:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=register.officer)
    task = OnSiteTask.objects.filter(accident=accident, role="leadership").select_related("person").get()
    return task


def test_the_officer_who_confirmed_an_arrival_cannot_check_it(
    register: Register, second_officer: Any
) -> None:
    task = _task(register)
    actions.confirm_arrival(task=task, arrived_at=ARRIVED, actor=register.officer)
    with pytest.raises(ValidationError, match="到场由您本人确认，不能再由您核实"):
        actions.verify_arrival(task=task, actor=register.officer)
    task.refresh_from_db()
    assert task.verified_at is None and task.verified_by is None
    refused = AuditEntry.objects.get(event="accidents.verify_arrival", success=False)
    assert refused.user == register.officer and "不能再由您核实" in refused.changes["reason"]
    # Another officer may.
    actions.verify_arrival(task=task, actor=second_officer)
    task.refresh_from_db()
    assert task.verified_by == second_officer and task.verified_at is not None
    assert AuditEntry.objects.filter(event="accidents.verify_arrival", success=True).count() == 1
    with pytest.raises(ValidationError, match="到场已核实"):
        actions.verify_arrival(task=task, actor=second_officer)


def test_the_person_who_arrived_cannot_check_their_own_arrival_even_as_an_officer(
    register: Register, second_officer: Any
) -> None:
    task = _task(register)
    # The mayor's account is also an officer's: they confirm, another officer confirms for them — still theirs.
    link_person(person=task.person, user=second_officer, actor=register.officer)
    actions.confirm_arrival(task=task, arrived_at=ARRIVED, actor=register.officer)
    with pytest.raises(ValidationError, match="您是到场人本人"):
        actions.verify_arrival(task=task, actor=second_officer)


def test_an_arrival_not_confirmed_cannot_be_checked(register: Register) -> None:
    task = _task(register)
    with pytest.raises(ValidationError, match="尚未确认到场"):
        actions.verify_arrival(task=task, actor=register.officer)


def test_the_page_explains_why_the_confirmer_is_not_offered_the_check_and_refuses_a_forced_post(
    register: Register, second_officer: Any, client: Client
) -> None:
    task = _task(register)
    actions.confirm_arrival(task=task, arrived_at=ARRIVED, actor=register.officer)
    client.force_login(register.officer)
    page = client.get(reverse("accidents:detail", args=[task.accident_id])).content.decode()
    assert reverse("accidents:verify", args=[task.pk]) not in page
    assert "到场由您本人确认，不能再由您核实" in page
    response = client.post(reverse("accidents:verify", args=[task.pk]), follow=True)
    assert "不能再由您核实" in response.content.decode()
    task.refresh_from_db()
    assert task.verified_at is None
    client.force_login(second_officer)
    page = client.get(reverse("accidents:detail", args=[task.accident_id])).content.decode()
    assert reverse("accidents:verify", args=[task.pk]) in page
    client.post(reverse("accidents:verify", args=[task.pk]))
    task.refresh_from_db()
    assert task.verified_by == second_officer


def test_the_api_refuses_the_confirmer_the_check(
    register: Register, second_officer: Any, client: Client
) -> None:
    task = _task(register)
    client.force_login(register.officer)
    done = client.post(f"/api/accidents/tasks/{task.pk}/arrival", {"arrived_at": "2025-06-03T15:05:00+08:00"})
    assert done.status_code == 200
    refused = client.post(f"/api/accidents/tasks/{task.pk}/verify")
    assert refused.status_code == 400 and "不能再由您核实" in refused.json()["detail"]
    client.force_login(second_officer)
    ok = client.post(f"/api/accidents/tasks/{task.pk}/verify")
    assert ok.status_code == 200 and ok.json()["verified_at"] is not None


def test_who_registered_the_investigation_report_cannot_close_it(
    register: Register, second_officer: Any, client: Client
) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=register.officer)
    actions.submit_investigation(
        accident=accident, submitted_on=datetime.date(2025, 7, 20), actor=register.officer
    )
    with pytest.raises(ValidationError, match="调查报告由您登记，不能再由您结案"):
        actions.close_investigation(
            accident=accident,
            closed_on=datetime.date(2025, 8, 1),
            secret=PASSWORD,
            actor=register.officer,
        )
    assert not Closure.objects.filter(accident=accident).exists()
    refused = AuditEntry.objects.get(event="accidents.close", success=False)
    assert refused.changes["kind"] == "rule"  # not a wrong secret: it does not count toward the lockout
    client.force_login(register.officer)
    page = client.get(reverse("accidents:detail", args=[accident.pk])).content.decode()
    assert reverse("accidents:close", args=[accident.pk]) not in page
    assert "调查报告由您登记，不能再由您结案" in page
    api = client.post(f"/api/accidents/{accident.pk}/close", {"closed_on": "2025-08-01", "secret": PASSWORD})
    assert api.status_code == 400 and "不能再由您结案" in api.json()["detail"]
    actions.close_investigation(
        accident=accident, closed_on=datetime.date(2025, 8, 1), secret=PASSWORD, actor=second_officer
    )
    assert Closure.objects.get(accident=accident).created_by == second_officer
