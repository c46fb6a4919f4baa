"""The user's own in-app notifications."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from yigang.notify import actions
from yigang.notify.models import Notification, NotificationKind
from yigang.towns.access import get_for_user

from .contract import ID

router = Router(tags=["notify"])


class NotificationOut(Schema):
    id: int
    town: str | None
    title: str
    body: str
    url: str
    kind: NotificationKind
    created_at: datetime.datetime
    read_at: datetime.datetime | None


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "town": n.town.name if n.town else None,
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "kind": n.kind,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get(
    "/notifications", response=list[NotificationOut], summary="The user's notifications, newest first"
)
def list_notifications(
    request: HttpRequest,
    unread: bool = False,
    kind: NotificationKind | None = None,
    limit: int = Query(100, ge=1, le=500),
) -> list[dict[str, Any]]:
    notes = Notification.objects.for_user(request.user).select_related("town")
    if unread:
        notes = notes.unread()
    if kind is not None:
        notes = notes.filter(kind=kind)
    return [_out(n) for n in notes[: max(1, min(limit, 500))]]


@router.post("/notifications/{notification_id}/read", response=NotificationOut, summary="Mark one as read")
def read(request: HttpRequest, notification_id: int = ID()) -> dict[str, Any]:
    note = get_for_user(Notification.objects.select_related("town"), request.user, pk=notification_id)
    return _out(actions.mark_read(notification=note, actor=request.user))


class ReadAllOut(Schema):
    count: int


@router.post(
    "/notifications/read-all",
    response=ReadAllOut,
    summary="Mark all the user's own unread notifications read, or those of one kind",
)
def read_all(request: HttpRequest, kind: NotificationKind | None = None) -> dict[str, int]:
    count = actions.mark_all_read(user=request.user, actor=request.user, kind=kind.value if kind else None)
    return {"count": count}
