"""Distribution: the open tasks of a town made to match the register, the regulation and the letters on a day."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record
from yigang.org.chain import regulation_at
from yigang.regulations.models import Regulation, Status
from yigang.towns.models import Town

from .. import slots as slotting
from ..models import Document, Kind, Task


@dataclass
class SyncResult:
    created: list[Task] = field(default_factory=list)
    ended: int = 0
    warnings: list[str] = field(default_factory=list)

    def add(self, other: SyncResult) -> None:
        self.created.extend(other.created)
        self.ended += other.ended
        self.warnings.extend(other.warnings)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.ended)


def _sync(document: Document, wanted: Sequence[slotting.Slot], reason_changed: str) -> SyncResult:
    """Make the open tasks of `document` match `wanted`: keep identical ones, end the rest, open the new."""
    result = SyncResult()
    now = timezone.now()
    open_tasks = {
        (t.post_id, t.person_id, t.letter_id, t.side): t
        for t in Task.objects.select_for_update().filter(document=document, ended_at__isnull=True)
    }
    wanted_by_key = {slot.key: slot for slot in wanted}
    # End first, then open: a letter's side has one open task, so the old holder's must end before the new one's.
    for key, task in open_tasks.items():
        slot = wanted_by_key.get(key)
        if slot is None:
            _end(task, now, "不再任职")
        elif task.text_sha256 != slot.sha256:
            _end(task, now, reason_changed)
        else:
            continue
        result.ended += 1
    for key, slot in wanted_by_key.items():
        task = open_tasks.get(key)
        if task is not None and task.ended_at is None:
            continue
        result.created.append(
            Task.objects.create(
                document=document,
                post=slot.post,
                person_id=slot.person_id,
                letter=slot.letter,
                side=slot.side,
                regulation=slot.regulation,
                title=slot.title[:300],
                text=slot.text,
                text_sha256=slot.sha256,
            )
        )
    return result


def _end(task: Task, now: datetime.datetime, reason: str) -> None:
    task.ended_at = now
    task.end_reason = reason
    task.save(update_fields=["ended_at", "end_reason"])


def _end_superseded(town: Town, regulation: Regulation) -> int:
    """Close what is still open for an earlier version: it can no longer be confirmed, and keeping it open would
    count its holders as missing for ever. Their confirmation of the version in force is asked anew."""
    now = timezone.now()
    stale = (
        Task.objects.select_for_update(of=("self",))  # PostgreSQL locks no row across the outer join
        .filter(
            document__town=town,
            document__kind=Kind.REGULATION,
            ended_at__isnull=True,
            confirmation__isnull=True,  # a confirmation given stays the record it is
        )
        .exclude(document__regulation=regulation)
    )
    ended = 0
    for task in stale:
        _end(task, now, "制度已修订，请确认现行版本")
        ended += 1
    return ended


def _regulation_document(regulation: Regulation, actor: Any) -> Document:
    document = Document.objects.filter(kind=Kind.REGULATION, regulation=regulation).first()
    if document is None:
        document = Document.objects.create(
            town=regulation.town,
            kind=Kind.REGULATION,
            regulation=regulation,
            year=regulation.effective_from.year if regulation.effective_from else None,
            title=f"{regulation.title}（第{regulation.version}版）"[:300],
            issued_at=timezone.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return document


def _duty_list_document(town: Town, year: int, actor: Any) -> Document:
    document = Document.objects.filter(town=town, kind=Kind.DUTY_LIST, year=year).first()
    if document is None:
        document = Document.objects.create(
            town=town,
            kind=Kind.DUTY_LIST,
            year=year,
            title=f"{town.name}{year}年度安全生产责任清单确认",
            issued_at=timezone.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return document


def _sync_unlocked(town: Town, day: datetime.date, actor: Any) -> SyncResult:
    result = SyncResult()
    regulation = Regulation.objects.filter(town=town, status=Status.ACTIVE).first()
    if regulation is not None:
        result.ended += _end_superseded(town, regulation)
    if regulation is not None and regulation.effective_from and regulation.effective_from <= day:
        document = _regulation_document(regulation, actor)
        result.add(_sync(document, slotting.regulation_slots(document, day), "制度修订"))
    in_force_today = regulation_at(town, day)
    if in_force_today is not None:
        document = _duty_list_document(town, day.year, actor)
        result.add(
            _sync(document, slotting.duty_list_slots(document, in_force_today, day), "制度修订，清单变化")
        )
    for letters in Document.objects.filter(
        town=town, kind=Kind.TARGET_LETTER, year=day.year, issued_at__isnull=False
    ):
        result.add(_sync(letters, slotting.letter_slots(letters, day), "责任书变化"))
    return result


def sync_town(*, town: Town, actor: Any, day: datetime.date | None = None) -> SyncResult:
    """Distribute what is due on `day`: the version in force, the year's duty lists, the year's issued letters.

    Safe to run any number of times; writes (and audits) only when a task opens or ends.
    """
    day = day or timezone.localdate()
    with transaction.atomic():
        Town.objects.select_for_update().filter(pk=town.pk).first()  # one sync of a town at a time
        result = _sync_unlocked(town, day, actor)
        if result.changed:
            record(
                "signoff.distribute",
                actor=actor,
                town=town,
                changes={"date": day, "opened": len(result.created), "ended": result.ended},
            )
    return result


def distribute_regulation(
    *, regulation: Regulation, actor: Any, day: datetime.date | None = None
) -> SyncResult:
    """The officer's "distribute": send the version in force to every current holder of a post it names."""
    if regulation.status != Status.ACTIVE:
        with transaction.atomic():
            record(
                "signoff.distribute",
                actor=actor,
                obj=regulation,
                success=False,
                changes={"reason": "not active"},
            )
        raise ValidationError("只能下发现行有效的制度版本；草稿须先审核启用，已被替代的版本不再下发。")
    return sync_town(town=regulation.town, actor=actor, day=day)
