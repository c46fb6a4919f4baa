"""责令限期整改通知书 of a place: the list and one order for whoever reads the place, and issuing one (the 安委办, or
staff of a body that supervises the place, for their own body). The .docx is the page's download."""

from __future__ import annotations

import datetime
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Form, Schema, Status
from ninja.errors import HttpError

from yigang.hazards.models import Hazard
from yigang.org.models import Unit
from yigang.places import actions
from yigang.places.models import Place, RectificationOrder
from yigang.places.order_access import bodies_for
from yigang.towns.access import deny, get_for_user

from .contract import ID, MAX_ID, ErrorOut
from .places import router


class OrderOut(Schema):
    id: int
    number: str
    place_id: int
    hazard_id: int | None
    unit_id: int
    organ: str
    addressee: str
    legal_representative: str
    issued_on: datetime.date
    deadline: datetime.date
    found_on: datetime.date
    found_at: str
    finding: str
    items: list[str]
    legal_basis: str
    status: str
    status_label: str
    received_by: str
    received_on: datetime.date | None
    withdrawn_at: datetime.datetime | None
    withdrawn_reason: str
    replaces: str | None


class OrderIn(Schema):
    unit_id: int
    deadline: datetime.date
    finding: str
    items: list[str]
    legal_basis: str
    issued_on: datetime.date | None = None
    found_on: datetime.date | None = None
    found_at: str = ""
    word: str = ""
    hazard_id: int | None = None


def _out(o: RectificationOrder) -> dict[str, Any]:
    status = o.status()
    return {
        **{
            f: getattr(o, f)
            for f in (
                "number",
                "place_id",
                "hazard_id",
                "unit_id",
                "organ",
                "addressee",
                "legal_representative",
                "issued_on",
                "deadline",
                "found_on",
                "found_at",
                "finding",
                "items",
                "legal_basis",
                "received_by",
                "received_on",
                "withdrawn_at",
                "withdrawn_reason",
            )
        },
        "id": o.pk,
        "status": status.value,
        "status_label": str(status.label),
        "replaces": o.replaces.number if o.replaces is not None else None,
    }


def _orders(request: HttpRequest) -> Any:
    return RectificationOrder.objects.for_user(request.user).select_related("replaces")


@router.get(
    "/{place_id}/orders",
    response=list[OrderOut],
    summary="The 责令限期整改通知书 issued to a place (whoever reads the place)",
)
def list_orders(request: HttpRequest, place_id: int = ID()) -> list[dict[str, Any]]:
    place = get_for_user(Place.objects, request.user, pk=place_id)
    return [_out(o) for o in _orders(request).filter(place=place)]


@router.get("/orders/{order_id}", response=OrderOut, summary="One 责令限期整改通知书")
def order_detail(request: HttpRequest, order_id: int = ID()) -> dict[str, Any]:
    return _out(get_for_user(_orders(request), request.user, pk=order_id))


@router.post(
    "/{place_id}/orders",
    response={201: OrderOut, 400: ErrorOut, 403: ErrorOut},
    summary="Issue a 责令限期整改通知书 (the 安委办, or a supervising body's staff for their body); never edited",
)
def issue_order(request: HttpRequest, payload: Form[OrderIn], place_id: int = ID()) -> Status:
    place = get_for_user(Place.objects.select_related("town"), request.user, pk=place_id)
    day = payload.issued_on or timezone.localdate()
    allowed = {u.pk for u in bodies_for(request.user, place, day)}
    unit = Unit.objects.filter(town=place.town, pk=min(payload.unit_id, MAX_ID)).first()
    if not allowed:
        _refuse(request, place, "只有安委办或监管该场所的单位可以下达责令限期整改通知书")
    # A body that may not issue to the place at all is the action's refusal (400, naming who supervises it);
    # a body that may, but is not the caller's, is a 403.
    if unit is not None and unit.pk not in allowed and unit in actions.issuing_bodies(place, day):
        _refuse(request, place, f"您不能以“{unit}”的名义下达通知书")
    hazard = None
    if payload.hazard_id is not None:
        hazard = Hazard.objects.for_user(request.user).filter(pk=min(payload.hazard_id, MAX_ID)).first()
        if hazard is None:
            raise HttpError(400, "隐患不存在或不在您的范围内")
    data = actions.OrderData(
        unit=unit,
        deadline=payload.deadline,
        finding=payload.finding,
        items=payload.items,
        legal_basis=payload.legal_basis,
        issued_on=payload.issued_on,
        found_on=payload.found_on,
        found_at=payload.found_at,
        word=payload.word,
        hazard=hazard,
    )
    try:
        order = actions.issue_order(place=place, data=data, actor=request.user)
    except ValidationError as exc:
        return Status(400, {"detail": "；".join(exc.messages), "errors": exc.messages})
    return Status(201, _out(order))


def _refuse(request: HttpRequest, place: Place, message: str) -> NoReturn:
    try:
        deny(request, place.town, message)
    except PermissionDenied:
        raise HttpError(403, message) from None
