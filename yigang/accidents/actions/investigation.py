"""After the accident: the investigation's deadline extended, its report submitted, the 安委办's findings."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit

from .. import clocks
from ..models import Accident, Extension, Finding, FindingKind, InvestigationReport


def extend_investigation(*, accident: Accident, days: int, reason: str, actor: Any) -> Extension:
    """The one extension of the investigation report's deadline (Art. 29: at most 60 days), with its reason."""
    reason = reason.strip()
    errors = []
    if not 1 <= days <= clocks.MAX_EXTENSION_DAYS:
        errors.append(f"延长天数须在 1 到 {clocks.MAX_EXTENSION_DAYS} 天之间。")
    if not reason:
        errors.append("请填写延长理由。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Accident.objects.select_for_update().get(pk=accident.pk)
        if InvestigationReport.objects.filter(accident=accident).exists():
            raise ValidationError("调查报告已提交，无需延长。")
        if Extension.objects.filter(accident=accident).exists():
            raise ValidationError("调查期限只能延长一次，已经延长过。")
        extension = Extension.objects.create(
            town=accident.town,
            accident=accident,
            days=days,
            reason=reason,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit("accidents.extend", actor=actor, obj=accident, changes={"days": days, "reason": reason})
    return extension


def submit_investigation(
    *, accident: Accident, submitted_on: datetime.date, note: str = "", actor: Any
) -> InvestigationReport:
    """The investigation report was submitted on a day: its clock stops (met or late)."""
    assert accident.latest is not None
    if submitted_on > timezone.localdate():
        raise ValidationError("提交日期不能晚于今天。")
    if submitted_on < accident.latest.occurred_on:
        raise ValidationError("提交日期不能早于事故发生日期。")
    with transaction.atomic():
        Accident.objects.select_for_update().get(pk=accident.pk)
        if InvestigationReport.objects.filter(accident=accident).exists():
            raise ValidationError("调查报告已登记。")
        done = InvestigationReport.objects.create(
            town=accident.town,
            accident=accident,
            submitted_on=submitted_on,
            note=note.strip(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            "accidents.investigation",
            actor=actor,
            obj=accident,
            changes={"submitted_on": submitted_on.isoformat(), "note": done.note},
        )
    return done


def record_finding(*, accident: Accident, kind: str, reason: str, actor: Any) -> Finding:
    """The 安委办's determination that the accident was concealed (瞒报), falsified (谎报) or left out (漏报)."""
    reason = reason.strip()
    errors = []
    if kind not in FindingKind.values:
        errors.append("认定类型无效。")
    if not reason:
        errors.append("请填写认定理由。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        finding = Finding.objects.create(
            town=accident.town,
            accident=accident,
            kind=kind,
            reason=reason,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit("accidents.finding", actor=actor, obj=accident, changes={"kind": kind, "reason": reason})
    return finding
