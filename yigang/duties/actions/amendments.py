"""Correcting a duty record: a new version with a reason, or a withdrawal; the earlier version stays unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from yigang.audit.log import record as audit

from ..models import DutyRecord, Source
from .checks import RecordData, Upload, _check_files, _check_requirements, _clean
from .records import _save, _snapshot, _stored_files


def record_data(entry: DutyRecord) -> RecordData:
    """A record's content, to start an amendment from."""
    credits = list(entry.credits.select_related("post"))
    return RecordData(
        kind=entry.kind,
        occurred_at=entry.occurred_at,
        title=entry.title,
        place=entry.place,
        summary=entry.summary,
        participants=entry.participants,
        posts=[c.post for c in credits],
        findings=entry.findings,
        # None when every credited post led it: an amendment that changes the posts keeps that meaning.
        led=None if all(c.led for c in credits) else [c.post for c in credits if c.led],
    )


def amend_record(
    *,
    record: DutyRecord,
    data: RecordData,
    reason: str,
    files: Sequence[Upload] = (),
    withdraw: bool = False,
    source: str = Source.FORM,
    actor: Any,
) -> DutyRecord:
    """Correct a record by adding a new version with a reason; the earlier version stays, visible, unchanged.

    `withdraw=True` says the record should not have been entered: the new version keeps its content and counts
    for nothing.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写更正理由。")
    if len(reason) > 1000:
        raise ValidationError("更正理由不能超过 1000 个字。")
    town = record.town
    data = _clean(data, town, actor, entered_at=record.entered_at)
    checked = _check_files(files)
    if not withdraw:
        _check_requirements(town, data, checked, source, previous=record)
    with _stored_files(town, checked) as paths, transaction.atomic():
        latest = DutyRecord.objects.select_for_update().get(pk=record.pk)
        if DutyRecord.objects.filter(amends=latest).exists():
            raise ValidationError("该记录已有更正版本：请在最新版本上更正。")
        if latest.withdrawn:
            raise ValidationError("该记录已撤销，不能再更正。")
        before = _snapshot(record_data(latest))
        try:
            with transaction.atomic():
                entry = _save(
                    town=town,
                    data=data,
                    files=checked,
                    paths=paths,
                    actor=actor,
                    source=source,
                    previous=latest,
                    reason=reason,
                    withdrawn=withdraw,
                )
        except IntegrityError:
            raise ValidationError("该记录刚被他人更正：请刷新后在最新版本上更正。") from None
        after = _snapshot(data)
        audit(
            "duties.record.amend",
            actor=actor,
            obj=entry,
            changes={
                "amends": latest.pk,
                "version": entry.version,
                "reason": reason,
                "withdrawn": withdraw,
                "fields": {k: [before[k], after[k]] for k in after if before[k] != after[k]},
                "attachments": [{"name": c.name, "sha256": c.sha256, "size": c.size} for c in checked],
            },
        )
    return entry
