"""Overdue hazards climb one level per interval — body head, leader in charge, safety deputy, mayor — and each
level is told once, however often the run repeats."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import PASSWORD
from tests.hazards.conftest import png
from yigang.hazards import actions
from yigang.hazards.escalation import level_due, run
from yigang.notify.models import Notification

pytestmark = pytest.mark.django_db
D = datetime.date
DEADLINE = D(2025, 3, 20)


@pytest.fixture
def accounts(register: Any) -> dict[str, Any]:
    """Accounts for the people who answer at each level (a person is told through their account)."""
    made = {}
    for name in ("城市管理办公室主任", "额尔敦", "赵永军", "巴图"):
        user = get_user_model().objects.create_user(username=f"u-{name}", password="x")
        person = register.person(name)
        person.user = user
        person.save()
        made[name] = user
    return made


def _told(user: Any) -> list[str]:
    return list(
        Notification.objects.filter(user=user, title__contains="逾期督办").values_list("title", flat=True)
    )


def test_levels_follow_the_interval() -> None:
    class H:
        status = "assigned"
        deadline = DEADLINE

    days = {0: 0, 1: 1, 3: 1, 4: 2, 6: 2, 7: 3, 10: 4, 60: 4}
    for late, level in days.items():
        assert level_due(H(), DEADLINE + datetime.timedelta(days=late), 3) == level, late  # type: ignore[arg-type]


def test_each_level_is_notified_once(
    report: Any, register: Any, accounts: dict[str, Any], users: Any
) -> None:
    hazard = report(sector="镇区商业", deadline=DEADLINE)
    assert hazard.owner_unit.name == "城市管理办公室"
    head, leader, safety, mayor = (accounts[n] for n in ("城市管理办公室主任", "额尔敦", "赵永军", "巴图"))

    run(today=DEADLINE)  # due today: not overdue yet
    assert _told(head) == []
    run(today=DEADLINE + datetime.timedelta(days=1))
    run(today=DEADLINE + datetime.timedelta(days=2))  # again, same level: nothing new
    assert _told(head) == [f"【隐患逾期督办·第1级】{hazard.number}"]
    assert _told(leader) == []
    run(today=DEADLINE + datetime.timedelta(days=4))
    assert len(_told(leader)) == 1 and len(_told(head)) == 1
    # A long gap: levels 3 and 4 are both reached, each told once.
    run(today=DEADLINE + datetime.timedelta(days=11))
    run(today=DEADLINE + datetime.timedelta(days=40))
    assert _told(safety) == [f"【隐患逾期督办·第3级】{hazard.number}"]
    assert _told(mayor) == [f"【隐患逾期督办·第4级】{hazard.number}"]
    assert len(_told(users["officer"])) == 4  # the 安委办 is copied on every level
    hazard.refresh_from_db()
    assert hazard.escalation_level == 4
    assert list(hazard.events.filter(kind="escalated").values_list("details__level", flat=True)) == [1, 2, 4]


def test_the_interval_is_configurable_and_closed_hazards_stay_quiet(
    report: Any, register: Any, accounts: dict[str, Any], checker: Any
) -> None:
    actions.set_policy(town=register.town, escalation_days=1, actor=register.officer)
    hazard = report(sector="镇区商业", deadline=DEADLINE)
    run(today=DEADLINE + datetime.timedelta(days=2))
    hazard.refresh_from_db()
    assert hazard.escalation_level == 2
    done = report(sector="镇区商业", deadline=DEADLINE, description="已整改的")
    actions.start_rectifying(hazard=done, actor=register.officer)
    with actions.backdated(datetime.datetime(2025, 3, 15, 2, tzinfo=datetime.UTC)):
        actions.submit(hazard=done, note="好了", photos=[png()], actor=register.officer)
    actions.accept(hazard=done, note="", actor=checker, secret=PASSWORD, on=D(2025, 3, 15))
    run(today=DEADLINE + datetime.timedelta(days=30))
    done.refresh_from_db()
    assert done.escalation_level == 0 and not done.events.filter(kind="escalated").exists()


def test_remind_drives_the_escalation(report: Any, register: Any, accounts: dict[str, Any]) -> None:
    report(sector="镇区商业", deadline=DEADLINE)
    out = io.StringIO()
    call_command("remind", "--today", "2025-03-21", "--json", stdout=out)
    assert json.loads(out.getvalue())["hazards"]["escalated"] == 1
    assert len(_told(accounts["城市管理办公室主任"])) == 1
