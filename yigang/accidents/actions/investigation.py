"""After the accident: the investigation's deadline extended, its report submitted, the 安委办's findings."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.towns.reauth import refuse, require_word

from .. import clocks
from ..models import Accident, Closure, Extension, Finding, FindingKind, InvestigationReport, OnSiteTask

CLOSED = "事故已结案：报告、调查和到场任务不再变更。"


def is_closed(accident: Accident) -> bool:
    return Closure.objects.filter(accident_id=accident.pk).exists()


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
        if is_closed(accident):
            raise ValidationError(CLOSED)
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
        if is_closed(accident):
            raise ValidationError(CLOSED)
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


def close_refusal(accident: Accident, user: Any) -> str | None:
    """Why `user` may not close (结案) the accident, in Chinese, or None. Who registered the investigation report
    cannot also close it: another 安委办 officer checks it first (separation of duties)."""
    if is_closed(accident):
        return "事故已结案。"
    investigation = InvestigationReport.objects.filter(accident=accident).first()
    if investigation is None:
        return "须先登记调查报告，才能结案。"
    if investigation.created_by_id is not None and investigation.created_by_id == getattr(user, "pk", None):
        return "调查报告由您登记，不能再由您结案：请由安委办另一位工作人员核对后结案。"
    return None


def unconfirmed_tasks(accident: Accident) -> list[OnSiteTask]:
    """The on-site tasks closing would leave as 未到场 (what the page shows before one confirms)."""
    return list(
        OnSiteTask.objects.filter(accident=accident, arrived_at__isnull=True).select_related("post", "person")
    )


def close_investigation(
    *,
    accident: Accident,
    closed_on: datetime.date,
    note: str = "",
    actor: Any,
    secret: str | None = None,
    ip: str | None = None,
) -> Closure:
    """结案: close the accident's investigation, on the day of the government's reply (批复). Irreversible: the
    report can no longer change (no 变更 or 补报), the investigation neither, and on-site tasks not confirmed stay
    未到场. Needs a registered investigation report, an officer other than the one who registered it, and the
    closer's password or TOTP code (none for the system). Every refusal changes nothing and is audited as a
    failed `accidents.close` (a wrong secret with kind `bad_credential`, counting toward the lockout)."""
    assert accident.latest is not None
    note = note.strip()
    problem = None
    if closed_on > timezone.localdate():
        problem = "结案日期不能晚于今天。"
    elif len(note) > 1000:
        problem = "结案说明不能超过 1000 个字。"
    else:
        problem = close_refusal(accident, actor)
        if problem is None:
            investigation = InvestigationReport.objects.get(accident=accident)
            if closed_on < investigation.submitted_on:
                problem = "结案日期不能早于调查报告提交日期。"
    if problem is not None:
        refuse("accidents.close", problem, "rule", actor=actor, ip=ip, obj=accident)
    require_word(actor, secret, "结案", "accidents.close", ip=ip, obj=accident)
    with transaction.atomic():
        Accident.objects.select_for_update().get(pk=accident.pk)
        if is_closed(accident):
            raise ValidationError("事故已结案。")
        missed = [t.post_id for t in unconfirmed_tasks(accident)]
        closure = Closure.objects.create(
            town=accident.town,
            accident=accident,
            closed_on=closed_on,
            note=note,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            "accidents.close",
            actor=actor,
            obj=accident,
            ip=ip,
            changes={"closed_on": closed_on.isoformat(), "note": note, "missed_tasks": missed},
        )
    return closure


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
