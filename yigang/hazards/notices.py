"""Telling people about hazards: when one is routed, and when an overdue one escalates (督办).

Every message goes through `yigang.notify.dispatch` with a key naming the hazard, the step and the recipient,
so each person hears of each step once, however often the runs repeat (a failed send is retried later).

Escalation (Art. 41 of the Safety Law: major hazards under 督办; issue 10): an open hazard past its deadline
climbs one level every `Policy.escalation_days` days — 1 the owner body's head, 2 the leader in charge,
3 the deputy in charge of safety, 4 the mayor. Each level is notified once; the 安委办 officers are copied on
every level. People are found as the register stands today: the seat's current holder must act now.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.notify import dispatch
from yigang.notify.fanout import Note, tell
from yigang.org import selectors
from yigang.org.models import Person, Post
from yigang.regulations.choices import PostKind
from yigang.towns.models import Role, Town

from .models import OPEN_STATUSES, Extension, ExtensionStatus, Grade, Hazard, Policy

LEVELS = {1: "责任单位负责人", 2: "分管领导", 3: "分管安全生产副职领导", 4: "镇长"}
MAX_LEVEL = 4
# Routing notices are (re)tried by the periodic run for hazards reported this recently.
ANNOUNCE_WINDOW = datetime.timedelta(days=7)


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


def _url(hazard: Hazard) -> str:
    return reverse("hazards:detail", args=[hazard.pk])


def _officers(town: Town) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, memberships__town=town, memberships__role=Role.OFFICER)
        .distinct()
    )


def _users_of(person_ids: Iterable[int | None]) -> list[Any]:
    ids = [p for p in person_ids if p]
    people = Person.objects.filter(pk__in=ids, user__isnull=False, user__is_active=True).select_related(
        "user"
    )
    return [p.user for p in people]


def holder_today(post_id: int | None, today: datetime.date) -> int | None:
    """The id of the person holding a post today (None if vacant or no post)."""
    person = selectors.holder(post_id, today)
    return person.pk if person is not None else None


def _head_today(unit_id: int, today: datetime.date) -> int | None:
    """The id of the person heading the unit today (its head or party secretary), None if none."""
    person = selectors.head(unit_id, today)
    return person.pk if person is not None else None


def _send(
    town: Town, recipients: Iterable[Any], key: str, subject: str, text: str, url: str, robots: bool = True
) -> dispatch.Outcome:
    """Tell these people, and unless `robots` is off (an extension is between its asker and its deciders) the
    town's group robots."""
    header = f"【隐患督办】{town.name}" if robots else None
    return tell(town, recipients, Note(key, subject, text, url), robot_header=header)


def announce(hazard: Hazard) -> dispatch.Outcome:
    """Tell the owner, the leader in charge, the village secretary (属地) and the copied bodies; for a major
    hazard also the party secretary, the mayor and the deputy in charge of safety, at once."""
    today = timezone.localdate()
    routing = hazard.routing or {}
    seats = [routing.get("owner"), routing.get("leader"), routing.get("village"), *routing.get("copied", [])]
    person_ids = [s.get("person_id") for s in seats if s]
    if routing.get("owner", {}).get("unit_id") != hazard.owner_unit_id:  # reassigned by the 安委办
        person_ids.append(_head_today(hazard.owner_unit_id, today))
    major = hazard.grade == Grade.MAJOR
    if major:
        person_ids.extend(s.get("person_id") for s in routing.get("town_leaders", []))
    recipients = _users_of(person_ids)
    if major or hazard.flagged:
        recipients.extend(_officers(hazard.town))
    label = "重大隐患（挂牌督办）" if major else "隐患"
    subject = f"【{label}交办】{hazard.number} {hazard.sector.name}"
    text = (
        f"【{label}交办】{hazard.number}：{hazard.address}，{hazard.description[:80]}。"
        f"责任单位：{hazard.owner_unit.name}；整改期限：{hazard.deadline:%Y年%m月%d日}。"
        + ("该行业领域无主管部门，由属地负责，请安委办协调。" if hazard.flagged else "")
    )
    key = f"hazard:{hazard.pk}|routed:{hazard.owner_unit_id}"
    return _send(hazard.town, recipients, key, subject, text, _url(hazard))


def level_due(hazard: Hazard, today: datetime.date, interval: int) -> int:
    """The escalation level an open hazard should have reached today (0: not overdue)."""
    if hazard.status not in OPEN_STATUSES or hazard.deadline >= today:
        return 0
    overdue = (today - hazard.deadline).days
    return min(MAX_LEVEL, 1 + (overdue - 1) // interval)


def level_person(hazard: Hazard, level: int, today: datetime.date) -> int | None:
    """Who answers at `level` today: the owner's head, the leader in charge, the safety deputy, the mayor."""
    if level == 1:
        return _head_today(hazard.owner_unit_id, today)
    if level == 2:
        leader = (hazard.routing or {}).get("leader") or {}
        return holder_today(leader.get("post_id"), today)
    kind = PostKind.SAFETY_DEPUTY if level == 3 else PostKind.MAYOR
    post = Post.objects.at(today).filter(town_id=hazard.town_id, kind=kind).order_by("id").first()
    return holder_today(post.pk if post else None, today)


def escalate_town(town: Town, today: datetime.date, actor: Any = None) -> Result:
    from .actions import escalate

    interval = Policy.interval(town)
    result = Result()
    officers = _officers(town)
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
                _send(
                    town,
                    [*_users_of([person_id]), *officers],
                    # An extended hazard climbs again from its approved deadline: a key of its own per deadline.
                    f"hazard:{hazard.pk}|level:{level}"
                    + (f"|deadline:{hazard.deadline.isoformat()}" if hazard.original_deadline else ""),
                    subject,
                    text,
                    _url(hazard),
                )
            )
        if told:
            escalate(hazard=hazard, level=due, told=told, actor=actor)
            result.escalated += 1
    return result


def extension_asked(extension: Extension) -> dispatch.Outcome:
    """Tell those who decide (the supervising body's staff, the 安委办 officers) that an extension waits."""
    from .access import supervising_units

    hazard = extension.hazard
    deciders = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__town_id=hazard.town_id,
            memberships__role=Role.BODY_STAFF,
            memberships__unit_id__in=supervising_units(hazard),
        )
        .distinct()
    )
    recipients = [u for u in [*deciders, *_officers(hazard.town)] if u.pk != extension.asked_by_id]
    subject = f"【延期整改申请】{hazard.number}"
    text = (
        f"【延期整改申请】{hazard.number} {hazard.sector.name}：{hazard.description[:60]}。"
        f"{extension.asked_by_name}申请将整改期限由{extension.deadline_before:%Y年%m月%d日}延至"
        f"{extension.requested:%Y年%m月%d日}，理由：{extension.reason[:100]}。请审批。"
    )
    key = f"hazard:{hazard.pk}|extension:{extension.pk}|asked"
    return _send(hazard.town, recipients, key, subject, text, _url(hazard), robots=False)


def extension_decided(extension: Extension) -> dispatch.Outcome:
    """Tell the asker how their extension was decided."""
    hazard = extension.hazard
    if extension.asked_by is None or not extension.asked_by.is_active:
        return dispatch.Outcome()
    if extension.status == ExtensionStatus.APPROVED:
        assert extension.approved is not None
        subject = f"【延期整改已批准】{hazard.number}"
        text = f"{hazard.number}的整改期限已批准延至{extension.approved:%Y年%m月%d日}（原期限{extension.deadline_before:%Y年%m月%d日}）。"
    else:
        subject = f"【延期整改未批准】{hazard.number}"
        text = (
            f"{hazard.number}的延期整改申请未获批准，整改期限仍为{extension.deadline_before:%Y年%m月%d日}。"
            f"理由：{extension.decision_note[:100]}"
        )
    key = f"hazard:{hazard.pk}|extension:{extension.pk}|{extension.status}"
    return _send(
        hazard.town,
        [extension.asked_by],
        key,
        subject,
        text + f"（{extension.decided_by_name}）",
        _url(hazard),
        robots=False,
    )


def announce_recent(town: Town, today: datetime.date) -> dispatch.Outcome:
    """Retry routing notices of recent open hazards (a key already delivered is skipped)."""
    since = timezone.now() - ANNOUNCE_WINDOW
    outcome = dispatch.Outcome()
    for hazard in Hazard.objects.filter(
        town=town, status__in=OPEN_STATUSES, reported_at__gte=since
    ).select_related("sector", "owner_unit", "town"):
        outcome.add(announce(hazard))
    return outcome


def run(*, towns: list[Town] | None = None, today: datetime.date | None = None, actor: Any = None) -> Result:
    """The periodic hazard run (driven by `yigang remind`): retry routing notices, escalate overdue hazards."""
    today = today or timezone.localdate()
    total = Result()
    for town in towns if towns is not None else list(Town.objects.order_by("pk")):
        total.outcome.add(announce_recent(town, today))
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
