"""Who handles a hazard: the owner's decline, with a reason, and the 安委办's decision to keep or reassign it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.org.models import Unit, UnitKind

from ..access import staff_units
from ..models import EventKind, Hazard, Status
from .base import _event, _locked, _reason, _require


def decline(*, hazard: Hazard, reason: str, actor: Any) -> Hazard:
    """The owner says the hazard is not theirs; only with a reason. The 安委办 then decides (`decide`)."""
    reason = _reason(reason, "退回理由")
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.ASSIGNED,), "申请退回（只有尚未开始整改的隐患可以退回）")
        _event(hazard, EventKind.DECLINED, actor, reason, owner=hazard.owner_unit.name)
        hazard.status = Status.DECLINED
        hazard.save(update_fields=["status"])
        audit("hazards.decline", actor=actor, obj=hazard, changes={"reason": reason})
    return hazard


def decide(*, hazard: Hazard, owner: Unit | None, reason: str, actor: Any, notify: bool = True) -> Hazard:
    """The 安委办 decides a decline: `owner=None` keeps it with the owner; another unit takes it over."""
    reason = _reason(reason, "裁定理由")
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.DECLINED,), "裁定（没有待裁定的退回申请）")
        before = hazard.owner_unit
        if owner is not None and owner.pk != before.pk:
            if owner.town_id != hazard.town_id or owner.kind not in (UnitKind.BODY, UnitKind.VILLAGE):
                raise ValidationError("隐患只能改交本镇的部门、驻镇单位或嘎查村（社区）。")
            if not owner.exists_on(timezone.localdate()):
                raise ValidationError(f"“{owner.name}”已撤销，不能承办隐患。")
            hazard.owner_unit = owner
            routing = dict(hazard.routing)
            routing["reassigned"] = [*routing.get("reassigned", []), {"from": before.name, "to": owner.name}]
            hazard.routing = routing
        kept = hazard.owner_unit_id == before.pk
        _event(
            hazard,
            EventKind.DECIDED,
            actor,
            reason,
            decision="kept" if kept else "reassigned",
            previous=before.name,
            owner=hazard.owner_unit.name,
        )
        hazard.status = Status.ASSIGNED
        hazard.save(update_fields=["status", "owner_unit", "routing"])
        audit(
            "hazards.decide",
            actor=actor,
            obj=hazard,
            changes={"reason": reason, "from": before.name, "to": hazard.owner_unit.name},
        )
    if not kept and notify:
        from ..notices import announce

        announce(hazard)
    return hazard


def handles(user: Any, hazard: Hazard) -> bool:
    """Whether the user is staff of the hazard's owner unit (for the pages: which buttons to show)."""
    return hazard.owner_unit_id in staff_units(user, hazard.town_id)
