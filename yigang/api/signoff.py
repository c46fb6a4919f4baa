"""Sign-off: the tracking JSON of `yigang signoff status`, the caller's own waiting tasks, confirming one."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Form, Query, Router, Schema, Status
from ninja.errors import HttpError

from yigang import replica
from yigang.signoff import actions
from yigang.signoff.models import Document, Task
from yigang.signoff.tracking import status as tracking_status
from yigang.towns.access import get_for_user, require_role
from yigang.towns.models import Town

from .contract import ID, ErrorOut, FormSchema

router = Router(tags=["signoff"])


class MissingOut(Schema):
    person: str
    post: str
    unit: str


class DocumentOut(Schema):
    kind: str
    title: str
    version: int | None
    required: int
    confirmed: int
    missing: list[MissingOut]


class StatusOut(Schema):
    town: str
    documents: list[DocumentOut]


class SignoffTaskOut(Schema):
    id: int
    kind: str
    title: str
    post: str
    unit: str
    created_at: datetime.datetime
    sha256: str
    text: str


class ConfirmIn(FormSchema):
    secret: str = Field(..., max_length=200)
    sha256: str = Field(..., max_length=64)


class ConfirmationOut(Schema):
    id: int
    task_id: int
    person: str
    at: datetime.datetime
    method: str
    sha256: str


@router.get("/status", response=StatusOut, summary="Required / confirmed / missing per document of a year")
@replica.api_read
def status(
    request: HttpRequest, town: str, year: int | None = Query(None, ge=2000, le=2100)
) -> dict[str, Any]:
    """The same JSON as `yigang signoff status --json`."""
    place = get_for_user(Town.objects, request.user, code=town)
    return tracking_status(place, year or timezone.localdate().year)


@router.get(
    "/tasks", response=list[SignoffTaskOut], summary="The caller's own tasks waiting for confirmation"
)
def my_tasks(request: HttpRequest) -> list[dict[str, Any]]:
    tasks = (
        Task.objects.for_user(request.user)
        .filter(person__user_id=request.user.pk or 0, ended_at__isnull=True, confirmation__isnull=True)
        .select_related("document", "post__unit")
        .order_by("-created_at", "-id")
    )
    return [
        {
            "id": t.pk,
            "kind": t.document.kind,
            "title": t.title,
            "post": t.post.title,
            "unit": t.post.unit.name,
            "created_at": t.created_at,
            "sha256": t.text_sha256,
            "text": t.text,
        }
        for t in tasks
    ]


@router.post(
    "/tasks/{task_id}/confirm",
    response={201: ConfirmationOut, 400: ErrorOut},
    summary="Confirm a task (the holder only, re-entering the password or a TOTP code)",
)
def confirm(request: HttpRequest, payload: Form[ConfirmIn], task_id: int = ID()) -> Status[dict[str, Any]]:
    task = get_for_user(
        Task.objects.select_related("document__regulation", "person"), request.user, pk=task_id
    )
    try:
        confirmation = actions.confirm(
            task=task,
            actor=request.user,
            secret=payload.secret,
            sha256=payload.sha256,
            ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except ValidationError as exc:
        raise HttpError(400, exc.messages[0]) from None
    return Status(
        201,
        {
            "id": confirmation.pk,
            "task_id": task.pk,
            "person": task.person.name,
            "at": confirmation.at,
            "method": confirmation.method,
            "sha256": confirmation.sha256,
        },
    )


def _officer_town(request: HttpRequest, code: str) -> Town:
    place = get_for_user(Town.objects, request.user, code=code)
    try:
        require_role(request, place)
    except PermissionDenied:
        raise HttpError(403, "只有安委办工作人员可以下发签收任务或提醒未签收人员") from None
    return place


class PreviewOut(Schema):
    opens: int = Field(..., description="tasks a distribution would open")
    ends: int = Field(..., description="open tasks it would end (holder or text changed, version superseded)")
    people: list[str] = Field(..., description="who would get a new task")


class DistributeIn(FormSchema):
    town: str = Field(..., max_length=50)
    secret: str = Field(..., max_length=200, description="the caller's password, or a TOTP code")


class DistributedOut(Schema):
    opened: int
    ended: int
    warnings: list[str]


@router.get(
    "/distribute",
    response={200: PreviewOut, 403: ErrorOut},
    summary="What distributing would do now (the 安委办): who gets a task, how many end",
)
def distribute_preview(request: HttpRequest, town: str) -> Status:
    plan = actions.preview(town=_officer_town(request, town))
    return Status(200, {"opens": plan.opens, "ends": plan.ends, "people": plan.people})


@router.post(
    "/distribute",
    response={200: DistributedOut, 400: ErrorOut, 403: ErrorOut},
    summary="Distribute for sign-off (the 安委办, re-entering the password or a TOTP code)",
)
def distribute(request: HttpRequest, payload: Form[DistributeIn]) -> Status:
    place = _officer_town(request, payload.town)
    try:
        result = actions.distribute(
            town=place, actor=request.user, secret=payload.secret, ip=request.META.get("REMOTE_ADDR")
        )
    except ValidationError as exc:
        raise HttpError(400, exc.messages[0]) from None
    from yigang.signoff import reminders

    reminders.remind_town(place, timezone.localdate(), request.user)
    return Status(200, {"opened": len(result.created), "ended": result.ended, "warnings": result.warnings})


class SignoffNudgeIn(FormSchema):
    town: str = Field(..., max_length=50)
    document_id: int | None = Field(None, ge=1, le=2**63 - 1, description="one document; empty: every one")


class NudgedOut(Schema):
    at: datetime.datetime
    reminded: int = Field(..., description="people reminded (each once, in the app and by e-mail)")
    unreachable: list[str] = Field(..., description="people still missing who have no active account")
    documents: list[str]
    waiting: list[str] = Field(..., description="documents skipped: reminded in the last 24 hours")


@router.post(
    "/nudge",
    response={200: NudgedOut, 400: ErrorOut, 403: ErrorOut},
    summary="Remind everyone still owing a confirmation (the 安委办; once per document per 24 hours)",
)
def nudge(request: HttpRequest, payload: Form[SignoffNudgeIn]) -> Status:
    place = _officer_town(request, payload.town)
    document = None
    if payload.document_id is not None:
        document = get_for_user(Document.objects.filter(town=place), request.user, pk=payload.document_id)
    try:
        result = actions.nudge(town=place, actor=request.user, document=document)
    except ValidationError as exc:
        raise HttpError(400, exc.messages[0]) from None
    return Status(
        200,
        {
            "at": result.nudged[0].at,
            "reminded": result.reminded,
            "unreachable": sorted({name for n in result.nudged for name in n.unreachable}),
            "documents": [n.document.title for n in result.nudged],
            "waiting": [d.title for d, _ in result.waiting],
        },
    )
