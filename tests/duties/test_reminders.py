"""Reminders: due soon to the holder, missed to the holder and the 安委办, vacancies to the 安委办; never twice."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from yigang.audit.models import AuditEntry
from yigang.duties import actions
from yigang.duties.reminders import notices_for, remind
from yigang.notify.models import Delivery, DeliveryAttempt, Notification
from yigang.org.models import Person

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def holder(posts: Any, appoint: Any, users: Any) -> Any:
    """李强 holds the safety deputy's post since 2020, and logs in as the `leader` user."""
    person = appoint(posts["safety"], "李强", D(2020, 1, 1))
    Person.objects.filter(pk=person.pk).update(user=users["leader"])  # the register links the account
    users["leader"].email = "liqiang@example.gov.cn"
    users["leader"].save()
    users["officer"].email = "anweiban@example.gov.cn"
    users["officer"].save()
    return person


def _safety_stages(town: Any, today: D) -> list[tuple[str, str]]:
    return sorted(
        (n.stage, n.row.period_label) for n in notices_for(town, today) if n.row.post == "分管安全生产副镇长"
    )


def test_the_holder_is_reminded_days_before_the_month_ends(town: Any, seed: Any, holder: Any) -> None:
    assert ("due", "2025年5月") not in _safety_stages(town, D(2025, 5, 23))
    assert ("due", "2025年5月") in _safety_stages(town, D(2025, 5, 24))  # 7 days before the 31st
    actions.set_reminder_policy(town=town, days={"month": 10}, actor=None)
    assert ("due", "2025年5月") in _safety_stages(town, D(2025, 5, 21))


def test_a_met_duty_is_not_reminded(town: Any, seed: Any, holder: Any, posts: Any, rec: Any) -> None:
    rec(posts["safety"], "meeting", D(2025, 5, 3))
    rec(posts["safety"], "inspection", D(2025, 5, 3))
    assert not [s for s in _safety_stages(town, D(2025, 5, 28)) if s[1] == "2025年5月"]


def test_remind_is_idempotent_across_channels(town: Any, seed: Any, holder: Any, users: Any) -> None:
    first = remind(towns=[town], today=D(2025, 6, 2))
    # May was missed (meeting and inspection): holder and officer told, in the app and by mail.
    assert first.outcome.failed == 0 and first.outcome.sent > 0
    leader_notes = Notification.objects.filter(user=users["leader"]).count()
    officer_notes = Notification.objects.filter(user=users["officer"]).count()
    assert leader_notes >= 2 and officer_notes >= 2
    assert {m.to[0] for m in mail.outbox} == {"liqiang@example.gov.cn", "anweiban@example.gov.cn"}
    assert len(mail.outbox) == 2  # one e-mail per person per run, listing every item
    deliveries = Delivery.objects.count()
    for _ in range(3):
        again = remind(towns=[town], today=D(2025, 6, 2))
        assert again.outcome.sent == 0 and again.outcome.skipped == first.outcome.sent
    assert Delivery.objects.count() == deliveries
    assert Notification.objects.count() == leader_notes + officer_notes
    assert len(mail.outbox) == 2
    assert DeliveryAttempt.objects.count() == deliveries
    assert AuditEntry.objects.filter(event="duties.remind").count() == 1


def test_the_command_is_safe_to_run_twice(town: Any, seed: Any, holder: Any) -> None:
    def run() -> dict[str, Any]:
        out = io.StringIO()
        call_command("remind", "--today", "2025-06-02", "--json", stdout=out)
        return json.loads(out.getvalue())

    first = run()
    notes = Notification.objects.count()
    second = run()
    assert first["sent"] > 0 and first["failed"] == 0
    assert (second["sent"], second["skipped"]) == (0, first["sent"])
    assert Notification.objects.count() == notes


def test_a_vacancy_is_told_to_the_officers_only(town: Any, seed: Any, posts: Any, users: Any) -> None:
    remind(towns=[town], today=D(2025, 6, 2))
    vacant = Notification.objects.filter(title__contains="岗位空缺")
    assert vacant.exists()
    assert set(vacant.values_list("user__username", flat=True)) == {"officer"}


def test_old_misses_are_not_announced(town: Any, seed: Any, holder: Any) -> None:
    stages = _safety_stages(town, D(2025, 6, 2))
    assert ("missed", "2025年5月") in stages
    assert ("missed", "2025年3月") not in stages  # ended more than 31 days before


def test_the_turn_of_the_year_reminds_about_the_year_just_ended(town: Any, seed: Any, holder: Any) -> None:
    stages = _safety_stages(town, D(2026, 1, 3))
    assert ("missed", "2025年12月") in stages


def test_the_officer_sets_the_days_before_on_the_settings_page(town: Any, users: Any, login: Any) -> None:
    from django.urls import reverse

    from yigang.duties.models import ReminderPolicy

    client = login(users["officer"])
    form = {
        "week_days": 1,
        "two_weeks_days": 3,
        "ten_days_days": 2,
        "half_month_days": 4,
        "month_days": 10,
        "two_months_days": 12,
        "quarter_days": 15,
        "half_year_days": 30,
        "year_days": 45,
    }
    assert client.post(reverse("duties:settings"), form).status_code == 302
    assert ReminderPolicy.for_town(town)["month"] == 10
    html = client.post(reverse("duties:settings"), {**form, "week_days": 9}).content.decode()
    assert "每周事项的提前天数须在 0 到 6 之间" in html
    assert ReminderPolicy.objects.get(town=town).week_days == 1
    assert AuditEntry.objects.filter(event="duties.reminder_policy.set").count() == 1


def test_the_loop_refuses_to_hammer(town: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="至少 60 秒"):
        call_command("remind", "--every", "5")
