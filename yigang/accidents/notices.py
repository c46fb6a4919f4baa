"""Telling people about an accident: the leaders sent to the scene and the 安委办, in the app, by e-mail and on
the town's group robots. Each notice has a key naming the accident, its grade and the recipient, so it goes out
once; a grade that rises makes new keys, so everyone is told again."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from yigang.notify import dispatch
from yigang.notify.fanout import Note, tell
from yigang.org.models import Person
from yigang.towns.models import Role

from .models import Accident, Report


def _text(accident: Accident, report: Report) -> tuple[str, str]:
    subject = f"{accident.town.name}{report.grade}事故：{report.unit_label}"
    casualties = f"死亡{report.deaths}人、重伤{report.serious_injuries}人、失踪{report.missing}人"
    text = (
        f"{timezone.localtime(report.occurred_at).strftime('%Y-%m-%d %H:%M')} {report.address}"
        f" {report.get_kind_display()}（{report.grade}），{casualties}。"
    )
    if accident.tasks.exists():
        text += "请分管和属地领导立即赶赴现场，并在系统中确认到场时间。"
    return subject, text


def notify_leaders(accident: Accident, report: Report) -> dispatch.Outcome:
    """Tell the holders of the on-site tasks and the town's officers; post to the town's robots."""
    town = accident.town
    subject, text = _text(accident, report)
    url = reverse("accidents:detail", kwargs={"pk": accident.pk})
    base = f"accident:{accident.pk}|grade:{report.grade}"
    holders = list(
        Person.objects.filter(
            pk__in=accident.tasks.exclude(person=None).values("person_id"), user__is_active=True
        ).select_related("user")
    )
    recipients: list[Any] = [p.user for p in holders]
    recipients += list(
        get_user_model()
        .objects.filter(is_active=True, memberships__town=town, memberships__role=Role.OFFICER)
        .distinct()
    )
    note = Note(base, subject, text, url, channel_label="channel:")
    return tell(town, recipients, note, robot_header=f"【事故快报】{town.name}")
