"""Escalation of overdue hazards (督办) and the periodic hazard run.

Art. 41 of the Safety Law puts major hazards under 督办 (issue 10): an open hazard past its deadline climbs one
level every `Policy.escalation_days` days — 1 the owner body's head, 2 the leader in charge, 3 the deputy in
charge of safety, 4 the mayor. Each level is notified once; the 安委办 officers are copied on every level. People
are found as the register stands today: the seat's current holder must act now.

Its own module: it tells people (notices.py) and then records the level reached (actions.escalate), and the
actions tell people too, so neither of those two imports it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.notify import dispatch
from yigang.org.models import Person
from yigang.towns.models import Town

from . import notices
from .actions import escalate
from .models import OPEN_STATUSES, Hazard, Policy

LEVELS = {1: "责任单位负责人", 2: "分管领导", 3: "分管安全生产副职领导", 4: "镇长"}
MAX_LEVEL = 4


@dataclass
class Result:
    hazards: int = 0
    escalated: int = 0
    outcome: dispatch.Outcome = field(default_factory=dispatch.Outcome)

    def as_json(self) -> dict[str, Any]:
        return {
            "hazards": self.hazards,
            "escalated": self.escalated,
            "sent": self.outcome.sent,
            "failed": self.outcome.failed,
            "skipped": self.outcome.skipped,
            "errors": self.outcome.errors,
        }


def level_due(hazard: Hazard, today: datetime.date, interval: int) -> int:
    """The escalation level an open hazard should have reached today (0: not overdue)."""
    if hazard.status not in OPEN_STATUSES or hazard.deadline >= today:
        return 0
    overdue = (today - hazard.deadline).days
    return min(MAX_LEVEL, 1 + (overdue - 1) // interval)


# Who answers at a level lives with the notices (a 催办 reaches the same people); the name stays here too.
level_person = notices.level_person


def escalate_town(town: Town, today: datetime.date, actor: Any = None) -> Result:
    interval = Policy.interval(town)
    result = Result()
    officers = notices.officers(town)
    overdue = list(
        Hazard.objects.filter(town=town, status__in=OPEN_STATUSES, deadline__lt=today).select_related(
            "sector", "owner_unit", "town"
        )
    )
    result.hazards = len(overdue)
    for hazard in overdue:
        due = level_due(hazard, today, interval)
        told: list[str] = []
        for level in range(hazard.escalation_level + 1, due + 1):
            person_id = level_person(hazard, level, today)
            person = Person.objects.filter(pk=person_id).first() if person_id else None
            who = f"{LEVELS[level]}{person.name if person else '（空缺）'}"
            told.append(who)
            days = (today - hazard.deadline).days
            subject = f"【隐患逾期督办·第{level}级】{hazard.number}"
            extended = (
                f"（已批准延期，原期限{hazard.original_deadline:%Y年%m月%d日}）"
                if hazard.original_deadline
                else ""
            )
            text = (
                f"【逾期督办·第{level}级：{LEVELS[level]}】{hazard.number} {hazard.sector.name}："
                f"{hazard.address}，{hazard.description[:60]}。责任单位{hazard.owner_unit.name}，"
                f"整改期限{hazard.deadline:%Y年%m月%d日}{extended}，已逾期 {days} 天，请督促整改。"
            )
            result.outcome.add(
                notices.send(
                    town,
                    [*notices.users_of([person_id]), *officers],
                    # An extended hazard climbs again from its approved deadline: a key of its own per deadline.
                    f"hazard:{hazard.pk}|level:{level}"
                    + (f"|deadline:{hazard.deadline.isoformat()}" if hazard.original_deadline else ""),
                    subject,
                    text,
                    notices.url_of(hazard),
                )
            )
        if told:
            escalate(hazard=hazard, level=due, told=told, actor=actor)
            result.escalated += 1
    return result


def run(*, towns: list[Town] | None = None, today: datetime.date | None = None, actor: Any = None) -> Result:
    """The periodic hazard run (driven by `yigang remind`): retry routing notices, escalate overdue hazards."""
    today = today or timezone.localdate()
    total = Result()
    for town in towns if towns is not None else list(Town.objects.order_by("pk")):
        total.outcome.add(notices.announce_recent(town, today))
        one = escalate_town(town, today, actor)
        total.hazards += one.hazards
        total.escalated += one.escalated
        total.outcome.add(one.outcome)
        if one.escalated:
            audit(
                "hazards.escalation_run",
                actor=actor,
                town=town,
                success=one.outcome.failed == 0,
                changes={"date": today, "escalated": one.escalated, "sent": one.outcome.sent},
            )
    return total
