"""Duty records (create and amend only: records are evidence), compliance, a person's year, attachments."""

from __future__ import annotations

import datetime
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from yigang import replica
from yigang.duties import actions
from yigang.duties.access import WRITE_ROLES, CreditRefused, may_amend, reading_part
from yigang.duties.cache import town_year as cached_town_year
from yigang.duties.compliance import compute
from yigang.duties.models import Credit, DutyRecord, Source
from yigang.duties.rules import RecordKind
from yigang.duties.views import serve_attachment
from yigang.inputs import parse_id
from yigang.org.models import Person, Post
from yigang.regulations.choices import Period
from yigang.towns.access import deny, get_for_user, require_role
from yigang.towns.models import Town

from .contract import ID, YEAR, ErrorOut, FormSchema, file_response

router = Router(tags=["duties"])


class ComplianceRow(Schema):
    post: str
    person: str | None
    article: int | None
    item: int | None
    kind: str
    period: Period  # week, two_weeks, ten_days, half_month, month, two_months, quarter, half_year, year
    period_start: datetime.date
    required: int
    done: int
    status: str
    level: str  # "holder", "vacancy", or "post" (the seat as a whole)
    late: int  # how many of `done` are 补录
    source: str  # "regulation", or "town" for the town's own duty (镇定要求)


class ComplianceOut(Schema):
    town: str
    year: int
    rows: list[ComplianceRow]
    post_rows: list[ComplianceRow]


class CreditOut(Schema):
    post_id: int
    post: str
    person: str | None
    led: bool  # chaired or organised it (主持/组织)


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    url: str


class RecordOut(Schema):
    id: int
    town: str
    kind: RecordKind
    occurred_at: datetime.datetime
    occurred_on: datetime.date
    title: str
    place: str
    participants: str
    summary: str
    findings: str
    entered_at: datetime.datetime  # when it was first entered (server time)
    is_late: bool  # 补录: entered more than the town's days after occurred_on
    version: int
    root_id: int
    amends_id: int | None
    reason: str
    withdrawn: bool
    current: bool
    credits: list[CreditOut]
    attachments: list[AttachmentOut]


class RecordDetail(RecordOut):
    versions: list[RecordOut]


class RecordIn(FormSchema):
    kind: RecordKind
    occurred_at: datetime.datetime
    title: str = Field(..., max_length=200)
    place: str = Field(..., max_length=200)
    summary: str
    participants: str = ""
    findings: str = ""
    posts: list[int]
    led: list[int] | None = None  # the credited posts that chaired or organised it; None: all of them


class AmendIn(RecordIn):
    reason: str
    withdraw: bool = False


def _record_qs() -> Any:
    return DutyRecord.objects.select_related("town", "amended_by").prefetch_related(
        Prefetch("credits", queryset=Credit.objects.select_related("post", "person")), "attachments"
    )


def _out(r: DutyRecord) -> dict[str, Any]:
    from django.urls import reverse

    try:
        current = r.amended_by is None
    except DutyRecord.DoesNotExist:
        current = True
    return {
        "id": r.pk,
        "town": r.town.name,
        "kind": r.kind,
        "occurred_at": r.occurred_at,
        "occurred_on": r.occurred_on,
        "title": r.title,
        "place": r.place,
        "participants": r.participants,
        "summary": r.summary,
        "findings": r.findings,
        "entered_at": r.entered_at,
        "is_late": r.is_late,
        "version": r.version,
        "root_id": r.chain_root_id,
        "amends_id": r.amends_id,
        "reason": r.reason,
        "withdrawn": r.withdrawn,
        "current": current,
        "credits": [
            {
                "post_id": c.post_id,
                "post": c.post.title,
                "person": c.person.name if c.person else None,
                "led": c.led,
            }
            for c in r.credits.all()
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "url": reverse("api:attachment", args=[a.pk]),
            }
            for a in r.attachments.all()
        ],
    }


def _town(request: HttpRequest, code: str) -> Town:
    return get_for_user(Town.objects, request.user, code=code)


def _require_write(request: HttpRequest, town: Town) -> None:
    try:
        require_role(request, town, WRITE_ROLES)
    except PermissionDenied:
        raise HttpError(403, "您无权在该乡镇填报履职记录") from None


def _posts(town: Town, ids: list[int]) -> list[Post]:
    known = [i for i in ids if 0 < i < 2**63]  # a larger id matches nothing (and the database refuses it)
    posts = list(Post.objects.filter(town=town, pk__in=known))
    if len(posts) != len(set(ids)):
        raise HttpError(400, "岗位不存在或不属于该乡镇")
    return posts


def _data(payload: RecordIn, town: Town) -> actions.RecordData:
    return actions.RecordData(
        kind=payload.kind,
        occurred_at=payload.occurred_at,
        title=payload.title,
        place=payload.place,
        summary=payload.summary,
        participants=payload.participants,
        posts=_posts(town, payload.posts),
        findings=payload.findings,
        led=None if payload.led is None else _posts(town, payload.led),
    )


def _files(files: list[UploadedFile] | None) -> list[actions.Upload]:
    return [actions.Upload(file=f, name=f.name or "") for f in files or []]


def _refuse_credit(request: HttpRequest, town: Town, exc: CreditRefused) -> NoReturn:
    """Crediting a post the caller may never credit is a refusal (403, audited), not an input error."""
    try:
        deny(request, town, exc.message)
    except PermissionDenied:
        raise HttpError(403, exc.message) from None


def _bad(exc: ValidationError) -> Status:
    return Status(400, {"detail": "；".join(exc.messages), "errors": exc.messages})


@router.get("/compliance", response=ComplianceOut, summary="Required vs done per post, duty and period")
@replica.api_read
def compliance(
    request: HttpRequest, town: str, year: int = Query(..., ge=2000, le=2100), post: str | None = None
) -> dict[str, Any]:
    """The same JSON as `yigang compliance --json`."""
    place = _town(request, town)
    if not 2000 <= year <= 2100:
        raise HttpError(400, "年份须在 2000 到 2100 之间")
    post_ids = None
    if post:
        match = Q(title=post) | (Q(pk=parse_id(post)) if parse_id(post) else Q(pk__in=[]))
        post_ids = list(Post.objects.filter(town=place).filter(match).values_list("pk", flat=True))
        if not post_ids:
            raise HttpError(404, "没有该岗位")
    # Computed for the town, then narrowed to the reader's part (body and village staff: their posts' rows).
    return reading_part(request.user, place).town_year(compute(place, year, post_ids=post_ids)).as_json()


@router.get("/towns/{town_code}/behind", response=list[ComplianceRow], summary="What is behind today")
def behind(
    request: HttpRequest, town_code: str, year: int | None = Query(None, ge=2000, le=2100)
) -> list[dict[str, Any]]:
    place = _town(request, town_code)
    result = reading_part(request.user, place).town_year(
        cached_town_year(place, year or timezone.localdate().year)
    )
    return [r.as_json() for r in result.behind_now()]


@router.get("/people/{person_id}/{year}", response=list[ComplianceRow], summary="A person's duties in a year")
def person_year(request: HttpRequest, person_id: int = ID(), year: int = YEAR()) -> list[dict[str, Any]]:
    person = get_for_user(Person.objects.select_related("town"), request.user, pk=person_id)
    if not 2000 <= year <= 2100:
        raise HttpError(400, "年份须在 2000 到 2100 之间")
    part = reading_part(request.user, person.town)
    if not part.covers_person(person, year):
        raise Http404  # someone outside the reader's unit or village: the same 404 as an unknown person
    # The town's result kept since the last write (duties/cache.py), else computed for the whole town once.
    return [r.as_json() for r in part.rows(cached_town_year(person.town, year).for_person(person.pk))]


@router.get("/records", response=list[RecordOut], summary="Latest versions of the records the user may see")
def list_records(
    request: HttpRequest,
    town: str | None = None,
    year: int | None = Query(None, ge=2000, le=2100),
    kind: RecordKind | None = None,
    post: int | None = Query(None, ge=1, le=2**53),
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10**9),
) -> list[dict[str, Any]]:
    records = _record_qs().for_user(request.user).current()
    if town:
        records = records.filter(town__code=town)
    if year:
        records = records.filter(occurred_on__year=year)
    if kind:
        records = records.filter(kind=kind)
    if post:
        records = records.filter(credits__post_id=post)
    limit = max(1, min(limit, 1000))
    offset = max(0, offset)
    return [_out(r) for r in records.order_by("-occurred_at", "-pk")[offset : offset + limit]]


@router.get("/records/{record_id}", response=RecordDetail, summary="A record with every version of it")
def get_record(request: HttpRequest, record_id: int = ID()) -> dict[str, Any]:
    record = get_for_user(_record_qs(), request.user, pk=record_id)
    root = record.chain_root_id
    # Scoping is by chain (DutyRecordQuerySet): whoever reads one version reads them all.
    versions = _record_qs().for_user(request.user).filter(Q(pk=root) | Q(root_id=root)).order_by("version")
    return {**_out(record), "versions": [_out(v) for v in versions]}


@router.post(
    "/records",
    response={201: RecordOut, 400: ErrorOut, 403: ErrorOut},
    summary="Submit a record (multipart: fields and files); it can never be edited or deleted",
)
def create_record(
    request: HttpRequest,
    town: Form[str],
    payload: Form[RecordIn],
    files: File[list[UploadedFile] | None] = None,
) -> Status:
    place = _town(request, town)
    _require_write(request, place)
    try:
        entry = actions.create_record(
            town=place, data=_data(payload, place), files=_files(files), source=Source.API, actor=request.user
        )
    except CreditRefused as exc:
        _refuse_credit(request, place, exc)
    except ValidationError as exc:
        return _bad(exc)
    return Status(201, _out(_record_qs().get(pk=entry.pk)))


@router.post(
    "/records/{record_id}/amendments",
    response={201: RecordOut, 400: ErrorOut, 403: ErrorOut},
    summary="Correct a record: a new version with a reason; the earlier version stays",
)
def amend_record(
    request: HttpRequest,
    payload: Form[AmendIn],
    record_id: int = ID(),
    files: File[list[UploadedFile] | None] = None,
) -> Status:
    record = get_for_user(DutyRecord.objects.select_related("town"), request.user, pk=record_id)
    _require_write(request, record.town)
    if not may_amend(request.user, record):
        try:
            deny(request, record.town)
        except PermissionDenied:
            raise HttpError(403, "您无权更正该记录：其认定的岗位不属于您") from None
    try:
        entry = actions.amend_record(
            record=record,
            data=_data(payload, record.town),
            reason=payload.reason,
            withdraw=payload.withdraw,
            files=_files(files),
            source=Source.API,
            actor=request.user,
        )
    except CreditRefused as exc:
        _refuse_credit(request, record.town, exc)
    except ValidationError as exc:
        return _bad(exc)
    return Status(201, _out(_record_qs().get(pk=entry.pk)))


@router.get(
    "/attachments/{attachment_id}",
    url_name="attachment",
    summary="An attachment's bytes",
    openapi_extra=file_response(),
)
def attachment(request: HttpRequest, attachment_id: int = ID()) -> HttpResponse:
    return serve_attachment(request, attachment_id)
