"""催办: the 安委办, or a town leader who answers for it, presses those who answer for an overdue hazard, with a
message, through the usual channels (in the app, by e-mail, the town's robots) — at most once a day each."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit

from ..models import EventKind, Hazard, HazardEvent
from .base import _event, _locked, _now, _user

# One 催办 per hazard per sender in this window: a nudge is a person's word, not a stream of alarms.
NUDGE_INTERVAL = datetime.timedelta(hours=24)
MAX_MESSAGE = 500


@dataclass
class Nudged:
    event: HazardEvent
    recipients: list[str] = field(default_factory=list)  # the names told
    sent: int = 0
    failed: int = 0


def last_nudge(hazard: Hazard, actor: Any) -> HazardEvent | None:
    """The actor's latest 催办 of this hazard within the window (None: they may nudge again)."""
    user = _user(actor)
    if user is None:
        return None
    since = _now() - NUDGE_INTERVAL
    return (
        hazard.events.filter(kind=EventKind.NUDGED, actor_id=user.pk, at__gt=since)
        .order_by("-at", "-id")
        .first()
    )


def next_nudge_at(event: HazardEvent) -> datetime.datetime:
    return timezone.localtime(event.at + NUDGE_INTERVAL)


def _wait_message(event: HazardEvent) -> str:
    return (
        f"您已于{timezone.localtime(event.at):%Y-%m-%d %H:%M}催办过该隐患；同一隐患每人 24 小时内只能催办一次，"
        f"下次可在 {next_nudge_at(event):%Y-%m-%d %H:%M} 之后催办。"
    )


def nudge(*, hazard: Hazard, message: str, actor: Any) -> Nudged:
    """Send a 催办 with `message` to those who answer for an overdue hazard now (notices.answerers: the owner
    unit's staff and head, and the escalation levels it has reached), the sender left out. Refused (nothing
    saved, nothing sent) when the hazard is not overdue, the message is empty or too long, the sender nudged it
    less than 24 hours ago, or nobody who answers for it has an account. A `nudged` event on the timeline and a
    `hazards.nudge` audit entry name the sender, the message and who was told."""
    from ..notices import answerers, name_of, send, url_of

    text = (message or "").strip()
    if not text:
        raise ValidationError({"message": ["请填写催办内容。"]})
    if len(text) > MAX_MESSAGE:
        raise ValidationError({"message": [f"催办内容不能超过 {MAX_MESSAGE} 个字。"]})
    with transaction.atomic():
        hazard = _locked(hazard)
        today = timezone.localdate(_now())
        if not hazard.is_overdue(today):
            raise ValidationError(
                f"该隐患未逾期（整改期限 {hazard.deadline:%Y-%m-%d}，当前状态“{hazard.get_status_display()}”），"
                "只有逾期未销号的隐患可以催办。"
            )
        earlier = last_nudge(hazard, actor)
        if earlier is not None:
            raise ValidationError(_wait_message(earlier))
        sender = _user(actor)
        recipients = [u for u in answerers(hazard, today) if sender is None or u.pk != sender.pk]
        if not recipients:
            raise ValidationError(
                f"没有可催办的人：{hazard.owner_unit.name}的负责人和工作人员都还没有账号（或已停用）。"
                "请先在人员台账中为其开通并关联账号。"
            )
        names = [name_of(u) for u in recipients]
        days = (today - hazard.deadline).days
        event = _event(hazard, EventKind.NUDGED, actor, text, told=names, overdue_days=days)
        audit(
            "hazards.nudge",
            actor=actor,
            obj=hazard,
            changes={"message": text, "told": names, "overdue_days": days, "event": event.pk},
        )
    who = event.actor_name
    outcome = send(
        hazard.town,
        recipients,
        f"hazard:{hazard.pk}|nudge:{event.pk}",
        f"【隐患催办】{hazard.number}",
        f"【隐患催办】{who}催办{hazard.number} {hazard.sector.name}：{hazard.address}，{hazard.description[:60]}。"
        f"责任单位{hazard.owner_unit.name}，整改期限{hazard.deadline:%Y年%m月%d日}，已逾期 {days} 天。{who}：{text}",
        url_of(hazard),
    )
    return Nudged(event=event, recipients=names, sent=outcome.sent, failed=outcome.failed)
