"""The places register (监管对象台账): places by village and sector, one place, the plans' coverage, and an
inspection record naming the places it covered. Every read goes through `for_user` (body staff: their sectors'
places and their unit's plan; village staff: their village's)."""

from __future__ import annotations

import datetime
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Form, Router, Schema, Status
from ninja.errors import HttpError

from yigang import replica
from yigang.duties.access import WRITE_ROLES, CreditRefused
from yigang.duties.actions import RecordData
from yigang.duties.models import Source
from yigang.duties.rules import RecordKind
from yigang.org.models import Post
from yigang.places import actions
from yigang.places.coverage import compute
from yigang.places.models import Place, PlaceKind, PlanItem, RiskLevel
from yigang.towns.access import deny, get_for_user, require_role
from yigang.towns.models import MANAGE_ROLES, Town, has_role

from .contract import ID, ErrorOut

router = Router(tags=["places"])


class AssessmentOut(Schema):
    level: str
    level_label: str
    assessed_on: datetime.date
    basis: str


class LicenceOut(Schema):
    name: str
    number: str


class PlaceOut(Schema):
    id: int
    town: str
    name: str
    kind: str
    kind_label: str
    village: str
    sectors: list[str]
    risk_level: str | None
    risk_label: str | None
    risk_on: datetime.date | None
    opened: datetime.date | None
    closed: datetime.date | None


class PlaceDetail(PlaceOut):
    unit_id: int | None
    address: str
    legal_representative: str
    legal_representative_phone: str
    safety_manager: str
    safety_manager_phone: str
    scale: str
    closed_reason: str
    licences: list[LicenceOut]
    assessments: list[AssessmentOut]
    inspections: list[int]


def _places(request: HttpRequest) -> Any:
    return (
        Place.objects.for_user(request.user)
        .with_risk()
        .select_related("town", "village")
        .prefetch_related("sectors")
    )


def _out(p: Place) -> dict[str, Any]:
    level = getattr(p, "risk_level", None)
    return {
        "id": p.pk,
        "town": p.town.name,
        "name": p.name,
        "kind": p.kind,
        "kind_label": str(p.get_kind_display()),
        "village": p.village.name,
        "sectors": sorted(s.name for s in p.sectors.all()),
        "risk_level": level,
        "risk_label": str(RiskLevel(level).label) if level else None,
        "risk_on": getattr(p, "risk_on", None),
        "opened": p.opened,
        "closed": p.closed,
    }


@router.get("", response=list[PlaceOut], summary="Places under supervision (only those the caller may read)")
def list_places(
    request: HttpRequest,
    town: str | None = None,
    village: str | None = None,
    sector: str | None = None,
    kind: PlaceKind | None = None,
    risk: RiskLevel | None = None,
    closed: bool = False,
) -> list[dict[str, Any]]:
    found = _places(request)
    if town:
        found = found.filter(town__code=town)
    if village:
        found = found.filter(village__name=village)
    if sector:
        found = found.filter(
            pk__in=Place.sectors.through.objects.filter(sector__name=sector).values("place_id")
        )
    if kind:
        found = found.filter(kind=kind)
    if risk:
        found = found.filter(risk_level=risk)  # the annotation of with_risk()
    if not closed:
        found = found.filter(closed__isnull=True)
    return [_out(p) for p in found.order_by("town__name", "village__name", "name")]


@router.get(
    "/coverage", summary="The plans' inspection coverage per body, place and period (yigang coverage)"
)
@replica.api_read
def coverage(request: HttpRequest, town: str, year: int) -> dict[str, Any]:
    """The same JSON as `yigang coverage --json`, narrowed to the plan lines the caller may read."""
    found = get_for_user(Town.objects, request.user, code=town)
    if not 2000 <= year <= 2100:
        raise HttpError(400, "年度须在 2000 到 2100 之间")
    return compute(found, year, plan=PlanItem.objects.for_user(request.user)).as_dict()


class AssessIn(Schema):
    level: RiskLevel
    assessed_on: datetime.date | None = None
    basis: str = ""


@router.post(
    "/{place_id}/assessments",
    response={201: AssessmentOut, 400: ErrorOut, 403: ErrorOut},
    summary="A new risk assessment of the place (the 安委办); the history is kept",
)
def assess(request: HttpRequest, payload: Form[AssessIn], place_id: int = ID()) -> Status:
    p = get_for_user(Place.objects.select_related("town"), request.user, pk=place_id)
    if not has_role(request.user, p.town, MANAGE_ROLES):
        _refuse(request, p.town, "只有安委办工作人员可以登记风险评估")
    try:
        a = actions.assess_risk(
            place=p,
            level=payload.level,
            assessed_on=payload.assessed_on,
            basis=payload.basis,
            actor=request.user,
        )
    except ValidationError as exc:
        return Status(400, {"detail": "；".join(exc.messages), "errors": exc.messages})
    return Status(
        201,
        {
            "level": a.level,
            "level_label": str(a.get_level_display()),
            "assessed_on": a.assessed_on,
            "basis": a.basis,
        },
    )


class InspectionIn(Schema):
    kind: RecordKind = RecordKind.INSPECTION
    occurred_at: datetime.datetime
    title: str
    place: str
    summary: str
    participants: str = ""
    findings: str = ""
    posts: list[int]
    places: list[int]


class InspectionOut(Schema):
    record_id: int
    places: list[int]


@router.post(
    "/inspections",
    response={201: InspectionOut, 400: ErrorOut, 403: ErrorOut},
    summary="An inspection record (履职记录) naming the places it covered; never edited, amended by version",
)
def record_inspection(request: HttpRequest, town: Form[str], payload: Form[InspectionIn]) -> Status:
    found = get_for_user(Town.objects, request.user, code=town)
    try:
        require_role(request, found, WRITE_ROLES)
    except PermissionDenied:
        raise HttpError(403, "您无权在该乡镇填报履职记录") from None
    known = [i for i in payload.posts if 0 < i < 2**63]
    posts = list(Post.objects.filter(town=found, pk__in=known))
    if len(posts) != len(set(payload.posts)):
        raise HttpError(400, "岗位不存在或不属于该乡镇")
    wanted = [i for i in payload.places if 0 < i < 2**63]
    places = list(Place.objects.for_user(request.user).filter(town=found, pk__in=wanted))
    if len(places) != len(set(payload.places)):
        raise HttpError(400, "场所不存在或不在您的范围内")
    data = RecordData(
        kind=payload.kind,
        occurred_at=payload.occurred_at,
        title=payload.title,
        place=payload.place,
        summary=payload.summary,
        participants=payload.participants,
        posts=posts,
        findings=payload.findings,
    )
    try:
        entry = actions.record_inspection(
            town=found, data=data, places=places, source=Source.API, actor=request.user
        )
    except CreditRefused as exc:
        _refuse(request, found, exc.message)
    except ValidationError as exc:
        return Status(400, {"detail": "；".join(exc.messages), "errors": exc.messages})
    return Status(201, {"record_id": entry.pk, "places": [p.pk for p in places]})


@router.get(
    "/{place_id}", response=PlaceDetail, summary="One place: contacts, licences, risk history, inspections"
)
def place_detail(request: HttpRequest, place_id: int = ID()) -> dict[str, Any]:
    p = get_for_user(_places(request), request.user, pk=place_id)
    return {
        **_out(p),
        "unit_id": p.unit_id,
        **{f: getattr(p, f) for f in actions.TEXT_FIELDS},
        "closed_reason": p.closed_reason,
        "licences": [{"name": lic.name, "number": lic.number} for lic in p.licences.all()],
        "assessments": [
            {
                "level": a.level,
                "level_label": str(a.get_level_display()),
                "assessed_on": a.assessed_on,
                "basis": a.basis,
            }
            for a in p.assessments.all()
        ],
        "inspections": sorted(
            p.inspections.filter(record__amended_by__isnull=True).values_list("record_id", flat=True)
        ),
    }


def _refuse(request: HttpRequest, town: Town, message: str) -> NoReturn:
    try:
        deny(request, town, message)
    except PermissionDenied:
        raise HttpError(403, message) from None
