"""Hazards' follow-ups in the API: 催办 an overdue hazard and 延期整改 (ask, decide, read). On the hazards router (this
module is imported by the API's URL map for what it registers); the same actions as the pages. Their operation ids stay those they had when
they stood in `api/hazards.py`, so a client generated from the schema keeps its names."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Form, Schema, Status
from ninja.errors import HttpError

from yigang.hazards import actions
from yigang.hazards.access import may_decide_extension, may_handle, may_nudge
from yigang.hazards.models import Hazard
from yigang.towns.access import deny, get_for_user

from .contract import ID, ErrorOut
from .hazards import _bad, _qs, router

# ---- 催办: a message to those who answer for an overdue hazard, at most once a day per sender. ----


class HazardNudgeIn(Schema):
    message: str = Field(..., max_length=actions.nudging.MAX_MESSAGE)


class NudgeOut(Schema):
    hazard_id: int
    at: datetime.datetime
    message: str
    told: list[str]
    sent: int
    failed: int
    next_possible: datetime.datetime


@router.post(
    "/{hazard_id}/nudges",
    response={201: NudgeOut, 400: ErrorOut, 403: ErrorOut},
    summary="催办 an overdue hazard: the 安委办 or a leader who answers for it; once per 24 h per sender",
    operation_id="yigang_api_hazards_nudge",
)
def nudge(request: HttpRequest, payload: Form[HazardNudgeIn], hazard_id: int = ID()) -> Status:
    hazard = get_for_user(_qs(), request.user, pk=hazard_id)
    if not may_nudge(request.user, hazard):
        _refuse(request, hazard, "您无权催办该隐患")
    try:
        done = actions.nudge(hazard=hazard, message=payload.message, actor=request.user)
    except ValidationError as exc:
        return _bad(exc)
    return Status(
        201,
        {
            "hazard_id": hazard.pk,
            "at": done.event.at,
            "message": done.event.note,
            "told": done.recipients,
            "sent": done.sent,
            "failed": done.failed,
            "next_possible": actions.next_nudge_at(done.event),
        },
    )


# ---- 延期整改 (extensions of a rectification deadline): ask, decide, read. The same actions as the page. ----


class ExtensionAskIn(Schema):
    deadline: datetime.date
    reason: str


class ExtensionDecisionIn(Schema):
    decision: str  # "approve" or "refuse"
    note: str = ""
    deadline: datetime.date | None = None  # approved date; by default the one asked for


class ExtensionOut(Schema):
    id: int
    status: str
    deadline_before: datetime.date
    requested: datetime.date
    approved: datetime.date | None
    reason: str
    asked_by: str
    asked_at: datetime.datetime
    decision_note: str
    decided_by: str
    decided_at: datetime.datetime | None


class ExtensionsOut(Schema):
    hazard_id: int
    deadline: datetime.date
    original_deadline: datetime.date | None
    extensions: list[ExtensionOut]


def _extensions(hazard: Hazard) -> dict[str, Any]:
    hazard.refresh_from_db(fields=["deadline", "original_deadline"])
    return {
        "hazard_id": hazard.pk,
        "deadline": hazard.deadline,
        "original_deadline": hazard.original_deadline,
        "extensions": [
            {
                "id": e.pk,
                "status": e.status,
                "deadline_before": e.deadline_before,
                "requested": e.requested,
                "approved": e.approved,
                "reason": e.reason,
                "asked_by": e.asked_by_name,
                "asked_at": e.asked_at,
                "decision_note": e.decision_note,
                "decided_by": e.decided_by_name,
                "decided_at": e.decided_at,
            }
            for e in hazard.extensions.order_by("asked_at", "id")
        ],
    }


def _refuse(request: HttpRequest, hazard: Hazard, message: str) -> None:
    try:
        deny(request, hazard.town)  # audited as auth.permission_denied, like the pages
    except PermissionDenied:
        raise HttpError(403, message) from None


@router.get(
    "/{hazard_id}/extensions",
    response=ExtensionsOut,
    summary="A hazard's extension requests (延期整改)",
    operation_id="yigang_api_hazards_list_extensions",
)
def list_extensions(request: HttpRequest, hazard_id: int = ID()) -> dict[str, Any]:
    return _extensions(get_for_user(_qs(), request.user, pk=hazard_id))


@router.post(
    "/{hazard_id}/extensions",
    response={201: ExtensionsOut, 400: ErrorOut, 403: ErrorOut},
    summary="Ask to extend the rectification deadline, before it passes, with a reason",
    operation_id="yigang_api_hazards_ask_extension",
)
def ask_extension(request: HttpRequest, payload: Form[ExtensionAskIn], hazard_id: int = ID()) -> Status:
    hazard = get_for_user(_qs(), request.user, pk=hazard_id)
    if not may_handle(request.user, hazard):
        _refuse(request, hazard, "您无权为该隐患申请延期整改")
    try:
        actions.ask_extension(
            hazard=hazard, deadline=payload.deadline, reason=payload.reason, actor=request.user
        )
    except ValidationError as exc:
        return _bad(exc)
    return Status(201, _extensions(hazard))


@router.post(
    "/{hazard_id}/extensions/{extension_id}/decision",
    response={200: ExtensionsOut, 400: ErrorOut, 403: ErrorOut},
    summary="Approve (with the new deadline) or refuse (with a reason) an extension: the supervising body",
    operation_id="yigang_api_hazards_decide_extension",
)
def decide_extension(
    request: HttpRequest,
    payload: Form[ExtensionDecisionIn],
    hazard_id: int = ID(),
    extension_id: int = ID(),
) -> Status:
    hazard = get_for_user(_qs(), request.user, pk=hazard_id)
    if not may_decide_extension(request.user, hazard):
        _refuse(request, hazard, "您无权审批该隐患的延期整改申请")
    extension = hazard.extensions.filter(pk=extension_id).first() if 0 < extension_id < 2**62 else None
    if extension is None:
        raise HttpError(404, "没有该延期申请")
    if payload.decision not in ("approve", "refuse"):
        return _bad(ValidationError("审批结果只能是 approve（同意）或 refuse（不予延期）。"))
    try:
        actions.decide_extension(
            extension=extension,
            approve=payload.decision == "approve",
            note=payload.note,
            deadline=payload.deadline,
            actor=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return Status(200, _extensions(hazard))
