"""Every write to accidents: one transaction and one audit entry each. Nothing is edited in place or deleted.

`report_accident` records the first report, grades it, freezes the chain of responsibility at the accident's
moment and, when people died or were seriously injured, gives the leaders the regulation names an on-site task.
`change_report` adds a new version (a correction, or a 补报 of casualties) and re-grades; a grade that rises tells
the leaders again. The clocks' flags (迟报, a 补报 past its window) are computed here and kept on each version.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.evidence import uploads
from yigang.org.chain import Role, build_chain
from yigang.org.models import Person, Post, Sector, Unit, UnitKind
from yigang.regulations.choices import PostKind
from yigang.towns.models import Town

from . import clocks, grading
from .models import (
    Accident,
    AccidentKind,
    Attachment,
    Extension,
    Finding,
    FindingKind,
    InvestigationReport,
    OnSiteTask,
    Report,
    Source,
)
from .notices import notify_leaders


@dataclass
class Upload:
    """An uploaded file as the views and the API hand it over."""

    file: Any
    name: str


def _check_files(files: Sequence[Upload]) -> list[uploads.CheckedFile]:
    if len(files) > uploads.MAX_FILES:
        raise ValidationError(f"附件不能超过 {uploads.MAX_FILES} 个。")
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(uploads.check(upload.file, upload.name))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


@contextmanager
def _stored(checked: list[uploads.CheckedFile], town: Town) -> Iterator[list[str]]:
    """Write the files; if anything after fails (rows roll back), remove them again: nothing half-saved."""
    paths: list[str] = []
    try:
        for item in checked:
            now = timezone.localtime()
            path = f"accidents/{town.pk}/{now:%Y/%m}/{uuid.uuid4().hex}.{uploads.ALLOWED[item.content_type]}"
            paths.append(default_storage.save(path, ContentFile(item.data)))
        yield paths
    except BaseException:
        for path in paths:
            default_storage.delete(path)
        raise


def _attach(report: Report, checked: list[uploads.CheckedFile], paths: list[str], actor: Any) -> None:
    Attachment.objects.bulk_create(
        Attachment(
            town=report.town,
            accident=report.accident,
            report=report,
            file=path,
            name=item.name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for path, item in zip(paths, checked, strict=True)
    )


def _files_audit(checked: list[uploads.CheckedFile]) -> list[dict[str, Any]]:
    return [{"name": c.name, "sha256": c.sha256, "size": c.size} for c in checked]


# A phone's clock may run a little fast; a time later than this is refused as "in the future".
CLOCK_SLACK = datetime.timedelta(minutes=10)
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass
class ReportData:
    """What 493号令 Art. 12 asks of a report, as the form, the API and the demo hand it over."""

    occurred_at: datetime.datetime
    learned_at: datetime.datetime
    reported_at: datetime.datetime | None
    sector: Sector
    kind: str
    address: str
    course: str
    reporter: str
    unit: Unit | None = None
    unit_name: str = ""
    village: Unit | None = None
    deaths: int = 0
    serious_injuries: int = 0
    missing: int = 0
    direct_loss: Decimal | int | str = Decimal(0)  # 元; a string as typed is parsed by `clean`
    measures: str = ""


CASUALTY_FIELDS = ("deaths", "serious_injuries", "missing")
GRADE_FIELDS = ("deaths", "serious_injuries", "direct_loss")


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def time_errors(
    occurred_at: datetime.datetime | None,
    learned_at: datetime.datetime | None,
    reported_at: datetime.datetime | None,
) -> list[str]:
    """The orders a report's three moments must keep, in Chinese; a moment not given (None) is not checked.

    `clean` calls it with all three; the report form calls it with whichever fields parsed, so a form shows
    these errors together with its field errors.
    """
    errors: list[str] = []
    now = timezone.now() + CLOCK_SLACK
    occurred_at = _aware(occurred_at) if occurred_at else None
    learned_at = _aware(learned_at) if learned_at else None
    reported_at = _aware(reported_at) if reported_at else None
    if occurred_at is not None:
        if occurred_at > now:
            errors.append("事故发生时间不能晚于当前时间。")
        if occurred_at < EARLIEST:
            errors.append("事故发生时间不能早于 2000 年。")
    if learned_at is not None:
        if learned_at > now:
            errors.append("单位负责人接到报告时间不能晚于当前时间。")
        if occurred_at is not None and learned_at < occurred_at:
            errors.append("单位负责人接到报告时间不能早于事故发生时间。")
    if reported_at is not None:
        if reported_at > now:
            errors.append("向县级部门报告时间不能晚于当前时间。")
        if learned_at is not None and reported_at < learned_at:
            errors.append("向县级部门报告时间不能早于单位负责人接到报告时间。")
    return errors


def made_at_errors(made_at: datetime.datetime | None, occurred_at: datetime.datetime | None) -> list[str]:
    """The order a change's (补报) time must keep: not in the future, not before the accident; None: not checked.

    `change_report` calls it, and so does the change form with whichever of the two parsed."""
    errors: list[str] = []
    if made_at is None:
        return errors
    made_at = _aware(made_at)
    if made_at > timezone.now() + CLOCK_SLACK:
        errors.append("变更（补报）时间不能晚于当前时间。")
    if occurred_at is not None and made_at < _aware(occurred_at):
        errors.append("变更（补报）时间不能早于事故发生时间。")
    return errors


def clean(data: ReportData, town: Town) -> ReportData:
    """Every problem with a report, in Chinese (ValidationError), or the report tidied."""
    occurred_at, learned_at = _aware(data.occurred_at), _aware(data.learned_at)
    reported_at = _aware(data.reported_at) if data.reported_at else None
    errors = time_errors(occurred_at, learned_at, reported_at)
    if data.kind not in AccidentKind.values:
        errors.append("事故类型无效。")
    if data.sector.town_id != town.pk:
        errors.append("行业领域不属于本镇。")
    unit_name = " ".join(data.unit_name.split())
    if data.unit is not None:
        if data.unit.town_id != town.pk:
            errors.append("事故单位不属于本镇。")
        unit_name = ""
    elif not unit_name:
        errors.append("请选择登记的生产经营单位或填写事故单位名称。")
    elif len(unit_name) > 200:
        errors.append("事故单位名称不能超过 200 个字。")
    if data.village is not None and (
        data.village.town_id != town.pk or data.village.kind != UnitKind.VILLAGE
    ):
        errors.append("所在地须为本镇的嘎查村（社区）。")
    address = " ".join(data.address.split())
    if not address:
        errors.append("请填写事故地点。")
    elif len(address) > 200:
        errors.append("事故地点不能超过 200 个字。")
    course = data.course.strip()
    if not course:
        errors.append("请填写事故简要经过。")
    reporter = " ".join(data.reporter.split())
    if not reporter:
        errors.append("请填写报告人。")
    elif len(reporter) > 100:
        errors.append("报告人不能超过 100 个字。")
    counts = {}
    for name, label in (("deaths", "死亡人数"), ("serious_injuries", "重伤人数"), ("missing", "失踪人数")):
        try:
            counts[name] = grading.parse_count(getattr(data, name), label)
        except ValueError as exc:
            errors.append(str(exc))
    try:
        loss = grading.parse_yuan(data.direct_loss)
    except ValueError as exc:
        errors.append(str(exc))
        loss = Decimal(0)
    if errors:
        raise ValidationError(errors)
    return ReportData(
        occurred_at=occurred_at,
        learned_at=learned_at,
        reported_at=reported_at,
        sector=data.sector,
        kind=data.kind,
        address=address,
        course=course,
        reporter=reporter,
        unit=data.unit,
        unit_name=unit_name,
        village=data.village,
        deaths=counts["deaths"],
        serious_injuries=counts["serious_injuries"],
        missing=counts["missing"],
        direct_loss=loss,
        measures=data.measures.strip(),
    )


def report_data(report: Report) -> ReportData:
    """A version's content, to start a change from."""
    return ReportData(**{f.name: getattr(report, f.name) for f in fields(ReportData)})


def snapshot(data: ReportData) -> dict[str, Any]:
    """The report as plain values (the audit entry, the comparison of versions)."""
    out: dict[str, Any] = {}
    for f in fields(ReportData):
        value = getattr(data, f.name)
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).isoformat()
        elif isinstance(value, Sector | Unit):
            value = value.name
        elif isinstance(value, Decimal):
            value = str(value)
        out[f.name] = value
    return out


def _save_version(
    *,
    accident: Accident,
    data: ReportData,
    version: int,
    actor: Any,
    source: str,
    reason: str = "",
    changed: list[str] | None = None,
    casualties_changed: bool = False,
    past_window: bool = False,
    made_at: datetime.datetime | None = None,
    graded_on: tuple[int, int] | None = None,
) -> Report:
    deaths, injuries = graded_on or (data.deaths, data.serious_injuries)
    graded = grading.grade(
        deaths=deaths,
        serious_injuries=injuries,
        direct_loss=grading.parse_yuan(data.direct_loss),
    )
    reasons = list(graded.reasons)
    if (deaths, injuries) != (data.deaths, data.serious_injuries):
        last = clocks.supplement_last_day(data.occurred_at, data.kind)
        reasons.append(
            f"死亡{data.deaths}人、重伤{data.serious_injuries}人为补报期限（{clocks.supplement_days(data.kind)}日，"
            f"至{last:%Y-%m-%d} 24:00）届满后记录的变化，已记录但不改变事故等级；"
            f"定级按期限内的死亡{deaths}人、重伤{injuries}人"
        )
    report = Report.objects.create(
        town=accident.town,
        accident=accident,
        version=version,
        occurred_on=timezone.localtime(data.occurred_at).date(),
        grade=graded.grade,
        grade_reasons=reasons,
        late_by=clocks.late_by(data.learned_at, data.reported_at),
        made_at=made_at or timezone.now(),
        casualties_changed=casualties_changed,
        past_window=past_window,
        changed=changed or [],
        reason=reason,
        source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{f.name: getattr(data, f.name) for f in fields(ReportData)},
    )
    accident.latest = report
    accident.save(update_fields=["latest"])
    return report


# The posts the regulation sends to the scene (Art. 5.5 mayor, 9.6 safety deputy, 10.4 the deputy in charge,
# 11 the village secretary), by their role in the chain.
ON_SITE_ROLES = {
    Role.TERRITORY: "属地（嘎查村党支部书记）",
    Role.PORTFOLIO: "分管领导",
    Role.SAFETY: "分管安全生产副职",
    Role.LEADERSHIP: "镇长",
}


def _create_tasks(accident: Accident) -> list[OnSiteTask]:
    """On-site tasks to the holders, at the accident's date, of the posts the frozen chain names."""
    links = accident.chain.get("links", [])
    mayor_posts = set(
        Post.objects.filter(pk__in=[link["post_id"] for link in links], kind=PostKind.MAYOR).values_list(
            "pk", flat=True
        )
    )
    existing = set(accident.tasks.values_list("post_id", flat=True))
    tasks = []
    for link in links:
        role = link["role"]
        if role not in ON_SITE_ROLES or link["post_id"] in existing:
            continue
        if role == Role.LEADERSHIP and link["post_id"] not in mayor_posts:
            continue  # the party secretary leads overall but the regulation does not send them to the scene
        existing.add(link["post_id"])
        tasks.append(
            OnSiteTask(
                town=accident.town,
                accident=accident,
                role=role,
                post_id=link["post_id"],
                person_id=link.get("person_id"),
            )
        )
    return OnSiteTask.objects.bulk_create(tasks)


def freeze_chain(sector: Sector, village: Unit | None, day: datetime.date) -> dict[str, Any]:
    """`yigang who` for the sector and place on the day, with the ids the on-site tasks need."""
    chain = build_chain(sector=sector, place=village, at=day)
    frozen = chain.as_dict()
    frozen["links"] = [
        {
            **link.as_dict(),
            "role": link.role,
            "role_label": str(link.role_label),
            "post_id": link.post_id,
            "person_id": link.person_id,
            "scope": link.scope,
        }
        for link in chain.links
    ]
    frozen["regulation"] = str(chain.regulation) if chain.regulation else ""
    return frozen


def graded_casualties(accident: Accident) -> tuple[int, int]:
    """The deaths and serious injuries the grade rests on: those of the newest version whose casualties were
    recorded inside the 补报 window (493号令 Art. 13). A change recorded after the window closed is kept on its
    version and flagged, but the grade stays where the window left it."""
    counts = (0, 0)
    for version, deaths, injuries, changed, past in accident.versions.order_by("version").values_list(
        "version", "deaths", "serious_injuries", "casualties_changed", "past_window"
    ):
        if version == 1 or (changed and not past):
            counts = (deaths, injuries)
    return counts


def report_accident(
    *, town: Town, data: ReportData, files: Sequence[Upload] = (), source: str = Source.FORM, actor: Any
) -> Accident:
    """Record an accident's first report: grade it, freeze the chain at its moment, send leaders to the scene.

    Raises ValidationError (nothing saved) with every problem found, in Chinese.
    """
    data = clean(data, town)
    checked = _check_files(files)
    day = timezone.localtime(data.occurred_at).date()
    with _stored(checked, town) as paths, transaction.atomic():
        accident = Accident.objects.create(
            town=town,
            chain=freeze_chain(data.sector, data.village, day),
            chain_on=day,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        # The first version stands from when the county was told (or, not yet told, when the head learned of it).
        first_at = data.reported_at or data.learned_at
        report = _save_version(
            accident=accident, data=data, version=1, actor=actor, source=source, made_at=first_at
        )
        tasks = _create_tasks(accident) if data.deaths or data.serious_injuries else []
        _attach(report, checked, paths, actor)
        audit(
            "accidents.report",
            actor=actor,
            obj=accident,
            changes={
                **snapshot(data),
                "grade": report.grade,
                "late_by": str(report.late_by) if report.late_by else None,
                "tasks": [t.post_id for t in tasks],
                "attachments": _files_audit(checked),
                "source": source,
            },
        )
    notify_leaders(accident, report)
    return accident


def change_report(
    *,
    accident: Accident,
    data: ReportData,
    reason: str,
    made_at: datetime.datetime | None = None,
    files: Sequence[Upload] = (),
    source: str = Source.FORM,
    actor: Any,
) -> Report:
    """A new version of the report (a correction, or a 补报 of casualties); the earlier versions stay as they were.

    `made_at` is when the change was reported (a 补报 phoned to the county and entered later); it defaults to
    now, may not be in the future or before the accident or the previous version, and the moment of entry is
    kept beside it. Casualty changes made past the 补报 window (30 days, 7 for road traffic and fire, ending at
    24:00 of the last day) are recorded and flagged but do not change the grade. The grade is recomputed; if it rises the leaders are told again, and casualties that
    appear for the first time send the leaders to the scene.
    """
    reason = reason.strip()
    errors = []
    if not reason:
        errors.append("请填写变更说明（如：伤者经抢救无效死亡）。")
    elif len(reason) > 1000:
        errors.append("变更说明不能超过 1000 个字。")
    made_at = _aware(made_at) if made_at else timezone.now()
    errors.extend(made_at_errors(made_at, None))
    if errors:
        raise ValidationError(errors)
    data = clean(data, accident.town)
    if before_accident := made_at_errors(made_at, data.occurred_at):
        raise ValidationError(before_accident)
    checked = _check_files(files)
    with _stored(checked, accident.town) as paths, transaction.atomic():
        # Lock the accident row only: `latest` is a nullable join, which PostgreSQL will not lock FOR UPDATE.
        locked = Accident.objects.select_for_update(of=("self",)).select_related("latest").get(pk=accident.pk)
        previous = locked.latest
        assert previous is not None
        if made_at < previous.made_at:
            raise ValidationError("变更（补报）时间不能早于上一版本的时间。")
        before, after = snapshot(report_data(previous)), snapshot(data)
        changed = [k for k in after if before[k] != after[k]]
        if not changed and not checked:
            raise ValidationError("与当前版本相比没有任何变化。")
        casualties = any(k in changed for k in CASUALTY_FIELDS)
        past = casualties and not clocks.within_window(data.occurred_at, data.kind, made_at)
        # In the window the new counts grade the accident; after it (or a change that leaves the counts alone
        # after a late 补报) the grade rests on the counts the window closed with.
        graded_on = None if casualties and not past else graded_casualties(locked)
        report = _save_version(
            graded_on=graded_on,
            made_at=made_at,
            accident=locked,
            data=data,
            version=previous.version + 1,
            actor=actor,
            source=source,
            reason=reason,
            changed=changed,
            casualties_changed=casualties,
            past_window=past,
        )
        _attach(report, checked, paths, actor)
        tasks: list[OnSiteTask] = []
        if (data.deaths or data.serious_injuries) and not locked.tasks.exists():
            tasks = _create_tasks(locked)
        rose = grading.Grade.rank(report.grade) > grading.Grade.rank(previous.grade)
        report_graded = graded_on or (data.deaths, data.serious_injuries)
        audit(
            "accidents.change",
            actor=actor,
            obj=locked,
            changes={
                "version": report.version,
                "reason": reason,
                "fields": {k: [before[k], after[k]] for k in changed},
                "grade": [previous.grade, report.grade],
                "made_at": timezone.localtime(made_at).isoformat(),
                "attachments": _files_audit(checked),
                "supplement": casualties,
                "past_window": past,
                "graded_on": {"deaths": report_graded[0], "serious_injuries": report_graded[1]},
                "tasks": [t.post_id for t in tasks],
            },
        )
    if rose or tasks:
        notify_leaders(locked, report)
    return report


def confirm_arrival(*, task: OnSiteTask, arrived_at: datetime.datetime, actor: Any) -> OnSiteTask:
    """The holder (or the 安委办) confirms arrival at the scene; the time is kept and cannot be changed after."""
    arrived_at = _aware(arrived_at)
    errors = []
    occurred_at = task.accident.latest.occurred_at if task.accident.latest else None
    if arrived_at > timezone.now() + CLOCK_SLACK:
        errors.append("到达现场时间不能晚于当前时间。")
    if occurred_at is not None and arrived_at < occurred_at:
        errors.append("到达现场时间不能早于事故发生时间。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = OnSiteTask.objects.select_for_update().get(pk=task.pk)
        if locked.arrived_at is not None:
            raise ValidationError("已确认到场，到场时间不能更改。")
        locked.arrived_at = arrived_at
        locked.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["arrived_at", "confirmed_by", "confirmed_at"])
        audit(
            "accidents.arrival",
            actor=actor,
            obj=locked,
            changes={"post": locked.post_id, "arrived_at": timezone.localtime(arrived_at).isoformat()},
        )
    return locked


def extend_investigation(*, accident: Accident, days: int, reason: str, actor: Any) -> Extension:
    """The one extension of the investigation report's deadline (Art. 29: at most 60 days), with its reason."""
    reason = reason.strip()
    errors = []
    if not 1 <= days <= clocks.MAX_EXTENSION_DAYS:
        errors.append(f"延长天数须在 1 到 {clocks.MAX_EXTENSION_DAYS} 天之间。")
    if not reason:
        errors.append("请填写延长理由。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Accident.objects.select_for_update().get(pk=accident.pk)
        if InvestigationReport.objects.filter(accident=accident).exists():
            raise ValidationError("调查报告已提交，无需延长。")
        if Extension.objects.filter(accident=accident).exists():
            raise ValidationError("调查期限只能延长一次，已经延长过。")
        extension = Extension.objects.create(
            town=accident.town,
            accident=accident,
            days=days,
            reason=reason,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit("accidents.extend", actor=actor, obj=accident, changes={"days": days, "reason": reason})
    return extension


def submit_investigation(
    *, accident: Accident, submitted_on: datetime.date, note: str = "", actor: Any
) -> InvestigationReport:
    """The investigation report was submitted on a day: its clock stops (met or late)."""
    assert accident.latest is not None
    if submitted_on > timezone.localdate():
        raise ValidationError("提交日期不能晚于今天。")
    if submitted_on < accident.latest.occurred_on:
        raise ValidationError("提交日期不能早于事故发生日期。")
    with transaction.atomic():
        Accident.objects.select_for_update().get(pk=accident.pk)
        if InvestigationReport.objects.filter(accident=accident).exists():
            raise ValidationError("调查报告已登记。")
        done = InvestigationReport.objects.create(
            town=accident.town,
            accident=accident,
            submitted_on=submitted_on,
            note=note.strip(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            "accidents.investigation",
            actor=actor,
            obj=accident,
            changes={"submitted_on": submitted_on.isoformat(), "note": done.note},
        )
    return done


def record_finding(*, accident: Accident, kind: str, reason: str, actor: Any) -> Finding:
    """The 安委办's determination that the accident was concealed (瞒报), falsified (谎报) or left out (漏报)."""
    reason = reason.strip()
    errors = []
    if kind not in FindingKind.values:
        errors.append("认定类型无效。")
    if not reason:
        errors.append("请填写认定理由。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        finding = Finding.objects.create(
            town=accident.town,
            accident=accident,
            kind=kind,
            reason=reason,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit("accidents.finding", actor=actor, obj=accident, changes={"kind": kind, "reason": reason})
    return finding


def holder_user(task: OnSiteTask) -> Any:
    """The account of the task's holder, if they have one."""
    if task.person_id is None:
        return None
    person = Person.objects.filter(pk=task.person_id).select_related("user").first()
    return person.user if person is not None else None
