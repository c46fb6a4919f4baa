"""Accidents: the grade rule, reports (record and change only: every change is a new version), arrivals."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Form, Query, Router, Schema, Status
from ninja.errors import HttpError

from yigang.accidents import actions, clocks, grading
from yigang.accidents.models import (
    Accident,
    AccidentKind,
    Closure,
    InvestigationReport,
    OnSiteTask,
    Report,
    Source,
)
from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.access import deny, get_for_user, require_role
from yigang.towns.models import MANAGE_ROLES, Town, has_role
from yigang.towns.naming import display_name, display_names

from .contract import ID, MAX_ID, ErrorOut, FormSchema

router = Router(tags=["accidents"])


class GradeOut(Schema):
    grade: str
    reasons: list[str]


class VersionOut(Schema):
    version: int
    made_at: datetime.datetime
    created_at: datetime.datetime
    created_by: str | None = Field(None, description="the login of the account that made this version")
    created_by_name: str = Field("", description="who made it, as the pages name them: the person and posts")
    reason: str
    changed: list[str]
    unit: str
    occurred_at: datetime.datetime
    learned_at: datetime.datetime
    reported_at: datetime.datetime | None
    sector: str
    village: str | None
    address: str
    kind: AccidentKind
    course: str
    deaths: int
    serious_injuries: int
    missing: int
    direct_loss: str
    measures: str
    reporter: str
    grade: str
    grade_reasons: list[str]
    late_by_minutes: int | None
    supplement: bool
    past_window: bool


class OnSiteTaskOut(Schema):
    id: int
    role: str
    post: str
    person: str | None
    arrived_at: datetime.datetime | None
    state: str = Field(
        ..., description="arrived, calling (go on site), missed (the week is past), closed (结案)"
    )
    verified_at: datetime.datetime | None = None


class ClockOut(Schema):
    label: str
    deadline: datetime.datetime
    done_at: datetime.datetime | None
    state: str
    text: str


class AccidentOut(Schema):
    id: int
    town: str
    current: VersionOut


class AccidentDetail(AccidentOut):
    versions: list[VersionOut]
    tasks: list[OnSiteTaskOut]
    clocks: list[ClockOut]
    chain: dict[str, Any]
    findings: list[dict[str, str]]
    investigation_submitted_on: datetime.date | None
    closed_on: datetime.date | None


class ReportIn(FormSchema):
    occurred_at: datetime.datetime
    learned_at: datetime.datetime
    reported_at: datetime.datetime | None = None
    sector: str
    kind: AccidentKind
    address: str = Field(..., max_length=200)
    course: str
    reporter: str = Field(..., max_length=100)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    unit_name: str = Field("", max_length=200)
    village: str | None = None
    deaths: int = Field(0, ge=0, le=100_000)
    serious_injuries: int = Field(0, ge=0, le=100_000)
    missing: int = Field(0, ge=0, le=100_000)
    direct_loss: str = "0"
    measures: str = ""


class ChangeIn(ReportIn):
    reason: str
    made_at: datetime.datetime | None = None


class ArrivalIn(FormSchema):
    arrived_at: datetime.datetime


class InvestigationIn(FormSchema):
    submitted_on: datetime.date
    note: str = Field("", max_length=1000)


class CloseIn(FormSchema):
    closed_on: datetime.date
    note: str = Field("", max_length=1000)
    secret: str = Field(..., max_length=200, description="the caller's password, or a TOTP code")


class ClosedOut(Schema):
    accident_id: int
    closed_on: datetime.date


def _version(r: Report, name: str = "") -> dict[str, Any]:
    return {
        "version": r.version,
        "made_at": r.made_at,
        "created_at": r.created_at,
        "created_by": r.created_by.get_username() if r.created_by else None,
        "created_by_name": name,
        "reason": r.reason,
        "changed": r.changed,
        "unit": r.unit_label,
        "occurred_at": r.occurred_at,
        "learned_at": r.learned_at,
        "reported_at": r.reported_at,
        "sector": r.sector.name,
        "village": r.village.name if r.village else None,
        "address": r.address,
        "kind": r.kind,
        "course": r.course,
        "deaths": r.deaths,
        "serious_injuries": r.serious_injuries,
        "missing": r.missing,
        "direct_loss": str(r.direct_loss),
        "measures": r.measures,
        "reporter": r.reporter,
        "grade": r.grade,
        "grade_reasons": r.grade_reasons,
        "late_by_minutes": int(r.late_by.total_seconds() // 60) if r.late_by else None,
        "supplement": r.casualties_changed,
        "past_window": r.past_window,
    }


def _versions() -> Any:
    return Report.objects.select_related("sector", "village", "unit", "created_by")


def _summary(a: Accident, name: str | None = None) -> dict[str, Any]:
    assert a.latest is not None
    if name is None:
        name = display_name(a.latest.created_by, a.latest.created_at)
    return {"id": a.pk, "town": a.town.name, "current": _version(a.latest, name)}


def _task(t: OnSiteTask) -> dict[str, Any]:
    return {
        "id": t.pk,
        "role": t.role,
        "post": t.post.title,
        "person": t.person.name if t.person else None,
        "arrived_at": t.arrived_at,
        "state": t.state(),
        "verified_at": t.verified_at,
    }


def _named_versions(reports: list[Report]) -> list[dict[str, Any]]:
    names = display_names((r.created_by, r.created_at) for r in reports)
    return [_version(r, n) for r, n in zip(reports, names, strict=True)]


def _detail(a: Accident) -> dict[str, Any]:
    tasks = a.tasks.select_related("post", "person")
    investigation = InvestigationReport.objects.filter(accident=a).first()
    closure = Closure.objects.filter(accident=a).first()
    return {
        **_summary(a),
        "versions": _named_versions(list(_versions().filter(accident=a).order_by("version"))),
        "tasks": [_task(t) for t in tasks],
        "clocks": [
            {"label": c.label, "deadline": c.deadline, "done_at": c.done_at, "state": c.state, "text": c.text}
            for c in clocks.for_accident(a)
        ],
        "chain": a.chain,
        "findings": [
            {"kind": str(f.get_kind_display()), "reason": f.reason, "at": f.created_at.isoformat()}
            for f in a.findings.all()
        ],
        "investigation_submitted_on": investigation.submitted_on if investigation else None,
        "closed_on": closure.closed_on if closure else None,
    }


def _accidents() -> Any:
    return Accident.objects.select_related(
        "town", "latest__sector", "latest__village", "latest__unit", "latest__created_by"
    )


def _bad(exc: ValidationError) -> Status:
    return Status(400, {"detail": "；".join(exc.messages), "errors": exc.messages})


def _require_officer(request: HttpRequest, town: Town) -> None:
    try:
        require_role(request, town)
    except PermissionDenied:
        raise HttpError(403, "只有安委办工作人员可以登记或变更事故报告") from None


def _data(payload: ReportIn, town: Town) -> actions.ReportData:
    sector = Sector.objects.filter(town=town, name=payload.sector).first()
    if sector is None:
        raise ValidationError(f"本镇没有名为“{payload.sector}”的行业领域。")
    village = None
    if payload.village:
        village = Unit.objects.filter(town=town, kind=UnitKind.VILLAGE, name=payload.village).first()
        if village is None:
            raise ValidationError(f"本镇没有名为“{payload.village}”的嘎查村（社区）。")
    unit = None
    if payload.unit_id is not None:
        unit = Unit.objects.filter(town=town, pk=payload.unit_id, kind=UnitKind.ENTERPRISE).first()
        if unit is None:
            raise ValidationError("事故单位不是本镇登记的生产经营单位。")
    return actions.ReportData(
        occurred_at=payload.occurred_at,
        learned_at=payload.learned_at,
        reported_at=payload.reported_at,
        sector=sector,
        kind=payload.kind,
        address=payload.address,
        course=payload.course,
        reporter=payload.reporter,
        unit=unit,
        unit_name=payload.unit_name,
        village=village,
        deaths=payload.deaths,
        serious_injuries=payload.serious_injuries,
        missing=payload.missing,
        direct_loss=payload.direct_loss,  # parsed (元, thousands separators) by the action
        measures=payload.measures,
    )


@router.get("/grade", response={200: GradeOut, 400: ErrorOut}, summary="The grade by 493号令 Art. 3")
def grade(
    request: HttpRequest,
    deaths: int = Query(0, ge=0, le=100_000),
    serious_injuries: int = Query(0, ge=0, le=100_000),
    direct_loss: str = Query("0", description="元; thousands separators accepted, 万 refused"),
) -> Status:
    """The same JSON as `yigang accident grade --json`."""
    try:
        d = grading.parse_count(deaths, "死亡人数")
        s = grading.parse_count(serious_injuries, "重伤人数")
        loss = grading.parse_yuan(direct_loss)
    except ValueError as exc:
        return Status(400, {"detail": str(exc), "errors": [str(exc)]})
    return Status(200, grading.grade(deaths=d, serious_injuries=s, direct_loss=loss).as_dict())


@router.get("", response=list[AccidentOut], summary="The accidents the user may see, newest first")
def list_accidents(
    request: HttpRequest,
    town: str | None = None,
    year: int | None = Query(None, ge=2000, le=2100),
    grade: str | None = None,
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10**9),
) -> list[dict[str, Any]]:
    accidents = _accidents().for_user(request.user)
    if town:
        accidents = accidents.filter(town__code=town)
    if year:
        accidents = accidents.filter(latest__occurred_on__year=year)
    if grade:
        accidents = accidents.filter(latest__grade=grade)
    page = list(accidents.order_by("-latest__occurred_at", "-pk")[offset : offset + limit])
    names = display_names(
        (a.latest.created_by if a.latest else None, a.latest.created_at if a.latest else None) for a in page
    )
    return [_summary(a, n) for a, n in zip(page, names, strict=True)]


@router.get(
    "/{accident_id}", response=AccidentDetail, summary="An accident with every version, tasks and clocks"
)
def get_accident(request: HttpRequest, accident_id: int = ID()) -> dict[str, Any]:
    return _detail(get_for_user(_accidents(), request.user, pk=accident_id))


@router.post(
    "",
    response={201: AccidentDetail, 400: ErrorOut, 403: ErrorOut},
    summary="Record an accident's first report (the 安委办)",
)
def report_accident(request: HttpRequest, town: Form[str], payload: Form[ReportIn]) -> Status:
    place = get_for_user(Town.objects, request.user, code=town)
    _require_officer(request, place)
    try:
        accident = actions.report_accident(
            town=place, data=_data(payload, place), source=Source.API, actor=request.user
        )
    except ValidationError as exc:
        return _bad(exc)
    return Status(201, _detail(_accidents().get(pk=accident.pk)))


@router.post(
    "/{accident_id}/versions",
    response={201: AccidentDetail, 400: ErrorOut, 403: ErrorOut},
    summary="Change the report (a correction or a 补报): a new version with a reason",
)
def change_report(request: HttpRequest, payload: Form[ChangeIn], accident_id: int = ID()) -> Status:
    accident = get_for_user(_accidents(), request.user, pk=accident_id)
    _require_officer(request, accident.town)
    try:
        actions.change_report(
            accident=accident,
            data=_data(payload, accident.town),
            reason=payload.reason,
            made_at=payload.made_at,
            source=Source.API,
            actor=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return Status(201, _detail(_accidents().get(pk=accident.pk)))


@router.post(
    "/tasks/{task_id}/arrival",
    response={200: OnSiteTaskOut, 400: ErrorOut, 403: ErrorOut},
    summary="Confirm arrival at the scene (the task's holder or the 安委办)",
)
def confirm_arrival(request: HttpRequest, payload: Form[ArrivalIn], task_id: int = ID()) -> Status:
    task = get_for_user(_tasks(), request.user, pk=task_id)
    town = task.accident.town
    holder = task.person is not None and task.person.user_id == request.user.pk
    if not (holder or has_role(request.user, town, MANAGE_ROLES)):
        try:
            deny(request, town)
        except PermissionDenied:
            raise HttpError(403, "只有到场任务的责任人或安委办可以确认到场") from None
    try:
        done = actions.confirm_arrival(task=task, arrived_at=payload.arrived_at, actor=request.user)
    except ValidationError as exc:
        return _bad(exc)
    return Status(200, _task(_tasks().get(pk=done.pk)))


def _tasks() -> Any:
    return OnSiteTask.objects.select_related("accident__town", "accident__latest", "person", "post")


@router.post(
    "/tasks/{task_id}/verify",
    response={200: OnSiteTaskOut, 400: ErrorOut, 403: ErrorOut},
    summary="Check (核实) a confirmed arrival (the 安委办; not the one who confirmed it, nor the person)",
)
def verify_arrival(request: HttpRequest, task_id: int = ID()) -> Status:
    task = get_for_user(_tasks(), request.user, pk=task_id)
    try:
        require_role(request, task.accident.town)
    except PermissionDenied:
        raise HttpError(403, "只有安委办工作人员可以核实到场") from None
    try:
        actions.verify_arrival(task=task, actor=request.user)
    except ValidationError as exc:
        return _bad(exc)
    return Status(200, _task(_tasks().get(pk=task.pk)))


@router.post(
    "/{accident_id}/investigation",
    response={201: AccidentDetail, 400: ErrorOut, 403: ErrorOut},
    summary="Register the investigation report (the 安委办): the investigation clock stops",
)
def submit_investigation(
    request: HttpRequest, payload: Form[InvestigationIn], accident_id: int = ID()
) -> Status:
    accident = get_for_user(_accidents(), request.user, pk=accident_id)
    _require_officer(request, accident.town)
    try:
        actions.submit_investigation(
            accident=accident, submitted_on=payload.submitted_on, note=payload.note, actor=request.user
        )
    except ValidationError as exc:
        return _bad(exc)
    return Status(201, _detail(_accidents().get(pk=accident.pk)))


@router.post(
    "/{accident_id}/close",
    response={201: ClosedOut, 400: ErrorOut, 403: ErrorOut},
    summary="Close the investigation (结案): another officer than the registrar, with the password or TOTP",
)
def close_investigation(request: HttpRequest, payload: Form[CloseIn], accident_id: int = ID()) -> Status:
    accident = get_for_user(_accidents(), request.user, pk=accident_id)
    _require_officer(request, accident.town)
    try:
        closure = actions.close_investigation(
            accident=accident,
            closed_on=payload.closed_on,
            note=payload.note,
            secret=payload.secret,
            actor=request.user,
            ip=request.META.get("REMOTE_ADDR"),
        )
    except ValidationError as exc:
        return _bad(exc)
    return Status(201, {"accident_id": accident.pk, "closed_on": closure.closed_on})
