"""The report's versions: the first report, each change (a correction or a 补报), and the grade they give."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.towns.models import Town

from .. import clocks, grading
from ..models import Accident, Closure, OnSiteTask, Report, Source
from ..notices import notify_leaders
from .files import Upload, _attach, _check_files, _files_audit, _stored
from .on_site import _create_tasks, freeze_chain
from .reports import CASUALTY_FIELDS, ReportData, _aware, clean, made_at_errors, report_data, snapshot


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
            chain=freeze_chain(data.sector, data.village, day, data.unit),
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


def _checked_change(reason: str, made_at: datetime.datetime | None) -> tuple[str, datetime.datetime]:
    """A change's reason and moment (now when not given), checked before the report itself is."""
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
    return reason, made_at


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
    reason, made_at = _checked_change(reason, made_at)
    data = clean(data, accident.town)
    if before_accident := made_at_errors(made_at, data.occurred_at):
        raise ValidationError(before_accident)
    checked = _check_files(files)
    with _stored(checked, accident.town) as paths, transaction.atomic():
        # Lock the accident row only: `latest` is a nullable join, which PostgreSQL will not lock FOR UPDATE.
        locked = Accident.objects.select_for_update(of=("self",)).select_related("latest").get(pk=accident.pk)
        previous = locked.latest
        assert previous is not None
        if Closure.objects.filter(accident_id=locked.pk).exists():
            raise ValidationError("事故已结案，报告不能再变更或补报。")
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
