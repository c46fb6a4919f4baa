"""Notices: a new task at once, a reminder after N days, the leader in charge after M days — each once."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.conftest import PASSWORD
from yigang.audit.models import AuditEntry
from yigang.notify.models import Notification
from yigang.org import actions as org
from yigang.signoff import reminders
from yigang.signoff.actions import confirm
from yigang.signoff.models import Kind, Task


def _titles(user: Any) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_notices_go_once_and_escalate_to_the_leader_in_charge(
    register: Any, users: dict[str, Any], town: Any
) -> None:
    today = timezone.localdate()
    # The deputy in charge of safety (the leader's person) is in charge of the body.
    org.assign_portfolio(
        post=register.deputy_post, unit=register.body, start=datetime.date(2022, 9, 1), actor=None
    )
    bat, qmg, leader = register.head.user, register.secretary.user, users["leader"]

    first = reminders.run(towns=[town], today=today)
    assert first.opened == 8
    # Each holder with an account hears of their two new tasks; the mayor has no account and hears nothing.
    assert all(t.startswith("【待签收】") for t in _titles(bat))
    assert len(_titles(bat)) == 2 and len(_titles(leader)) == 2
    # The leader confirms their list and the regulation at once.
    for task in Task.objects.filter(person=register.deputy):
        confirm(task=task, actor=leader, secret=PASSWORD, sha256=task.text_sha256)

    again = reminders.run(towns=[town], today=today)
    assert (again.opened, again.outcome.sent) == (0, 0)  # nothing new, every notice already sent

    # Three days on: a reminder to each holder still missing; seven: their leader is told (each once).
    reminders.run(towns=[town], today=today + datetime.timedelta(days=3))
    assert sum(t.startswith("【签收提醒】") for t in _titles(bat)) == 2
    assert sum(t.startswith("【签收提醒】") for t in _titles(leader)) == 0  # confirmed: not reminded
    for _ in range(2):
        reminders.run(towns=[town], today=today + datetime.timedelta(days=8))
    escalated = [t for t in _titles(leader) if t.startswith("【逾期未签收】")]
    assert len(escalated) == 2  # 巴图's two tasks, told to the leader in charge of his body, once
    # The village has no leader in charge: the officer is told about 其木格's.
    officer_titles = _titles(users["officer"])
    assert (
        sum(t.startswith("【逾期未签收】") for t in officer_titles) == 2 + 2
    )  # 其木格's two and the mayor's two
    assert sum(t.startswith("【签收提醒】") for t in _titles(qmg)) == 2
    assert AuditEntry.objects.filter(event="signoff.remind").count() == 3


def test_a_superseded_version_is_not_asked_for_any_more(
    register: Any, users: dict[str, Any], town: Any, seed_bytes: bytes
) -> None:
    from yigang.regulations import actions as regs

    today = timezone.localdate()
    reminders.run(towns=[town], today=today)
    v2 = regs.import_regulation(town=town, data=seed_bytes, filename="v2.txt", actor=None)
    regs.activate_regulation(regulation=v2, actor=None, effective_from=today)
    # Before the next run the old version is no longer asked for, and the new one is not yet distributed.
    assert not [t for t in reminders.waiting(town) if t.document.kind == Kind.REGULATION]
    result = reminders.run(towns=[town], today=today)
    assert result.opened == 4  # the new version to the four holders; the unchanged lists stay
    waiting = reminders.waiting(town)
    assert {t.document.regulation_id for t in waiting if t.document.kind == Kind.REGULATION} == {v2.pk}


def test_the_officer_sets_the_days(register: Any, users: dict[str, Any], town: Any) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    from yigang.signoff.actions import set_policy
    from yigang.signoff.models import Policy

    with pytest.raises(ValidationError, match="须多于"):
        set_policy(town=town, remind_after_days=5, escalate_after_days=5, actor=users["officer"])
    set_policy(town=town, remind_after_days=1, escalate_after_days=2, actor=users["officer"])
    assert (Policy.for_town(town).remind_after_days, Policy.for_town(town).escalate_after_days) == (1, 2)
    reminders.run(towns=[town], today=timezone.localdate() + datetime.timedelta(days=2))
    assert any(t.startswith("【逾期未签收】") for t in _titles(users["officer"]))
    assert AuditEntry.objects.filter(event="signoff.policy").count() == 1
