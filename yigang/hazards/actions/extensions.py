"""延期整改: the rectifier asks to extend the deadline before it passes; the supervising body decides."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit

from ..models import EventKind, Extension, ExtensionStatus, Hazard, Status
from .base import _event, _locked, _name, _now, _reason, _require, _user

# An extension further out than this (from the deadline in force) is a typo, not a plan.
MAX_EXTENSION_DAYS = 365
EXTENSION_OPEN = (Status.ASSIGNED, Status.RECTIFYING)


def _extension_date(day: Any, hazard: Hazard, label: str) -> datetime.date:
    if not isinstance(day, datetime.date):
        raise ValidationError({"extension_deadline": [f"请填写{label}。"]})
    if day <= hazard.deadline:
        raise ValidationError(
            {"extension_deadline": [f"{label}须晚于现在的整改期限（{hazard.deadline:%Y-%m-%d}）。"]}
        )
    if (day - hazard.deadline).days > MAX_EXTENSION_DAYS:
        raise ValidationError(
            {"extension_deadline": [f"{label}距现在的整改期限不能超过 {MAX_EXTENSION_DAYS} 天。"]}
        )
    return day


def ask_extension(
    *, hazard: Hazard, deadline: datetime.date | None, reason: str, actor: Any, notify: bool = True
) -> Extension:
    """The rectifier asks to extend the deadline (延期整改), before it passes, with a reason and the date wanted.

    The supervising body (or the 安委办) is told and decides (`decide_extension`). Asked after the deadline,
    or while another request waits, it is refused with the reason (ValidationError, nothing saved).
    """
    problems: dict[str, Any] = {}
    try:
        reason = _reason(reason, "延期理由")
    except ValidationError as exc:
        problems["note"] = exc.messages
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, EXTENSION_OPEN, "申请延期整改（只有已交办或整改中的隐患可以申请）")
        today = timezone.localdate(_now())
        if today > hazard.deadline:
            raise ValidationError(
                f"整改期限（{hazard.deadline:%Y-%m-%d}）已过，不能再申请延期整改：延期须在期限届满前提出，"
                "逾期的隐患按逾期督办处理。"
            )
        if hazard.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise ValidationError("已有一份延期整改申请等待审批，请等审批结果。")
        try:
            deadline = _extension_date(deadline, hazard, "申请延至的日期")
        except ValidationError as exc:
            problems = exc.update_error_dict(problems)
        if problems:
            raise ValidationError(problems)
        assert deadline is not None
        extension = Extension.objects.create(
            town_id=hazard.town_id,
            hazard=hazard,
            deadline_before=hazard.deadline,
            requested=deadline,
            reason=reason,
            asked_by=_user(actor),
            asked_by_name=_name(actor),
            asked_at=_now(),
        )
        _event(
            hazard,
            EventKind.EXTENSION_ASKED,
            actor,
            reason,
            extension=extension.pk,
            deadline=hazard.deadline.isoformat(),
            requested=deadline.isoformat(),
        )
        audit(
            "hazards.extension_ask",
            actor=actor,
            obj=hazard,
            changes={
                "extension": extension.pk,
                "deadline": hazard.deadline,
                "requested": deadline,
                "reason": reason,
            },
        )
    if notify:
        from ..notices import extension_asked

        extension_asked(extension)
    return extension


def _approve(
    hazard: Hazard, extension: Extension, deadline: datetime.date | None, note: str, actor: Any
) -> None:
    """Put the approved deadline in force, keeping the first one set, and start the escalation ladder again."""
    _require(hazard, EXTENSION_OPEN, "批准延期（隐患已提请验收或已销号）")
    new = _extension_date(deadline or extension.requested, hazard, "批准延至的日期")
    before = hazard.deadline
    extension.status, extension.approved = ExtensionStatus.APPROVED, new
    if hazard.original_deadline is None:
        hazard.original_deadline = before
    hazard.deadline = new
    hazard.escalation_level = 0  # the ladder climbs again from the approved deadline
    hazard.save(update_fields=["original_deadline", "deadline", "escalation_level"])
    _event(
        hazard,
        EventKind.EXTENSION_APPROVED,
        actor,
        note or f"同意延期至{new:%Y-%m-%d}",
        extension=extension.pk,
        before=before.isoformat(),
        deadline=new.isoformat(),
        original=hazard.original_deadline.isoformat(),
    )


def decide_extension(
    *,
    extension: Extension,
    approve: bool,
    note: str,
    actor: Any,
    deadline: datetime.date | None = None,
    notify: bool = True,
) -> Extension:
    """The supervising body (or the 安委办) approves an extension — with the new deadline, by default the date
    asked for — or refuses it with a reason. The deadline first set is kept on the hazard (`original_deadline`);
    the approved one is in force from then on: "overdue" and escalation follow it, the escalation ladder starts
    again from it. The asker is told. Not the asker's own request.
    """
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError({"note": ["审批意见不能超过 2000 个字。"]})
    if not approve and not note:
        raise ValidationError({"note": ["不予延期须写明理由。"]})
    with transaction.atomic():
        hazard = _locked(extension.hazard)
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
        if extension.status != ExtensionStatus.PENDING:
            raise ValidationError(f"该延期申请已审批（{extension.get_status_display()}），不能再次审批。")
        if _user(actor) is not None and extension.asked_by_id == _user(actor).pk:
            raise ValidationError("不能审批自己提出的延期申请，请由主管部门或安委办审批。")
        if approve:
            _approve(hazard, extension, deadline, note, actor)
        else:
            extension.status = ExtensionStatus.REFUSED
            _event(hazard, EventKind.EXTENSION_REFUSED, actor, note, extension=extension.pk)
        extension.decision_note = note
        extension.decided_by, extension.decided_by_name, extension.decided_at = (
            _user(actor),
            _name(actor),
            _now(),
        )
        extension.save(
            update_fields=[
                "status",
                "approved",
                "decision_note",
                "decided_by",
                "decided_by_name",
                "decided_at",
            ]
        )
        audit(
            "hazards.extension_decide",
            actor=actor,
            obj=hazard,
            changes={
                "extension": extension.pk,
                "decision": extension.status,
                "deadline": [extension.deadline_before, extension.approved or extension.deadline_before],
                "note": note,
            },
        )
    if notify:
        from ..notices import extension_decided

        extension_decided(extension)
    return extension
