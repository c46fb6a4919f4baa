"""Sign-off: the tracking JSON of `yigang signoff status`, the caller's own waiting tasks, confirming one."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Form, Query, Router, Schema, Status
from ninja.errors import HttpError

from yigang.signoff import actions
from yigang.signoff.models import Task
from yigang.signoff.tracking import status as tracking_status
from yigang.towns.access import get_for_user
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
