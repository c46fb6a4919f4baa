"""Entering one duty record by hand: stored with its files, credits and holders, once per idempotency key."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.evidence import uploads
from yigang.org import selectors
from yigang.regulations.periods import local_date
from yigang.towns.models import Town

from ..models import Attachment, Credit, DutyRecord, RecordRules, Source
from ..rules import is_late
from .checks import RecordData, Upload, _check_files, _check_requirements, _clean


def _stored_files(town: Town, files: list[uploads.CheckedFile]) -> AbstractContextManager[list[str]]:
    """Write the files; removed again if anything after fails (nothing half-saved)."""
    return uploads.stored(town.pk, files, "duties")


def _save(
    *,
    town: Town,
    data: RecordData,
    files: list[uploads.CheckedFile],
    paths: list[str],
    actor: Any,
    source: str,
    previous: DutyRecord | None = None,
    reason: str = "",
    withdrawn: bool = False,
    entered_at: datetime.datetime | None = None,
) -> DutyRecord:
    user = actor if getattr(actor, "is_authenticated", False) else None
    # An amendment keeps the first entry's time: 补录 is about when the evidence came in.
    entered = previous.entered_at if previous else (entered_at or timezone.now())
    entry = _new_record(
        town=town,
        data=data,
        entered=entered,
        late_after=RecordRules.for_town(town).late_after_days,
        source=source,
        user=user,
        previous=previous,
        reason=reason,
        withdrawn=withdrawn,
    )
    entry.save(force_insert=True)
    Credit.objects.bulk_create(
        _credits(town, entry, data, selectors.holder_ids(data.posts, entry.occurred_on))
    )
    Attachment.objects.bulk_create(
        Attachment(
            town=town,
            record=entry,
            uploaded_by=user,
            **checked.fields(path),
        )
        for path, checked in zip(paths, files, strict=True)
    )
    return entry


def _new_record(
    *,
    town: Town,
    data: RecordData,
    entered: datetime.datetime,
    late_after: int,
    source: str,
    user: Any,
    previous: DutyRecord | None = None,
    reason: str = "",
    withdrawn: bool = False,
) -> DutyRecord:
    """The unsaved row of a cleaned record: the one place its stored fields (补录 included) are worked out, for a
    record entered by hand and for a bulk import alike."""
    occurred_on = local_date(data.occurred_at)
    return DutyRecord(
        town=town,
        kind=data.kind,
        occurred_at=data.occurred_at,
        occurred_on=occurred_on,
        title=data.title,
        place=data.place,
        participants=data.participants,
        summary=data.summary,
        findings=data.findings,
        entered_at=entered,
        is_late=is_late(local_date(entered), occurred_on, late_after),
        version=previous.version + 1 if previous else 1,
        root_id=previous.chain_root_id if previous else None,
        amends=previous,
        reason=reason,
        withdrawn=withdrawn,
        source=source,
        created_by=user,
    )


def _credits(town: Town, entry: DutyRecord, data: RecordData, holders: dict[int, int | None]) -> list[Credit]:
    return [
        Credit(
            town=town,
            record=entry,
            post=post,
            person_id=holders[post.pk],
            led=data.led is None or post in data.led,
        )
        for post in data.posts
    ]


def create_record(
    *,
    town: Town,
    data: RecordData,
    files: Sequence[Upload] = (),
    source: str = Source.FORM,
    entered_at: datetime.datetime | None = None,
    client_key: str | None = None,
    actor: Any,
) -> DutyRecord:
    """Submit a duty record (履职记录) crediting one or more posts; once saved it can only be amended.

    `entered_at` (when the demo's fictional records were entered) is the demo loader's alone: every other entry
    is stamped with the server's time. The same `client_key` sent again by the same person (a phone sending what
    it kept offline, then retrying) returns the record already saved and saves nothing. Raises ValidationError
    (nothing saved) with every problem found, in Chinese.
    """
    if entered_at is not None and source != Source.DEMO:
        raise ValueError("only the demo loader sets the entry time")
    key = (client_key or "").strip()
    if len(key) > 100 or "\x00" in key:
        raise ValidationError("幂等键不能超过 100 个字符，且不能含有无效字符。")
    if key and (found := _sent_before(town, key, actor)) is not None:
        return found
    data = _clean(data, town, actor)
    checked = _check_files(files)
    _check_requirements(town, data, checked, source)
    try:
        with _stored_files(town, checked) as paths, transaction.atomic():
            entry = _save(
                town=town,
                data=data,
                files=checked,
                paths=paths,
                actor=actor,
                source=source,
                entered_at=entered_at,
            )
            if key:
                entry.client_key = key
                entry.save(update_fields=["client_key"])
            audit(
                "duties.record.create",
                actor=actor,
                obj=entry,
                changes={
                    **_snapshot(data),
                    "source": source,
                    "entered_at": timezone.localtime(entry.entered_at).isoformat(),
                    "is_late": entry.is_late,
                    "attachments": [{"name": c.name, "sha256": c.sha256, "size": c.size} for c in checked],
                },
            )
    except IntegrityError:
        if key and (found := _sent_before(town, key, actor)) is not None:
            return found  # the same key won a race a moment ago: that record is this one
        raise
    return entry


def _sent_before(town: Town, key: str, actor: Any) -> DutyRecord | None:
    found = DutyRecord.objects.filter(town=town, client_key=key).first()
    if found is None:
        return None
    if found.created_by_id != getattr(actor, "pk", None):
        raise ValidationError("该幂等键已被另一次提交使用，请为新的记录生成新的键。")
    return found


def _snapshot(data: RecordData) -> dict[str, Any]:
    return {
        "kind": data.kind,
        "occurred_at": timezone.localtime(data.occurred_at).isoformat(),
        "title": data.title,
        "place": data.place,
        "participants": data.participants,
        "summary": data.summary,
        "findings": data.findings,
        "posts": sorted(p.title for p in data.posts),
        "led": sorted(p.title for p in (data.posts if data.led is None else data.led)),
    }
