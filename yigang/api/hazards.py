"""Hazards: list, read, report (multipart, with a client key: a retried submission is one hazard), the lifecycle
steps, photos, what routing a report would get, and the year's statistics. The same actions as the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import field_validator

from yigang import replica
from yigang.audit.log import client_ip
from yigang.duties.models import DutyRecord
from yigang.hazards import actions, steps
from yigang.hazards.access import is_enterprise, may_handle, may_report, own_place
from yigang.hazards.answering import Answering
from yigang.hazards.models import OPEN_STATUSES, Channel, Grade, Hazard, Source
from yigang.hazards.models import Status as HazardStatus
from yigang.hazards.routing import route as build_route
from yigang.hazards.stats import compute
from yigang.hazards.steps import STEPS
from yigang.hazards.views import photo as serve_photo
from yigang.org.chain import NotFound, find_place, find_sector
from yigang.org.models import Person, Sector, Unit, UnitKind
from yigang.towns.access import deny, get_for_user
from yigang.towns.models import ENTERPRISE_ROLES, READ_ROLES, Town

from .contract import ID, MAX_ID, ErrorOut, FormSchema, file_response

router = Router(tags=["hazards"])


class EventOut(Schema):
    kind: str
    at: datetime.datetime
    actor: str
    note: str
    details: dict[str, Any]


class PhotoOut(Schema):
    id: int
    stage: str
    name: str
    content_type: str
    size: int
    sha256: str
    url: str


class RectifierOut(Schema):
    """主体责任: at a registered place the enterprise rectifies, named by its legal representative; the owner unit
    (the supervising body) oversees and accepts. As the routing stored it on the day found."""

    unit: str
    place: str
    place_kind: str
    place_kind_label: str
    post: str
    person: str | None
    phone: str
    contact: str = Field(description="安全管理人员")
    contact_phone: str


class HazardOut(Schema):
    id: int
    number: str
    town: str
    sector: str
    village: str | None
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    enterprise: str | None
    site: str
    description: str
    grade: Grade
    source: Source
    duty_record_id: int | None
    found_on: datetime.date
    found_by: str
    deadline: datetime.date
    working_days: int | None
    status: HazardStatus
    owner_unit: str
    rectifier: RectifierOut | None = Field(
        None,
        description="整改责任主体（主体责任）：在登记的监管对象发现的隐患由企业整改；owner_unit 督促、验收",
    )
    flagged: bool
    listed: bool
    overdue: bool
    escalation_level: int
    closed_on: datetime.date | None
    client_key: str


class HazardDetail(HazardOut):
    routing: dict[str, Any]
    events: list[EventOut]
    photos: list[PhotoOut]


class HazardIn(FormSchema):
    sector: str
    description: str
    address: str = Field(..., max_length=200)
    found_on: datetime.date
    found_by: str = Field(..., max_length=100)
    source: Source
    grade: Grade = Grade.GENERAL
    village: str | None = None
    enterprise: str | None = None
    site: str = Field("", max_length=200)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    duty_record_id: int | None = Field(None, ge=1, le=2**53)
    deadline: datetime.date | None = None
    working_days: int | None = Field(None, ge=1, le=365)
    client_key: str = Field("", max_length=100)


class StepIn(FormSchema):
    # The steps the page's form knows (hazards/forms.py), so a new step is in the schema's enum with it.
    step: str = Field(..., json_schema_extra={"enum": list(STEPS)})
    note: str = Field("", max_length=2000)
    owner: str | None = None
    responsible: str = Field("", max_length=100)
    measures: str = ""
    funds: str = Field("", max_length=200)
    plan_deadline: datetime.date | None = None
    emergency_plan: str = ""
    # accept (销号): the caller's login password, or the current TOTP code for an account with a second factor.
    secret: str = Field(
        "", max_length=200, description="验收销号时必填：本人登录密码（已绑定动态验证码的填写验证码）"
    )

    @field_validator("step")
    @classmethod
    def _known_step(cls, value: str) -> str:
        if value not in STEPS:
            raise ValueError(f"须为以下之一：{'、'.join(STEPS)}")
        return value


class RouteOut(Schema):
    sector: str
    place: str
    found_on: datetime.date
    rectifier: RectifierOut | None = None
    owner: dict[str, Any]
    copied: list[dict[str, Any]]
    leader: dict[str, Any] | None
    village: dict[str, Any] | None
    deadline: datetime.date | None
    warnings: list[str]


class StatsOut(Schema):
    town: str
    year: int
    found: int
    closed: int
    closed_on_time: int
    open: int
    overdue: int
    major: int
    extended: int
    closed_in_extension: int
    by_sector: dict[str, dict[str, int]]
    by_village: dict[str, dict[str, int]]


def _qs() -> Any:
    return Hazard.objects.select_related("town", "sector", "village", "enterprise", "owner_unit")


def _rectifier(routing: Any) -> dict[str, Any] | None:
    """The rectifier the routing stored, in the schema's fields (the ids stay on the stored routing)."""
    stored = routing.get("rectifier") if isinstance(routing, dict) else None
    if not stored:
        return None
    return {name: stored.get(name) for name in RectifierOut.model_fields}


def _out(h: Hazard) -> dict[str, Any]:
    return {
        "id": h.pk,
        "number": h.number,
        "town": h.town.name,
        "sector": h.sector.name,
        "village": h.village.name if h.village else None,
        "address": h.address,
        "latitude": h.latitude,
        "longitude": h.longitude,
        "enterprise": h.enterprise.name if h.enterprise else None,
        "site": h.site,
        "description": h.description,
        "grade": h.grade,
        "source": h.source,
        "duty_record_id": h.duty_record_id,
        "found_on": h.found_on,
        "found_by": h.found_by,
        "deadline": h.deadline,
        "working_days": h.working_days,
        "status": h.status,
        "owner_unit": h.owner_unit.name,
        "rectifier": _rectifier(h.routing),
        "flagged": h.flagged,
        "listed": h.listed,
        "overdue": h.is_overdue(),
        "escalation_level": h.escalation_level,
        "closed_on": h.closed_on,
        "client_key": h.client_key,
    }


def _detail(h: Hazard) -> dict[str, Any]:
    return {
        **_out(h),
        "routing": h.routing,
        "events": [
            {"kind": e.kind, "at": e.at, "actor": e.actor_name, "note": e.note, "details": e.details}
            for e in h.events.order_by("at", "id")
        ],
        "photos": [
            {
                "id": p.pk,
                "stage": p.stage,
                "name": p.name,
                "content_type": p.content_type,
                "size": p.size,
                "sha256": p.sha256,
                "url": reverse("api:hazard_photo", args=[p.pk]),
            }
            for p in h.photos.all()
        ],
    }


def _bad(exc: ValidationError) -> Status:
    return Status(400, {"detail": "；".join(exc.messages), "errors": exc.messages})


def _town(request: HttpRequest, code: str) -> Town:
    return get_for_user(Town.objects, request.user, code=code)


def _report_town(request: HttpRequest, code: str) -> Town:
    """The town of a report: also the town of an enterprise's own account (企业自查, which reads no town data)."""
    town = Town.objects.for_user(request.user, READ_ROLES | ENTERPRISE_ROLES).filter(code=code).first()
    if town is None:
        raise Http404
    return town


def _files(files: list[UploadedFile] | None) -> list[actions.Upload]:
    return [actions.Upload(file=f, name=f.name or "") for f in files or []]


def _unit(town: Town, name: str | None, kind: str, what: str) -> Unit | None:
    if not name:
        return None
    unit = Unit.objects.filter(town=town, kind=kind, name=name).order_by("-active", "-id").first()
    if unit is None:
        raise ValidationError(f"{town.name}没有名为“{name}”的{what}。")
    return unit


def _data(payload: HazardIn, town: Town) -> actions.HazardData:
    sector = Sector.objects.filter(town=town, name=" ".join(payload.sector.split())).first()
    if sector is None:
        raise ValidationError(f"{town.name}没有名为“{payload.sector}”的行业领域。")
    record = None
    if payload.duty_record_id is not None:
        record = DutyRecord.objects.filter(town=town, pk=payload.duty_record_id).first()
        if record is None:
            raise ValidationError("所选履职记录不存在或不属于该乡镇。")
    return actions.HazardData(
        sector=sector,
        description=payload.description,
        address=payload.address,
        found_on=payload.found_on,
        found_by=payload.found_by,
        source=payload.source,
        grade=payload.grade,
        village=_unit(town, payload.village, UnitKind.VILLAGE, "嘎查村（社区）"),
        enterprise=_unit(town, payload.enterprise, UnitKind.ENTERPRISE, "生产经营单位"),
        site=payload.site,
        latitude=payload.latitude,
        longitude=payload.longitude,
        duty_record=record,
        deadline=payload.deadline,
        working_days=payload.working_days,
    )


@router.get(
    "/", response={200: list[HazardOut], 404: ErrorOut}, summary="Hazards the user may see, newest first"
)
def list_hazards(
    request: HttpRequest,
    town: str | None = None,
    sector: str | None = None,
    village: str | None = None,
    grade: Grade | None = None,
    status: HazardStatus | None = None,
    overdue: bool = False,
    open: bool = False,
    year: int | None = Query(None, ge=2000, le=2100),
    person: int | None = Query(
        None, ge=1, le=MAX_ID, description="只列该人员负责的隐患（与首页、人员页一致）"
    ),
    escalated: bool = False,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10**9),
) -> list[dict[str, Any]]:
    hazards = _qs().for_user(request.user)
    if person is not None:
        who = get_for_user(Person.objects.all(), request.user, pk=person)
        answering = Answering.of(who, timezone.localdate())
        hazards = hazards.filter(answering.q(timezone.localdate()))
        if escalated:
            hazards = hazards.filter(answering.escalated_q())
    elif escalated:
        hazards = hazards.filter(escalation_level__gt=0)
    if open or escalated:
        hazards = hazards.filter(status__in=OPEN_STATUSES)
    if town:
        hazards = hazards.filter(town__code=town)
    if sector:
        hazards = hazards.filter(sector__name=sector)
    if village:
        hazards = hazards.filter(village__name=village)
    if grade:
        hazards = hazards.filter(grade=grade)
    if status:
        hazards = hazards.filter(status=status)
    if overdue:
        hazards = hazards.filter(status__in=OPEN_STATUSES, deadline__lt=timezone.localdate())
    if year:
        hazards = hazards.filter(found_on__year=year)
    return [_out(h) for h in hazards.order_by("-found_on", "-pk")[offset : offset + limit]]


@router.get(
    "/route", response={200: RouteOut, 400: ErrorOut}, summary="Who a report would go to (saves nothing)"
)
def preview_route(
    request: HttpRequest,
    town: str,
    sector: str,
    place: str | None = None,
    found_on: datetime.date | None = None,
    working_days: int | None = Query(None, ge=1, le=365),
) -> Status:
    """The same JSON as `yigang hazard route --json`."""
    where = _town(request, town)
    if found_on is not None and not 2000 <= found_on.year <= 2100:
        return Status(
            400,
            {"detail": "发现日期须在 2000 到 2100 年之间", "errors": ["发现日期须在 2000 到 2100 年之间"]},
        )
    try:
        result = build_route(
            sector=find_sector(where, sector),
            place=find_place(where, place),
            found_on=found_on or timezone.localdate(),
            working_days=working_days,
        )
    except NotFound as exc:
        return Status(400, {"detail": exc.message, "errors": [exc.message]})
    except ValueError as exc:
        return Status(400, {"detail": str(exc), "errors": [str(exc)]})
    return Status(200, result.as_dict())


@router.get("/stats", response={200: StatsOut, 400: ErrorOut}, summary="The year's hazard statistics")
@replica.api_read
def stats(request: HttpRequest, town: str, year: int = Query(..., ge=2000, le=2100)) -> Status:
    """The same JSON as `yigang hazard stats --json`, counted over the hazards the user may see."""
    where = _town(request, town)
    return Status(200, compute(Hazard.objects.for_user(request.user), town=where, year=year).as_json())


@router.get(
    "/photos/{photo_id}",
    url_name="hazard_photo",
    summary="A hazard photo's bytes",
    openapi_extra=file_response(),
)
def photo(request: HttpRequest, photo_id: int = ID()) -> HttpResponse:
    return serve_photo(request, photo_id)


@router.get("/{hazard_id}", response=HazardDetail, summary="A hazard with its timeline and photos")
def get_hazard(request: HttpRequest, hazard_id: int = ID()) -> dict[str, Any]:
    return _detail(get_for_user(_qs(), request.user, pk=hazard_id))


@router.post(
    "/",
    response={200: HazardDetail, 201: HazardDetail, 400: ErrorOut, 403: ErrorOut},
    summary="Report a hazard (multipart: fields and photos). The same client_key again returns the same hazard",
)
def report_hazard(
    request: HttpRequest,
    town: Form[str],
    payload: Form[HazardIn],
    photos: File[list[UploadedFile] | None] = None,
) -> Status:
    where = _report_town(request, town)
    place = own_place(request.user, where) if is_enterprise(request.user, where) else None
    if not may_report(request.user, where) or (place is None and is_enterprise(request.user, where)):
        try:
            deny(request, where)
        except PermissionDenied:
            raise HttpError(403, "您无权在该乡镇上报隐患") from None
    try:
        data = _data(payload, where)
        hazard, created = actions.report_hazard(
            town=where,
            data=data if place is None else actions.at_own_place(data, place),
            photos=_files(photos),
            client_key=payload.client_key or None,
            channel=Channel.API,
            actor=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return Status(201 if created else 200, _detail(_qs().get(pk=hazard.pk)))


@router.post(
    "/{hazard_id}/steps",
    response={200: HazardDetail, 400: ErrorOut, 403: ErrorOut},
    summary="Take a step: decline, decide, rectify (with 五落实 for a major hazard), submit, accept (with the "
    "caller's secret), send_back",
)
def take_step(
    request: HttpRequest,
    payload: Form[StepIn],
    hazard_id: int = ID(),
    photos: File[list[UploadedFile] | None] = None,
) -> Status:
    hazard = get_for_user(_qs(), request.user, pk=hazard_id)
    step = payload.step
    # The extension steps have their own routes below; here they stay refused as unknown (400), after the
    # handler's check they always had (so a reader who may not handle the hazard still gets 403).
    allowed = (
        steps.may_take(request.user, hazard, step)
        if steps.TABLE[step].api
        else may_handle(request.user, hazard)
    )
    if not allowed:
        try:
            deny(request, hazard.town)  # audited as auth.permission_denied, like the pages
        except PermissionDenied:
            raise HttpError(403, "您无权办理该隐患的这一步") from None
    try:
        if not steps.TABLE[step].api:
            raise ValidationError("未知的办理步骤。")
        owner = None
        if step == "decide" and payload.owner:  # the API names the new owner; the page picks it from a list
            owner = Unit.objects.filter(town=hazard.town, name=payload.owner, active=True).first()
            if owner is None:
                raise ValidationError(f"没有名为“{payload.owner}”的现存单位。")
        data = {**payload.model_dump(), "owner": owner, "ip": client_ip(request)}
        steps.take_step(hazard, step, request.user, data, _files(photos))
    except ValidationError as exc:
        return _bad(exc)
    return Status(200, _detail(_qs().get(pk=hazard.pk)))
