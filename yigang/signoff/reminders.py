"""Sign-off notices: a new task to its holder at once; a reminder after `remind_after_days`; after
`escalate_after_days` their leader is told (the holders of the posts in charge of the task's unit, else the
安委办 officers). Each notice goes once per channel and recipient (`yigang.notify.dispatch` keys).

`run` is what `yigang remind` calls: for each town it first distributes what is due (`actions.sync_town`, so a
newly activated version, a new year or a new holder is picked up by the next run), then sends the notices.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from yigang.notify import dispatch
from yigang.notify.fanout import fan_out, record_run
from yigang.org.models import Portfolio, Tenure
from yigang.regulations.models import Status
from yigang.towns.models import Role, Town

from .actions import sync_town
from .models import Kind, Policy, Task

NEW = "new"
REMIND = "remind"
ESCALATE = "escalate"


@dataclass
class Notice:
    task: Task
    stage: str
    days: int

    def key(self, channel: str, recipient: str) -> str:
        return f"signoff:task:{self.task.pk}|stage:{self.stage}|{channel}|to:{recipient}"

    @property
    def subject(self) -> str:
        label = {NEW: "待签收", REMIND: "签收提醒", ESCALATE: "逾期未签收"}[self.stage]
        return f"【{label}】{self.task.title}"[:200]

    @property
    def text(self) -> str:
        who = f"{self.task.person.name}（{self.task.post.unit.name} {self.task.post.title}）"
        if self.stage == NEW:
            return f"【待签收】{who}：请阅读《{self.task.title}》并在系统中确认（已阅知）。"
        if self.stage == REMIND:
            return f"【签收提醒】{who}：《{self.task.title}》已下发 {self.days} 天，尚未确认。"
        return f"【逾期未签收】{who}：《{self.task.title}》已下发 {self.days} 天仍未确认，请督促。"

    @property
    def url(self) -> str:
        return reverse("signoff:task", args=[self.task.pk])


@dataclass
class Result:
    towns: int = 0
    opened: int = 0
    notices: int = 0
    outcome: dispatch.Outcome = field(default_factory=dispatch.Outcome)

    def as_json(self) -> dict[str, Any]:
        return {
            "towns": self.towns,
            "opened": self.opened,
            "notices": self.notices,
            "sent": self.outcome.sent,
            "failed": self.outcome.failed,
            "skipped": self.outcome.skipped,
        }


def waiting(town: Town) -> list[Task]:
    """Open, unconfirmed tasks of the town's issued documents (a superseded version's are no longer asked for)."""
    return list(
        Task.objects.filter(document__town=town, document__issued_at__isnull=False, ended_at__isnull=True)
        .filter(confirmation__isnull=True)
        .exclude(Q(document__kind=Kind.REGULATION) & ~Q(document__regulation__status=Status.ACTIVE))
        .select_related("person__user", "post__unit", "document")
        .order_by("id")
    )


def _leaders(town: Town, today: datetime.date, unit_ids: set[int]) -> dict[int, list[Any]]:
    """The active accounts of whoever holds a post in charge (分管) of each unit today."""
    portfolios = list(Portfolio.objects.at(today).filter(town=town, unit_id__in=unit_ids))
    holders = {
        t.post_id: t.person.user
        for t in Tenure.objects.at(today)
        .filter(post_id__in={p.post_id for p in portfolios}, person__user__is_active=True)
        .select_related("person__user")
    }
    found: dict[int, list[Any]] = defaultdict(list)
    for p in portfolios:
        if p.unit_id is not None and p.post_id in holders:
            found[p.unit_id].append(holders[p.post_id])
    return found


def notices_for(town: Town, today: datetime.date) -> list[Notice]:
    policy = Policy.for_town(town)
    notices = []
    for task in waiting(town):
        days = (today - timezone.localtime(task.created_at).date()).days
        notices.append(Notice(task, NEW, days))
        if days >= policy.remind_after_days:
            notices.append(Notice(task, REMIND, days))
        if days >= policy.escalate_after_days:
            notices.append(Notice(task, ESCALATE, days))
    return notices


def remind_town(town: Town, today: datetime.date, actor: Any = None) -> Result:
    notices = notices_for(town, today)
    result = Result(towns=1, notices=len(notices))
    escalations = [n for n in notices if n.stage == ESCALATE]
    leaders = _leaders(town, today, {n.task.post.unit_id for n in escalations})
    officers = list(
        get_user_model()
        .objects.filter(is_active=True, memberships__town=town, memberships__role=Role.OFFICER)
        .distinct()
    )
    inbox: dict[Any, list[Notice]] = defaultdict(list)
    for notice in notices:
        if notice.stage == ESCALATE:
            holder = notice.task.person.user
            told = [u for u in leaders.get(notice.task.post.unit_id, []) if u != holder] or officers
            for user in dict.fromkeys(told):
                inbox[user].append(notice)
        elif notice.task.person.user is not None and notice.task.person.user.is_active:
            inbox[notice.task.person.user].append(notice)
    outcome = result.outcome
    # Sign-off is between a person and their leader: nothing goes to the town's group robots.
    outcome.add(fan_out(town, inbox, email_subject=f"{town.name}安全生产签收提醒"))
    record_run("signoff.remind", town=town, actor=actor, today=today, outcome=outcome)
    return result


def run(*, towns: list[Town] | None = None, today: datetime.date | None = None, actor: Any = None) -> Result:
    """Distribute what is due and send the notices, for the given towns (default: every town)."""
    today = today or timezone.localdate()
    total = Result()
    for town in towns if towns is not None else list(Town.objects.order_by("pk")):
        opened = len(sync_town(town=town, actor=actor, day=today).created)
        one = remind_town(town, today, actor)
        total.towns += 1
        total.opened += opened
        total.notices += one.notices
        total.outcome.add(one.outcome)
    return total
