"""The working calendar in the API (yigang/workcalendar): a year as `yigang calendar show --json`, and a notice
read for review or entered, as `yigang calendar import --json`. The same rules as the pages: readers of the
town read; the 安委办 officer enters for the town, a county viewer for the county; outsiders 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Form, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from yigang.towns.access import deny, get_for_user
from yigang.towns.models import Role, Town, roles_in
from yigang.workcalendar import actions
from yigang.workcalendar.days import Calendar
from yigang.workcalendar.notice import MAX_CHARS

from .contract import ErrorOut

router = Router(tags=["calendar"])


class YearOut(Schema):
    year: int
    source: str = Field(description="notice (entered), package (chinese-calendar) or statutory (the 办法)")
    holidays: list[str]
    workdays: list[str] = Field(description="weekend days that are working days (调休上班)")


class NoticeIn(Schema):
    town: str
    text: str = Field(max_length=MAX_CHARS)
    year: int | None = Field(None, ge=2000, le=2100, description="only for a text without its title")
    for_county: bool = Field(False, description="enter for every town of the town's county (county viewer)")
    dry_run: bool = False
    replace: bool = Field(False, description="replace a year already entered (after seeing the difference)")


class NoticeOut(Schema):
    year: int | None
    ok: bool
    holidays: list[dict[str, str]]
    workdays: list[dict[str, str]]
    unread: list[dict[str, Any]]
    errors: list[str]
    warnings: list[str]
    already_entered: bool
    difference: dict[str, list[str]] | None
    saved: bool
    recomputed: list[dict[str, Any]] = []


class RefusalOut(ErrorOut):
    """A notice not saved: the reason, and what was read (the unread lines with their line numbers)."""

    year: int | None = None
    ok: bool = False
    holidays: list[dict[str, str]] = []
    workdays: list[dict[str, str]] = []
    unread: list[dict[str, Any]] = []
    warnings: list[str] = []
    already_entered: bool = False
    difference: dict[str, list[str]] | None = None
    saved: bool = False


@router.get(
    "/years/{year}",
    response={200: YearOut},
    summary="A year's holidays and working weekend days, and their source",
)
def show_year(
    request: HttpRequest, year: int = Path(..., ge=2000, le=2100), town: str = Query(...)
) -> Status:
    where = get_for_user(Town.objects, request.user, code=town)
    return Status(200, Calendar.for_town(where).year(year))


@router.post(
    "/notices",
    response={200: NoticeOut, 400: RefusalOut, 403: ErrorOut},
    summary="Read the State Council's holiday notice (form fields); enter its year unless dry_run (nothing saved on a bad line)",
)
def enter_notice(request: HttpRequest, payload: Form[NoticeIn]) -> Status:
    where = get_for_user(Town.objects, request.user, code=payload.town)
    roles = roles_in(request.user, where)
    if payload.for_county:
        allowed = Role.COUNTY_VIEWER in roles and bool(where.county)
        scope: dict[str, Any] = {"town": None, "county": where.county}
    else:
        allowed = Role.OFFICER in roles
        scope = {"town": where, "county": ""}
    if not allowed:
        try:
            deny(request, where)
        except PermissionDenied:
            raise HttpError(403, "您无权为该乡镇（旗县）录入放假安排") from None
    preview = actions.preview(text=payload.text, year=payload.year, **scope)
    data = {**preview.as_json(), "saved": False, "recomputed": []}
    if not preview.parsed.ok:
        return Status(400, {**data, "detail": "通知有读不懂的行或缺少年份，未保存。"})
    if payload.dry_run:
        return Status(200, data)
    try:
        _entry, changed = actions.enter_year(
            text=payload.text, year=payload.year, replace=payload.replace, actor=request.user, **scope
        )
    except ValidationError as exc:
        data["errors"] = [*data["errors"], *exc.messages]
        return Status(400, {**data, "detail": "；".join(exc.messages)})
    data.update(saved=True, recomputed=changed)
    return Status(200, data)
