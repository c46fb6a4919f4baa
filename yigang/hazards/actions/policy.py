"""The escalation ladder of overdue hazards: the town's interval between levels, and each level reached."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yigang.audit.log import record as audit
from yigang.towns.models import Town

from ..models import OPEN_STATUSES, EventKind, Hazard, Policy
from .base import _event, _locked


def escalate(*, hazard: Hazard, level: int, told: list[str], actor: Any = None) -> Hazard:
    """Record that an overdue hazard reached escalation `level` (once per level; see escalation.py)."""
    with transaction.atomic():
        hazard = _locked(hazard)
        if hazard.status not in OPEN_STATUSES or level <= hazard.escalation_level:
            return hazard
        _event(
            hazard, EventKind.ESCALATED, actor, "、".join(told), level=level, deadline=str(hazard.deadline)
        )
        hazard.escalation_level = level
        hazard.save(update_fields=["escalation_level"])
        audit("hazards.escalate", actor=actor, obj=hazard, changes={"level": level, "told": told})
    return hazard


def set_policy(*, town: Town, escalation_days: int, actor: Any) -> Policy:
    """Set how many days an overdue hazard waits at each escalation level before climbing to the next."""
    if not 1 <= escalation_days <= 60:
        raise ValidationError("逐级督办间隔须在 1 到 60 天之间。")
    with transaction.atomic():
        policy, _created = Policy.objects.get_or_create(town=town)
        before = policy.escalation_days
        policy.escalation_days = escalation_days
        policy.save(update_fields=["escalation_days"])
        audit(
            "hazards.policy",
            actor=actor,
            town=town,
            changes={"escalation_days": [before, escalation_days]},
        )
    return policy
