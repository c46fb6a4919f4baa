"""Every write to hazards: one transaction, one audit entry, and a dated, attributed event for each step.

The lifecycle (docs/hazards.md): reported → assigned → rectifying → submitted (with after-photos) → closed
(销号), or sent back to rectifying with a reason. An owner may decline with a reason; the 安委办 then keeps it
with the owner or reassigns it, and the decision is kept. A major hazard (重大隐患) cannot enter rectification
without a plan holding all of 五落实. Nothing is edited in place and nothing is deleted: the events are the
history, the row only mirrors the current state for lists.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.duties.models import DutyRecord
from yigang.evidence import uploads
from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.models import Town

from .access import is_officer, staff_units
from .models import (
    INSPECTION_KINDS,
    OPEN_STATUSES,
    Channel,
    EventKind,
    Extension,
    ExtensionStatus,
    Grade,
    Hazard,
    HazardEvent,
    Photo,
    Plan,
    Policy,
    Source,
    Stage,
    Status,
)
from .routing import route
from .workdays import MAX_WORKING_DAYS

EARLIEST = datetime.date(2000, 1, 1)
MAX_PHOTOS = 9
# The moment events are dated at: now, except while the demo loader replays a past year (`backdated`). Never
# set by a view, the API or the CLI: an event's date is when it was recorded.
_moment: ContextVar[datetime.datetime | None] = ContextVar("hazard_event_moment", default=None)


def _now() -> datetime.datetime:
    return _moment.get() or timezone.now()


@contextmanager
def backdated(moment: datetime.datetime) -> Iterator[None]:
    """Date the events written inside the block at `moment` (the demo loader's replay of a past year)."""
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)


@dataclass
class Upload:
    file: IO[bytes]
    name: str


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


@dataclass
class PlanData:
    """五落实: 责任 (responsible), 措施 (measures), 资金 (funds), 时限 (deadline), 预案 (emergency plan)."""

    responsible: str
    measures: str
    funds: str
    deadline: datetime.date | None
    emergency_plan: str


def _name(actor: Any) -> str:
    if not getattr(actor, "is_authenticated", False):
        return "系统"
    person = getattr(actor, "person", None)
    return person.name if person is not None else actor.get_username()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(hazard: Hazard, kind: str, actor: Any, note: str = "", **details: Any) -> HazardEvent:
    return HazardEvent.objects.create(
        town_id=hazard.town_id,
        hazard=hazard,
        kind=kind,
        at=_now(),
        actor=_user(actor),
        actor_name=_name(actor),
        note=note,
        details=details,
    )


def check_photos(files: Sequence[Upload]) -> list[uploads.CheckedFile]:
    """Vet photos with the shared upload check (`uploads.check`); only images are photos."""
    if len(files) > MAX_PHOTOS:
        raise ValidationError({"photos": [f"照片不能超过 {MAX_PHOTOS} 张。"]})
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(uploads.check(upload.file, upload.name, kinds=uploads.IMAGES))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"photos": errors})
    return checked


@contextmanager
def _stored(town: Town, files: list[uploads.CheckedFile]) -> Iterator[list[str]]:
    """Write the photos; if anything after fails (rows roll back), remove them again: nothing half-saved."""
    paths: list[str] = []
    try:
        for checked in files:
            now = timezone.localtime()
            path = f"hazards/{town.pk}/{now:%Y/%m}/{uuid.uuid4().hex}.{uploads.ALLOWED[checked.content_type]}"
            paths.append(default_storage.save(path, ContentFile(checked.data)))
        yield paths
    except BaseException:
        for path in paths:
            default_storage.delete(path)
        raise


def _save_photos(
    hazard: Hazard, stage: str, files: list[uploads.CheckedFile], paths: list[str], actor: Any
) -> None:
    Photo.objects.bulk_create(
        Photo(
            town_id=hazard.town_id,
            hazard=hazard,
            stage=stage,
            file=path,
            name=c.name,
            content_type=c.content_type,
            size=c.size,
            sha256=c.sha256,
            uploaded_by=_user(actor),
        )
        for c, path in zip(files, paths, strict=True)
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


def _clean(town: Town, data: HazardData, actor: Any) -> HazardData:
    """The report checked field by field; a ValidationError carries each message under the report form's field it
    concerns (NON_FIELD_ERRORS for the rest), so the form shows it there — and the API lists them all."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

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
    # Narrow reporters report inside their part, so they can follow what they reported.
    if not errors and getattr(actor, "is_authenticated", False) and not is_officer(actor, town):
        from yigang.towns.scope import Scope

        scope = Scope.for_user(actor)
        if not scope.sees_whole(town) and not (
            (village is not None and village.pk in scope.village_ids) or data.sector.pk in scope.sector_ids
        ):
            # At the field the reporter chose outside their part: a village's staff the village, a body's the sector.
            add(
                "village" if scope.village_ids else "sector",
                "您只能上报本单位监管行业领域或本嘎查村（社区）的隐患。",
            )
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
        enterprise=enterprise,
        site=" ".join(data.site.split())[:200],
        latitude=data.latitude,
        longitude=data.longitude,
        duty_record=record,
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
    # Every problem at once, the fields' and the photos': the reporter corrects them in one go.
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
    routed = route(
        sector=data.sector, place=data.village, found_on=data.found_on, working_days=data.working_days
    )
    deadline = data.deadline or routed.deadline
    assert deadline is not None
    owner = Unit.objects.get(pk=routed.owner.unit_id)
    for attempt in range(3):
        try:
            with _stored(town, checked) as paths, transaction.atomic():
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
        from .notices import announce

        announce(hazard)
    return hazard, True


def _require(hazard: Hazard, allowed: Sequence[str], what: str) -> None:
    if hazard.status not in allowed:
        raise ValidationError(f"隐患当前状态为“{hazard.get_status_display()}”，不能{what}。")


def _reason(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(f"请填写{what}。")
    if len(text) > 2000:
        raise ValidationError(f"{what}不能超过 2000 个字。")
    return text


def _locked(hazard: Hazard) -> Hazard:
    return Hazard.objects.select_for_update().select_related("town", "owner_unit").get(pk=hazard.pk)


def decline(*, hazard: Hazard, reason: str, actor: Any) -> Hazard:
    """The owner says the hazard is not theirs; only with a reason. The 安委办 then decides (`decide`)."""
    reason = _reason(reason, "退回理由")
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.ASSIGNED,), "申请退回（只有尚未开始整改的隐患可以退回）")
        _event(hazard, EventKind.DECLINED, actor, reason, owner=hazard.owner_unit.name)
        hazard.status = Status.DECLINED
        hazard.save(update_fields=["status"])
        audit("hazards.decline", actor=actor, obj=hazard, changes={"reason": reason})
    return hazard


def decide(*, hazard: Hazard, owner: Unit | None, reason: str, actor: Any, notify: bool = True) -> Hazard:
    """The 安委办 decides a decline: `owner=None` keeps it with the owner; another unit takes it over."""
    reason = _reason(reason, "裁定理由")
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.DECLINED,), "裁定（没有待裁定的退回申请）")
        before = hazard.owner_unit
        if owner is not None and owner.pk != before.pk:
            if owner.town_id != hazard.town_id or owner.kind not in (UnitKind.BODY, UnitKind.VILLAGE):
                raise ValidationError("隐患只能改交本镇的部门、驻镇单位或嘎查村（社区）。")
            if not owner.exists_on(timezone.localdate()):
                raise ValidationError(f"“{owner.name}”已撤销，不能承办隐患。")
            hazard.owner_unit = owner
            routing = dict(hazard.routing)
            routing["reassigned"] = [*routing.get("reassigned", []), {"from": before.name, "to": owner.name}]
            hazard.routing = routing
        kept = hazard.owner_unit_id == before.pk
        _event(
            hazard,
            EventKind.DECIDED,
            actor,
            reason,
            decision="kept" if kept else "reassigned",
            previous=before.name,
            owner=hazard.owner_unit.name,
        )
        hazard.status = Status.ASSIGNED
        hazard.save(update_fields=["status", "owner_unit", "routing"])
        audit(
            "hazards.decide",
            actor=actor,
            obj=hazard,
            changes={"reason": reason, "from": before.name, "to": hazard.owner_unit.name},
        )
    if not kept and notify:
        from .notices import announce

        announce(hazard)
    return hazard


def _clean_plan(plan: PlanData, hazard: Hazard) -> PlanData:
    missing = [
        label
        for label, value in (
            ("责任人（责任落实）", plan.responsible.strip()),
            ("整改措施（措施落实）", plan.measures.strip()),
            ("整改资金（资金落实）", plan.funds.strip()),
            ("整改时限（时限落实）", plan.deadline),
            ("应急预案（预案落实）", plan.emergency_plan.strip()),
        )
        if not value
    ]
    if missing:
        raise ValidationError(f"重大隐患治理方案须做到五落实，还缺：{'、'.join(missing)}。")
    assert plan.deadline is not None
    if plan.deadline < hazard.found_on:
        raise ValidationError("治理方案的整改时限不能早于发现日期。")
    return PlanData(
        plan.responsible.strip()[:100],
        plan.measures.strip(),
        plan.funds.strip()[:200],
        plan.deadline,
        plan.emergency_plan.strip(),
    )


def start_rectifying(*, hazard: Hazard, actor: Any, plan: PlanData | None = None, note: str = "") -> Hazard:
    """The owner starts rectifying. A major hazard needs a plan holding all of 五落实 (given now or before)."""
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.ASSIGNED,), "开始整改（退回申请须先由安委办裁定）")
        if plan is not None:
            plan = _clean_plan(plan, hazard)
            assert plan.deadline is not None
            saved = Plan.objects.create(
                town_id=hazard.town_id,
                hazard=hazard,
                responsible=plan.responsible,
                measures=plan.measures,
                funds=plan.funds,
                deadline=plan.deadline,
                emergency_plan=plan.emergency_plan,
                created_by=_user(actor),
                created_at=_now(),
            )
            _event(
                hazard,
                EventKind.PLAN,
                actor,
                plan.measures[:200],
                plan=saved.pk,
                responsible=plan.responsible,
                funds=plan.funds,
                deadline=plan.deadline.isoformat() if plan.deadline else None,
            )
        if hazard.grade == Grade.MAJOR and not hazard.plans.exists():
            raise ValidationError(
                "重大隐患须先制定治理方案并做到五落实（责任、措施、资金、时限、预案），才能开始整改。"
            )
        _event(hazard, EventKind.RECTIFYING, actor, note.strip()[:2000])
        hazard.status = Status.RECTIFYING
        hazard.save(update_fields=["status"])
        audit("hazards.rectify", actor=actor, obj=hazard, changes={"plan": plan is not None})
    return hazard


def submit(*, hazard: Hazard, note: str, photos: Sequence[Upload], actor: Any) -> Hazard:
    """The owner reports the rectification done and asks for acceptance, with photos after rectification."""
    note = _reason(note, "整改情况说明")
    checked = check_photos(photos)
    if not checked:
        raise ValidationError("提请验收须上传整改后的照片。")
    with _stored(hazard.town, checked) as paths, transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.RECTIFYING,), "提请验收（须在整改中）")
        _event(hazard, EventKind.SUBMITTED, actor, note, photos=[c.sha256 for c in checked])
        _save_photos(hazard, Stage.AFTER, checked, paths, actor)
        hazard.status = Status.SUBMITTED
        hazard.save(update_fields=["status"])
        audit("hazards.submit", actor=actor, obj=hazard, changes={"note": note, "photos": len(checked)})
    return hazard


def accept(*, hazard: Hazard, note: str, actor: Any, on: datetime.date | None = None) -> Hazard:
    """The 安委办 accepts the rectification and closes the hazard (销号); only a submitted one."""
    on = on or timezone.localdate()
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.SUBMITTED,), "验收销号（须先由责任单位整改并提请验收）")
        # Every broken order at once (docs/dates.md): accepted before found, after today, before it was submitted.
        problems = []
        if on < hazard.found_on:
            problems.append("销号日期不能早于发现日期。")
        if on > timezone.localdate():
            problems.append("销号日期不能晚于今天。")
        submitted = hazard.events.filter(kind=EventKind.SUBMITTED).order_by("-id").first()  # the last one
        if submitted is not None and on < timezone.localdate(submitted.at):
            problems.append(
                f"销号日期不能早于提请验收的日期（{timezone.localdate(submitted.at):%Y-%m-%d}）：须先整改、提请验收，才能验收销号。"
            )
        if problems:
            raise ValidationError(problems)
        _event(hazard, EventKind.CLOSED, actor, note.strip()[:2000], closed_on=on.isoformat())
        hazard.status = Status.CLOSED
        hazard.closed_on = on
        hazard.save(update_fields=["status", "closed_on"])
        audit("hazards.close", actor=actor, obj=hazard, changes={"closed_on": on, "note": note.strip()})
    return hazard


def send_back(*, hazard: Hazard, reason: str, actor: Any) -> Hazard:
    """The 安委办 finds the rectification wanting and sends it back to rectifying, with a reason."""
    reason = _reason(reason, "退回整改的理由")
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, (Status.SUBMITTED,), "退回整改（须在待验收状态）")
        _event(hazard, EventKind.SENT_BACK, actor, reason)
        hazard.status = Status.RECTIFYING
        hazard.save(update_fields=["status"])
        audit("hazards.send_back", actor=actor, obj=hazard, changes={"reason": reason})
    return hazard


# An extension further out than this (from the deadline in force) is a typo, not a plan.
MAX_EXTENSION_DAYS = 365
EXTENSION_OPEN = (Status.ASSIGNED, Status.RECTIFYING)


def _extension_date(day: Any, hazard: Hazard, label: str) -> datetime.date:
    if not isinstance(day, datetime.date):
        raise ValidationError({"extension_deadline": [f"请填写{label}。"]})
    if day <= hazard.deadline:
        raise ValidationError(
            {"extension_deadline": [f"{label}须晚于现在的整改期限（{hazard.deadline:%Y-%m-%d}）。"]}
        )
    if (day - hazard.deadline).days > MAX_EXTENSION_DAYS:
        raise ValidationError(
            {"extension_deadline": [f"{label}距现在的整改期限不能超过 {MAX_EXTENSION_DAYS} 天。"]}
        )
    return day


def ask_extension(
    *, hazard: Hazard, deadline: datetime.date | None, reason: str, actor: Any, notify: bool = True
) -> Extension:
    """The rectifier asks to extend the deadline (延期整改), before it passes, with a reason and the date wanted.

    The supervising body (or the 安委办) is told and decides (`decide_extension`). Asked after the deadline,
    or while another request waits, it is refused with the reason (ValidationError, nothing saved).
    """
    problems: dict[str, Any] = {}
    try:
        reason = _reason(reason, "延期理由")
    except ValidationError as exc:
        problems["note"] = exc.messages
    with transaction.atomic():
        hazard = _locked(hazard)
        _require(hazard, EXTENSION_OPEN, "申请延期整改（只有已交办或整改中的隐患可以申请）")
        today = timezone.localdate(_now())
        if today > hazard.deadline:
            raise ValidationError(
                f"整改期限（{hazard.deadline:%Y-%m-%d}）已过，不能再申请延期整改：延期须在期限届满前提出，"
                "逾期的隐患按逾期督办处理。"
            )
        if hazard.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise ValidationError("已有一份延期整改申请等待审批，请等审批结果。")
        try:
            deadline = _extension_date(deadline, hazard, "申请延至的日期")
        except ValidationError as exc:
            problems = exc.update_error_dict(problems)
        if problems:
            raise ValidationError(problems)
        assert deadline is not None
        extension = Extension.objects.create(
            town_id=hazard.town_id,
            hazard=hazard,
            deadline_before=hazard.deadline,
            requested=deadline,
            reason=reason,
            asked_by=_user(actor),
            asked_by_name=_name(actor),
            asked_at=_now(),
        )
        _event(
            hazard,
            EventKind.EXTENSION_ASKED,
            actor,
            reason,
            extension=extension.pk,
            deadline=hazard.deadline.isoformat(),
            requested=deadline.isoformat(),
        )
        audit(
            "hazards.extension_ask",
            actor=actor,
            obj=hazard,
            changes={
                "extension": extension.pk,
                "deadline": hazard.deadline,
                "requested": deadline,
                "reason": reason,
            },
        )
    if notify:
        from .notices import extension_asked

        extension_asked(extension)
    return extension


def decide_extension(
    *,
    extension: Extension,
    approve: bool,
    note: str,
    actor: Any,
    deadline: datetime.date | None = None,
    notify: bool = True,
) -> Extension:
    """The supervising body (or the 安委办) approves an extension — with the new deadline, by default the date
    asked for — or refuses it with a reason. The deadline first set is kept on the hazard (`original_deadline`);
    the approved one is in force from then on: "overdue" and escalation follow it, the escalation ladder starts
    again from it. The asker is told. Not the asker's own request.
    """
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError({"note": ["审批意见不能超过 2000 个字。"]})
    if not approve and not note:
        raise ValidationError({"note": ["不予延期须写明理由。"]})
    with transaction.atomic():
        hazard = _locked(extension.hazard)
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
        if extension.status != ExtensionStatus.PENDING:
            raise ValidationError(f"该延期申请已审批（{extension.get_status_display()}），不能再次审批。")
        if _user(actor) is not None and extension.asked_by_id == _user(actor).pk:
            raise ValidationError("不能审批自己提出的延期申请，请由主管部门或安委办审批。")
        if approve:
            _require(hazard, EXTENSION_OPEN, "批准延期（隐患已提请验收或已销号）")
            new = _extension_date(deadline or extension.requested, hazard, "批准延至的日期")
            before = hazard.deadline
            extension.status, extension.approved = ExtensionStatus.APPROVED, new
            if hazard.original_deadline is None:
                hazard.original_deadline = before
            hazard.deadline = new
            hazard.escalation_level = 0  # the ladder climbs again from the approved deadline
            hazard.save(update_fields=["original_deadline", "deadline", "escalation_level"])
            _event(
                hazard,
                EventKind.EXTENSION_APPROVED,
                actor,
                note or f"同意延期至{new:%Y-%m-%d}",
                extension=extension.pk,
                before=before.isoformat(),
                deadline=new.isoformat(),
                original=hazard.original_deadline.isoformat(),
            )
        else:
            extension.status = ExtensionStatus.REFUSED
            _event(hazard, EventKind.EXTENSION_REFUSED, actor, note, extension=extension.pk)
        extension.decision_note = note
        extension.decided_by, extension.decided_by_name, extension.decided_at = (
            _user(actor),
            _name(actor),
            _now(),
        )
        extension.save(
            update_fields=[
                "status",
                "approved",
                "decision_note",
                "decided_by",
                "decided_by_name",
                "decided_at",
            ]
        )
        audit(
            "hazards.extension_decide",
            actor=actor,
            obj=hazard,
            changes={
                "extension": extension.pk,
                "decision": extension.status,
                "deadline": [extension.deadline_before, extension.approved or extension.deadline_before],
                "note": note,
            },
        )
    if notify:
        from .notices import extension_decided

        extension_decided(extension)
    return extension


def escalate(*, hazard: Hazard, level: int, told: list[str], actor: Any = None) -> Hazard:
    """Record that an overdue hazard reached escalation `level` (once per level; see escalation.py)."""
    with transaction.atomic():
        hazard = _locked(hazard)
        if hazard.status not in OPEN_STATUSES or level <= hazard.escalation_level:
            return hazard
        _event(
            hazard, EventKind.ESCALATED, actor, "、".join(told), level=level, deadline=str(hazard.deadline)
        )
        hazard.escalation_level = level
        hazard.save(update_fields=["escalation_level"])
        audit("hazards.escalate", actor=actor, obj=hazard, changes={"level": level, "told": told})
    return hazard


def set_policy(*, town: Town, escalation_days: int, actor: Any) -> Policy:
    """Set how many days an overdue hazard waits at each escalation level before climbing to the next."""
    if not 1 <= escalation_days <= 60:
        raise ValidationError("逐级督办间隔须在 1 到 60 天之间。")
    with transaction.atomic():
        policy, _created = Policy.objects.get_or_create(town=town)
        before = policy.escalation_days
        policy.escalation_days = escalation_days
        policy.save(update_fields=["escalation_days"])
        audit(
            "hazards.policy",
            actor=actor,
            town=town,
            changes={"escalation_days": [before, escalation_days]},
        )
    return policy


def handles(user: Any, hazard: Hazard) -> bool:
    """Whether the user is staff of the hazard's owner unit (for the pages: which buttons to show)."""
    return hazard.owner_unit_id in staff_units(user, hazard.town_id)
