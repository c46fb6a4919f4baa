"""On-site tasks age (issue 27 point 8): a task calls its holder to the scene ("请到场并确认到达") only while the
accident is not closed and happened less than a week ago (`ON_SITE_CALL`); after that it is history — 未确认到场
(已过到场时限 / 已结案) — on the accident page, the API and not on the holder's home. Each arrival form has its
own labelled input (axe: label, duplicate-id)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from yigang.accidents import actions
from yigang.accidents.models import ON_SITE_CALL, OnSiteTask
from yigang.towns.actions import link_person

from .conftest import Register, make_data

pytestmark = pytest.mark.django_db


def _accident(register: Register, occurred: datetime.datetime) -> Any:
    return actions.report_accident(
        town=register.town, data=make_data(register, occurred_at=occurred), actor=register.officer
    )


def _mayor_task(accident: Any) -> OnSiteTask:
    return OnSiteTask.objects.select_related("person", "accident__latest").get(
        accident=accident, role="leadership"
    )


def test_a_task_calls_for_a_week_then_is_missed(register: Register) -> None:
    now = timezone.now()
    fresh = _accident(register, now - datetime.timedelta(days=6, hours=23))
    stale = _accident(register, now - ON_SITE_CALL - datetime.timedelta(minutes=1))
    old = _accident(register, datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC))
    calling = set(OnSiteTask.objects.calling(now).values_list("accident_id", flat=True))
    assert calling == {fresh.pk}
    assert _mayor_task(fresh).state(now) == "calling"
    assert _mayor_task(stale).state(now) == "missed"
    assert _mayor_task(old).state_label == "未确认到场（已过到场时限）"


def test_a_confirmed_or_closed_task_no_longer_calls(register: Register, make_user: Any) -> None:
    from yigang.towns.models import Role

    now = timezone.now()
    arrived = _accident(register, now - datetime.timedelta(hours=3))
    closed = _accident(register, now - datetime.timedelta(hours=3))
    actions.confirm_arrival(task=_mayor_task(arrived), arrived_at=now, actor=register.officer)
    actions.submit_investigation(accident=closed, submitted_on=timezone.localdate(), actor=None)
    actions.close_investigation(
        accident=closed,
        closed_on=timezone.localdate(),
        secret=PASSWORD,
        actor=make_user("closer", Role.OFFICER, register.town),
    )
    calling = OnSiteTask.objects.calling(now)
    assert not calling.filter(accident=closed).exists()
    assert not calling.filter(accident=arrived, role="leadership").exists()
    assert _mayor_task(closed).state() == "closed"
    assert _mayor_task(arrived).state() == "arrived"


def test_the_holders_home_calls_only_for_the_recent_accident(
    register: Register, users: dict[str, Any], client: Client
) -> None:
    recent = _accident(register, timezone.now() - datetime.timedelta(hours=2))
    old = _accident(register, datetime.datetime(2025, 6, 3, 14, 20, tzinfo=datetime.UTC))
    link_person(person=_mayor_task(recent).person, user=users["leader"], actor=register.officer)
    client.force_login(users["leader"])
    home = client.get("/").content.decode()
    assert home.count("请到场并确认到达") == 1
    # The call to go on site is for the recent accident only (the leader's range card may still list the old
    # one among the accidents whose investigation clock runs: that is a different figure).
    at = home.index("请到场并确认到达")
    onsite = home[home.rindex("<li>", 0, at) : home.index("</li>", at)]
    assert reverse("accidents:detail", args=[recent.pk]) in onsite
    assert reverse("accidents:detail", args=[old.pk]) not in onsite
    # The old accident's page shows the task as history, with the arrival still recordable (until 结案).
    page = client.get(reverse("accidents:detail", args=[old.pk])).content.decode()
    assert "未确认到场（已过到场时限）" in page


def test_each_arrival_input_has_its_own_id_and_label(register: Register, client: Client) -> None:
    accident = _accident(register, timezone.now() - datetime.timedelta(hours=2))
    client.force_login(register.officer)
    page = client.get(reverse("accidents:detail", args=[accident.pk])).content.decode()
    ids = re.findall(r'<input type="datetime-local" name="arrived_at"[^>]*id="([^"]+)"', page)
    assert len(ids) == OnSiteTask.objects.filter(accident=accident).count() >= 3
    assert len(set(ids)) == len(ids)
    for input_id in ids:
        assert f'<label for="{input_id}">到达现场时间</label>' in page
    every_id = re.findall(r'\sid="([^"]+)"', page)
    assert len(every_id) == len(set(every_id))
