"""The town's own frequency duties on its posts (镇定要求): added, and ended on a last day."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yigang.audit.log import record as audit
from yigang.org.models import Post
from yigang.regulations.choices import DutyKind, Period

from ..models import TownDuty
from .checks import EARLIEST


def add_town_duty(
    *,
    post: Post,
    kind: str,
    period: str,
    min_count: int,
    text: str,
    valid_from: datetime.date,
    actor: Any,
) -> TownDuty:
    """A frequency duty the town sets on one of its posts (镇定要求), kept apart from the regulation's."""
    text = text.strip()
    errors = []
    if kind not in DutyKind.values:
        errors.append("履职方式无效。")
    if period not in Period.values:
        errors.append("周期无效。")
    if not 1 <= min_count <= 100:
        errors.append("至少次数须在 1 到 100 之间。")
    if not text:
        errors.append("请填写要求内容。")
    if valid_from < EARLIEST:
        errors.append("起始日期不能早于 2000 年。")
    if errors:
        raise ValidationError(errors)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        duty = TownDuty.objects.create(
            town_id=post.town_id,
            post=post,
            kind=kind,
            period=period,
            min_count=min_count,
            text=text,
            valid_from=valid_from,
            created_by=user,
        )
        audit(
            "duties.town_duty.add",
            actor=actor,
            obj=duty,
            changes={
                "post": post.title,
                "kind": kind,
                "period": period,
                "min_count": min_count,
                "text": text,
                "valid_from": valid_from.isoformat(),
            },
        )
    return duty


def end_town_duty(*, duty: TownDuty, last_day: datetime.date, actor: Any) -> TownDuty:
    """End a town duty on its last day; it keeps judging the days before (history is never rewritten)."""
    with transaction.atomic():
        current = TownDuty.objects.select_for_update().get(pk=duty.pk)
        if current.valid_until is not None:
            raise ValidationError(f"该要求已于{current.valid_until}终止。")
        if last_day < current.valid_from:
            raise ValidationError("终止日期不能早于起始日期。")
        current.valid_until = last_day
        current.save(update_fields=["valid_until"])
        audit("duties.town_duty.end", actor=actor, obj=current, changes={"valid_until": last_day.isoformat()})
    return current
