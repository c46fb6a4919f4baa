"""Reminders: before a period ends, tell the holder who has not met a duty; once missed, tell the holder and
the 安委办; a vacant post is told to the 安委办. In the app, by e-mail and to the town's group robots.

Safe to run any number of times: every message has a key per (duty, post, period, person, stage, channel,
recipient), and `yigang.notify.dispatch` sends a key at most once (a failed one is retried on later runs).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from yigang.notify import dispatch
from yigang.notify.fanout import fan_out, record_run
from yigang.org.models import Person
from yigang.towns.models import Role, Town

from .compliance import Row, Status, compute
from .models import ReminderPolicy

DUE = "due"
MISSED = "missed"
VACANT = "vacant"
STAGE_LABELS = {DUE: "待完成", MISSED: "未完成", VACANT: "岗位空缺"}
# A period missed (or left vacant) longer ago than this is not announced any more: the first run after a long
# outage, or on a freshly loaded history, must not flood everyone with last year's news.
LOOKBACK = datetime.timedelta(days=31)


@dataclass
class Notice:
    row: Row
    stage: str
    year: int

    def key(self, channel: str, recipient: str) -> str:
        r = self.row
        # A town duty's id is its own (TownDuty), apart from the regulation's duties' ids.
        duty = f"town_duty:{r.duty_id}" if r.source == "town" else f"duty:{r.duty_id}"
        return (
            f"{duty}|post:{r.post_id}|period:{r.period}:{r.period_start:%Y-%m-%d}"
            f"|person:{r.person_id or '-'}|stage:{self.stage}|{channel}|to:{recipient}"
        )

    @property
    def subject(self) -> str:
        return f"【{STAGE_LABELS[self.stage]}】{self.row.post}：{self.row.period_label}{self.row.kind_label}"

    @property
    def text(self) -> str:
        r = self.row
        duty = f"{r.place}{r.kind_label}（{r.frequency}）"
        if self.stage == DUE:
            return (
                f"【待完成】{r.person}（{r.post}）：{duty}，{r.period_label}已完成 {r.done} 次，"
                f"还差 {r.missing} 次，请于 {r.end:%Y年%m月%d日} 前完成并录入履职记录。"
            )
        if self.stage == MISSED:
            return (
                f"【未完成】{r.person}（{r.post}）：{duty}，{r.period_label}应完成 {r.required} 次，"
                f"实际 {r.done} 次。"
            )
        return (
            f"【岗位空缺】{r.post}（{r.unit}）{r.period_label}无人任职：{duty}无人履行，请尽快明确任职人员。"
        )

    @property
    def url(self) -> str:
        if self.row.person_id:
            return reverse("duties:person_year", args=[self.row.person_id, self.year])
        return reverse("duties:overview")


@dataclass
class RemindResult:
    towns: int = 0
    notices: int = 0
    outcome: dispatch.Outcome = field(default_factory=dispatch.Outcome)

    def as_json(self) -> dict[str, Any]:
        return {
            "towns": self.towns,
            "notices": self.notices,
            "sent": self.outcome.sent,
            "failed": self.outcome.failed,
            "skipped": self.outcome.skipped,
            "errors": self.outcome.errors,
        }


def notices_for(town: Town, today: datetime.date) -> list[Notice]:
    """What should be announced today: due soon, missed lately, vacant now or lately."""
    days_before = ReminderPolicy.for_town(town)
    years = sorted({today.year, (today - LOOKBACK).year, today.isocalendar().year})
    notices = []
    for year in years:
        for row in compute(town, year, today=today).rows:
            if row.period_start > today:
                continue
            if row.status in (Status.ON_TRACK, Status.AT_RISK) and row.person_id:
                if (row.end - today).days <= days_before[row.period]:
                    notices.append(Notice(row, DUE, year))
            elif row.status == Status.MISSED and row.person_id and today - row.end <= LOOKBACK:
                notices.append(Notice(row, MISSED, year))
            elif row.status == Status.VACANT and today - row.end <= LOOKBACK:
                notices.append(Notice(row, VACANT, year))
    return notices


def remind_town(town: Town, today: datetime.date, actor: Any = None) -> RemindResult:
    notices = notices_for(town, today)
    result = RemindResult(towns=1, notices=len(notices))
    if not notices:
        return result
    users = get_user_model()
    holders = {
        p.pk: p.user
        for p in Person.objects.filter(
            pk__in={n.row.person_id for n in notices if n.row.person_id}, user__is_active=True
        ).select_related("user")
    }
    officers = list(
        users.objects.filter(
            is_active=True, memberships__town=town, memberships__role=Role.OFFICER
        ).distinct()
    )
    inbox: dict[Any, list[Notice]] = defaultdict(list)
    for notice in notices:
        recipients = []
        holder = holders.get(notice.row.person_id) if notice.row.person_id else None
        if holder is not None and notice.stage in (DUE, MISSED):
            recipients.append(holder)
        if notice.stage in (MISSED, VACANT):
            recipients.extend(officers)
        for user in dict.fromkeys(recipients):
            inbox[user].append(notice)

    outcome = result.outcome
    # The robots hear every notice, the due ones too: the group sees what is coming.
    outcome.add(
        fan_out(
            town,
            inbox,
            email_subject=f"{town.name}安全生产履职提醒",
            robot_header=f"【一岗双责提醒】{town.name}",
            robot_notices=notices,
        )
    )
    record_run("duties.remind", town=town, actor=actor, today=today, outcome=outcome)
    return result


def remind(
    *, towns: list[Town] | None = None, today: datetime.date | None = None, actor: Any = None
) -> RemindResult:
    """Run the reminders for the given towns (default: every town) as of `today`."""
    from django.utils import timezone

    today = today or timezone.localdate()
    total = RemindResult()
    for town in towns if towns is not None else list(Town.objects.order_by("pk")):
        one = remind_town(town, today, actor)
        total.towns += 1
        total.notices += one.notices
        total.outcome.add(one.outcome)
    return total
