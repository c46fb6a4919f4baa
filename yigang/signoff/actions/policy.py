"""The town's reminder policy for sign-offs still missing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yigang.audit.log import record
from yigang.towns.models import Town

from ..models import Policy


def set_policy(*, town: Town, remind_after_days: int, escalate_after_days: int, actor: Any) -> Policy:
    """After how many days the missing are reminded, and after how many their leader in charge is told."""
    if not 1 <= remind_after_days <= 90 or not 1 <= escalate_after_days <= 180:
        raise ValidationError("提醒天数须在 1 到 90 之间，告知领导的天数须在 1 到 180 之间。")
    if escalate_after_days <= remind_after_days:
        raise ValidationError("告知分管领导的天数须多于提醒本人的天数。")
    with transaction.atomic():
        policy, _created = Policy.objects.select_for_update().get_or_create(town=town)
        before = {"remind": policy.remind_after_days, "escalate": policy.escalate_after_days}
        policy.remind_after_days = remind_after_days
        policy.escalate_after_days = escalate_after_days
        policy.save(update_fields=["remind_after_days", "escalate_after_days"])
        record(
            "signoff.policy",
            actor=actor,
            town=town,
            changes={
                "before": before,
                "after": {"remind": remind_after_days, "escalate": escalate_after_days},
            },
        )
    return policy
