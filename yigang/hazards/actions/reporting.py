"""Reporting a hazard: the report checked field by field, numbered, routed, stored with its photos, announced."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.duties.models import DutyRecord
from yigang.evidence import uploads
from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.models import Town

from ..access import is_officer
from ..models import INSPECTION_KINDS, Channel, EventKind, Grade, Hazard, Source, Stage, Status
from ..routing import Route, route
from ..workdays import MAX_WORKING_DAYS
from .base import Upload, _event, _now, _user
from .photos import _save_photos, _stored, check_photos

EARLIEST = datetime.date(2000, 1, 1)

# How a check files a message: under the report form's field it concerns ("__all__" for the rest).
_Add = Callable[[str, str], None]


@dataclass
class HazardData:
    """A report as the form, the API and the demo loader hand it over."""

    sector: Sector
    description: str
    address: str
    found_on: datetime.date
    found_by: str
    source: str
    grade: str = Grade.GENERAL
    village: Unit | None = None
    enterprise: Unit | None = None
    site: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    duty_record: DutyRecord | None = None
    deadline: datetime.date | None = None
    working_days: int | None = None


def at_own_place(data: HazardData, place: Any) -> HazardData:
    """A report by an enterprise's own account (企业自查) at its place: the enterprise, village and place named
    where the caller left them out (the API; the page has no such fields). What the caller did name is checked
    by the report's own rules, so another enterprise or another way of finding is refused, not overwritten."""
    return dataclasses.replace(
        data,
        enterprise=data.enterprise or place.unit,
        village=data.village or place.village,
        site=data.site or place.name,
    )


def date_errors(found_on: datetime.date | None, deadline: datetime.date | None) -> dict[str, list[str]]:
    """The orders a report's dates must keep, by the form's field; a date not given (None) is not checked.

    `_clean` calls it; the report form calls it with whichever dates parsed, so a form shows these errors
    together with its field errors.
    """
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if found_on is not None:
        if found_on > today:
            errors.setdefault("found_on", []).append("发现日期不能晚于今天。")
        if found_on < EARLIEST:
            errors.setdefault("found_on", []).append("发现日期不能早于 2000 年。")
        if deadline is not None and deadline < found_on:
            errors.setdefault("deadline", []).append("整改期限不能早于发现日期。")
    return errors


def _check_where(town: Town, data: HazardData, add: _Add) -> Unit | None:
    """The sector, enterprise and village are the town's and agree; returns the village (the enterprise's when
    none was chosen)."""
    if data.sector.town_id != town.pk:
        add("sector", "行业领域不属于本镇。")
    enterprise, village = data.enterprise, data.village
    if enterprise is not None:
        if enterprise.town_id != town.pk or enterprise.kind != UnitKind.ENTERPRISE:
            add("enterprise", "所选单位不是本镇登记的生产经营单位。")
        elif village is None:
            village = enterprise.village
        elif enterprise.village_id is not None and enterprise.village_id != village.pk:
            add(
                "enterprise", f"“{enterprise.name}”登记在“{enterprise.village}”，与所选嘎查村（社区）不一致。"
            )
    if village is not None and (village.town_id != town.pk or village.kind != UnitKind.VILLAGE):
        add("village", "所选地点不是本镇的嘎查村（社区）。")
    return village


def _check_texts(data: HazardData, add: _Add) -> tuple[str, str, str]:
    """The description, address and finder, given and not too long; returns them tidied."""
    if any("\x00" in text for text in (data.description, data.address, data.found_by, data.site)):
        add("__all__", "填写的内容含有无效字符。")
    description = data.description.strip()
    address = " ".join(data.address.split())
    found_by = " ".join(data.found_by.split())
    if not description:
        add("description", "请描述隐患。")
    elif len(description) > 2000:
        add("description", "隐患描述不能超过 2000 个字。")
    if not address:
        add("address", "请填写隐患地址。")
    elif len(address) > 200:
        add("address", "地址不能超过 200 个字。")
    if not found_by:
        add("found_by", "请填写发现人。")
    elif len(found_by) > 100:
        add("found_by", "发现人不能超过 100 个字。")
    return description, address, found_by


def _check_kinds_and_dates(data: HazardData, add: _Add) -> None:
    """The source and grade are known ones, the dates keep their order, the position is on the globe."""
    if data.source not in Source.values:
        add("source", "发现方式无效。")
    if data.grade not in Grade.values:
        add("grade", "隐患等级只能是一般隐患或重大隐患。")
    for field, messages in date_errors(data.found_on, data.deadline).items():
        for message in messages:
            add(field, message)
    if data.latitude is not None and not (-90 <= data.latitude <= 90):
        add("latitude", "纬度须在 -90 到 90 之间。")
    if data.longitude is not None and not (-180 <= data.longitude <= 180):
        add("longitude", "经度须在 -180 到 180 之间。")
    if (data.latitude is None) != (data.longitude is None):
        add("latitude", "经纬度须同时填写或同时不填。")


def _check_record_and_deadline(town: Town, data: HazardData, add: _Add) -> None:
    """A linked duty record is one of the town's inspections; the deadline is given one way, in range."""
    record = data.duty_record
    if record is not None:
        if record.town_id != town.pk:
            add("__all__", "所选履职记录不属于本镇。")
        elif record.kind not in INSPECTION_KINDS:
            add("__all__", "只有检查类的履职记录可以关联发现的隐患。")
        elif data.source != Source.INSPECTION:
            add("source", "关联了检查记录的隐患，发现方式应为“检查发现”。")
    if data.deadline is None and data.working_days is None:
        add("working_days", "请填写整改期限：日期或工作日数。")
    if data.deadline is not None and data.working_days is not None:
        add("deadline", "整改期限只填一种：日期或工作日数。")
    if data.working_days is not None and not (1 <= data.working_days <= MAX_WORKING_DAYS):
        add("working_days", f"整改期限的工作日数须在 1 到 {MAX_WORKING_DAYS} 之间。")


def _check_enterprise_report(town: Town, data: HazardData, actor: Any, add: _Add) -> None:
    """An enterprise's own account reports what it found itself (企业自查), at its own enterprise and in a sector
    of its place: so it can follow it, and the supervising body knows how it was found."""
    from yigang.towns.enterprise import enterprise_unit_ids

    if data.enterprise is None or data.enterprise.pk not in enterprise_unit_ids(actor, town):
        add("enterprise", "企业账号只能上报本单位的隐患。")
        return
    if data.source != Source.SELF_CHECK:
        add("source", "企业账号上报的隐患，发现方式应为“企业自查”。")
    if data.duty_record is not None:
        add("__all__", "企业自查上报的隐患不能关联检查履职记录。")
    if not Sector.objects.filter(pk=data.sector.pk, places__unit_id=data.enterprise.pk).exists():
        add("sector", "请选择本场所所属的行业领域。")


def _check_reporters_part(town: Town, data: HazardData, village: Unit | None, actor: Any, add: _Add) -> None:
    """Narrow reporters report inside their part, so they can follow what they reported."""
    from yigang.towns.scope import Scope

    from ..access import is_enterprise

    if is_enterprise(actor, town):
        _check_enterprise_report(town, data, actor, add)
        return
    scope = Scope.for_user(actor)
    if not scope.sees_whole(town) and not (
        (village is not None and village.pk in scope.village_ids) or data.sector.pk in scope.sector_ids
    ):
        # At the field the reporter chose outside their part: a village's staff the village, a body's the sector.
        add(
            "village" if scope.village_ids else "sector",
            "您只能上报本单位监管行业领域或本嘎查村（社区）的隐患。",
        )


def _clean(town: Town, data: HazardData, actor: Any) -> HazardData:
    """The report checked field by field; a ValidationError carries each message under the report form's field it
    concerns (NON_FIELD_ERRORS for the rest), so the form shows it there — and the API lists them all."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    village = _check_where(town, data, add)
    description, address, found_by = _check_texts(data, add)
    _check_kinds_and_dates(data, add)
    _check_record_and_deadline(town, data, add)
    if not errors and getattr(actor, "is_authenticated", False) and not is_officer(actor, town):
        _check_reporters_part(town, data, village, actor, add)
    if errors:
        raise ValidationError(errors)
    return HazardData(
        sector=data.sector,
        description=description,
        address=address,
        found_on=data.found_on,
        found_by=found_by,
        source=data.source,
        grade=data.grade,
        village=village,
        enterprise=data.enterprise,
        site=" ".join(data.site.split())[:200],
        latitude=data.latitude,
        longitude=data.longitude,
        duty_record=data.duty_record,
        deadline=data.deadline,
        working_days=data.working_days,
    )


def _number(town: Town, year: int) -> str:
    prefix = f"YH{year}-"
    last = (
        Hazard.objects.filter(town=town, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _existing(town: Town, client_key: str, actor: Any) -> Hazard | None:
    found = Hazard.objects.filter(town=town, client_key=client_key).first()
    if found is not None and found.reported_by_id != (_user(actor).pk if _user(actor) else None):
        raise ValidationError("该幂等键已被另一次上报使用，请为新的上报生成新的键。")
    return found


def _checked_report(
    town: Town, data: HazardData, photos: Sequence[Upload], actor: Any
) -> tuple[HazardData, list[uploads.CheckedFile]]:
    """Every problem at once, the fields' and the photos': the reporter corrects them in one go."""
    problems: dict[str, Any] = {}
    try:
        data = _clean(town, data, actor)
    except ValidationError as exc:
        problems = exc.update_error_dict(problems)
    try:
        checked = check_photos(photos)
    except ValidationError as exc:
        problems = exc.update_error_dict(problems)
    if problems:
        raise ValidationError(problems)
    return data, checked


def _create(
    *,
    town: Town,
    data: HazardData,
    routed: Route,
    owner: Unit,
    deadline: datetime.date,
    checked: list[uploads.CheckedFile],
    paths: list[str],
    client_key: str | None,
    channel: str,
    actor: Any,
) -> Hazard:
    """The hazard row, its reported and assigned events, its photos before rectification and the audit entry."""
    hazard = Hazard.objects.create(
        town=town,
        number=_number(town, data.found_on.year),
        village=data.village,
        address=data.address,
        latitude=data.latitude,
        longitude=data.longitude,
        sector=data.sector,
        enterprise=data.enterprise,
        site=data.site,
        description=data.description,
        grade=data.grade,
        source=data.source,
        duty_record=data.duty_record,
        found_on=data.found_on,
        found_by=data.found_by,
        deadline=deadline,
        working_days=data.working_days,
        deadline_calendar=routed.deadline_calendar if data.working_days is not None else "",
        status=Status.ASSIGNED,
        owner_unit=owner,
        flagged=routed.flagged,
        routing=routed.snapshot(),
        client_key=client_key or "",
        channel=channel,
        reported_by=_user(actor),
        reported_at=_now(),
    )
    _event(hazard, EventKind.REPORTED, actor, grade=data.grade, photos=len(checked))
    _event(
        hazard,
        EventKind.ASSIGNED,
        actor,
        f"交由“{owner.name}”办理" + ("（无主管部门，属地负责）" if routed.flagged else ""),
        owner=routed.owner.snapshot(),
        copied=[c.unit for c in routed.copied],
        deadline=deadline.isoformat(),
    )
    _save_photos(hazard, Stage.BEFORE, checked, paths, actor)
    audit(
        "hazards.report",
        actor=actor,
        obj=hazard,
        changes={
            "number": hazard.number,
            "sector": data.sector.name,
            "village": data.village.name if data.village else None,
            "grade": data.grade,
            "found_on": data.found_on,
            "deadline": deadline,
            "owner": owner.name,
            "photos": [{"name": c.name, "sha256": c.sha256} for c in checked],
        },
    )
    return hazard


def report_hazard(
    *,
    town: Town,
    data: HazardData,
    photos: Sequence[Upload] = (),
    client_key: str | None = None,
    channel: str = Channel.FORM,
    notify: bool = True,
    actor: Any,
) -> tuple[Hazard, bool]:
    """Report a hazard and route it (谁主管、谁负责, 属地) as the register stood on the day found.

    Returns (hazard, created). The same `client_key` sent again by the same reporter (a phone retrying) returns
    the hazard it created the first time, unchanged. Raises ValidationError (nothing saved) in Chinese.
    `notify=False` (the demo loader replaying past years) leaves the routing notices to the periodic run, which
    sends those of the last week.
    """
    client_key = (client_key or "").strip() or None
    if client_key is not None:
        if len(client_key) > 100 or "\x00" in client_key:
            raise ValidationError("幂等键不能超过 100 个字符，且不能含有无效字符。")
        found = _existing(town, client_key, actor)
        if found is not None:
            return found, False
    data, checked = _checked_report(town, data, photos, actor)
    routed = route(
        sector=data.sector,
        place=data.village,
        enterprise=data.enterprise,
        found_on=data.found_on,
        working_days=data.working_days,
    )
    deadline = data.deadline or routed.deadline
    assert deadline is not None
    owner = Unit.objects.get(pk=routed.owner.unit_id)
    for attempt in range(3):
        try:
            with _stored(town, checked) as paths, transaction.atomic():
                hazard = _create(
                    town=town,
                    data=data,
                    routed=routed,
                    owner=owner,
                    deadline=deadline,
                    checked=checked,
                    paths=paths,
                    client_key=client_key,
                    channel=channel,
                    actor=actor,
                )
            break
        except IntegrityError:
            if client_key is not None:  # the same key won a race a moment ago: that hazard is this report
                found = _existing(town, client_key, actor)
                if found is not None:
                    return found, False
            if attempt == 2:
                raise
            # Another report took the same number a moment ago: number this one again.
    if notify:
        from ..notices import announce

        announce(hazard)
    return hazard, True
