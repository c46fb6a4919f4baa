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
from yigang.towns.reauth import require_word

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


@dataclass
class Change:
    """What a distribution does to one document: the slots that get a task, the open tasks that end and why."""

    document: Document
    opens: list[slotting.Slot] = field(default_factory=list)
    ends: list[tuple[Task, str]] = field(default_factory=list)


def _diff(document: Document, wanted: Sequence[slotting.Slot], reason_changed: str, *, lock: bool) -> Change:
    """What making the open tasks of `document` match `wanted` takes: keep identical ones, end the rest, open
    the new. Reads only (a document not yet saved has no tasks)."""
    change = Change(document)
    open_tasks: dict[Any, Task] = {}
    if document.pk is not None:
        query = Task.objects.filter(document=document, ended_at__isnull=True).select_related("person", "post")
        open_tasks = {
            (t.post_id, t.person_id, t.letter_id, t.side): t
            for t in (query.select_for_update(of=("self",)) if lock else query)
        }
    wanted_by_key = {slot.key: slot for slot in wanted}
    for key, task in open_tasks.items():
        slot = wanted_by_key.get(key)
        if slot is None:
            change.ends.append((task, "不再任职"))
        elif task.text_sha256 != slot.sha256:
            change.ends.append((task, reason_changed))
    ending = {ended.pk for ended, _ in change.ends}
    for key, slot in wanted_by_key.items():
        kept = open_tasks.get(key)
        if kept is None or kept.pk in ending:
            change.opens.append(slot)
    return change


def _sync(document: Document, wanted: Sequence[slotting.Slot], reason_changed: str) -> SyncResult:
    """Make the open tasks of `document` match `wanted`: keep identical ones, end the rest, open the new."""
    change = _diff(document, wanted, reason_changed, lock=True)
    result = SyncResult()
    now = timezone.now()
    # End first, then open: a letter's side has one open task, so the old holder's must end before the new one's.
    for task, reason in change.ends:
        _end(task, now, reason)
        result.ended += 1
    for slot in change.opens:
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


def _superseded(town: Town, regulation: Regulation) -> Any:
    """What is still open for an earlier version: it can no longer be confirmed, and keeping it open would count
    its holders as missing for ever. Their confirmation of the version in force is asked anew."""
    return Task.objects.filter(
        document__town=town,
        document__kind=Kind.REGULATION,
        ended_at__isnull=True,
        confirmation__isnull=True,  # a confirmation given stays the record it is
    ).exclude(document__regulation=regulation)


def _end_superseded(town: Town, regulation: Regulation) -> int:
    now = timezone.now()
    # PostgreSQL locks no row across the outer join: lock the tasks' own rows.
    stale = _superseded(town, regulation).select_for_update(of=("self",))
    ended = 0
    for task in stale:
        _end(task, now, "制度已修订，请确认现行版本")
        ended += 1
    return ended


def _regulation_document(regulation: Regulation, actor: Any, *, save: bool = True) -> Document:
    document = Document.objects.filter(kind=Kind.REGULATION, regulation=regulation).first()
    if document is None:
        document = (Document.objects.create if save else Document)(
            town=regulation.town,
            kind=Kind.REGULATION,
            regulation=regulation,
            year=regulation.effective_from.year if regulation.effective_from else None,
            title=f"{regulation.title}（第{regulation.version}版）"[:300],
            issued_at=timezone.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return document


def _duty_list_document(town: Town, year: int, actor: Any, *, save: bool = True) -> Document:
    document = Document.objects.filter(town=town, kind=Kind.DUTY_LIST, year=year).first()
    if document is None:
        document = (Document.objects.create if save else Document)(
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


@dataclass
class Preview:
    """What a distribution on `day` would do, before anyone confirms it (the page shows it)."""

    day: datetime.date
    changes: list[Change] = field(default_factory=list)
    superseded: list[Task] = field(default_factory=list)

    @property
    def opens(self) -> int:
        return sum(len(c.opens) for c in self.changes)

    @property
    def ends(self) -> int:
        return sum(len(c.ends) for c in self.changes) + len(self.superseded)

    @property
    def people(self) -> list[str]:
        """Who gets a new task (each once, in order)."""
        from yigang.org.models import Person

        ids = list(dict.fromkeys(slot.person_id for c in self.changes for slot in c.opens))
        names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
        return [names[i] for i in ids if i in names]


def preview(*, town: Town, day: datetime.date | None = None) -> Preview:
    """What `distribute` would do on `day`, computed by the same rules and writing nothing."""
    day = day or timezone.localdate()
    found = Preview(day)
    regulation = Regulation.objects.filter(town=town, status=Status.ACTIVE).first()
    if regulation is not None:
        found.superseded = list(_superseded(town, regulation).select_related("person", "post"))
    if regulation is not None and regulation.effective_from and regulation.effective_from <= day:
        document = _regulation_document(regulation, None, save=False)
        found.changes.append(
            _diff(document, slotting.regulation_slots(document, day), "制度修订", lock=False)
        )
    in_force_today = regulation_at(town, day)
    if in_force_today is not None:
        document = _duty_list_document(town, day.year, None, save=False)
        wanted = slotting.duty_list_slots(document, in_force_today, day)
        found.changes.append(_diff(document, wanted, "制度修订，清单变化", lock=False))
    for letters in Document.objects.filter(
        town=town, kind=Kind.TARGET_LETTER, year=day.year, issued_at__isnull=False
    ):
        found.changes.append(_diff(letters, slotting.letter_slots(letters, day), "责任书变化", lock=False))
    found.changes = [c for c in found.changes if c.opens or c.ends]
    return found


def sync_town(*, town: Town, actor: Any, day: datetime.date | None = None) -> SyncResult:
    """Distribute what is due on `day`: the version in force, the year's duty lists, the year's issued letters.

    Safe to run any number of times; writes (and audits) only when a task opens or ends. This is the system's
    run (`yigang remind`, `yigang signoff distribute`, the demo loader); an officer distributing from a page or
    the API goes through `distribute`, which asks for their password first.
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


def distribute(
    *,
    town: Town,
    actor: Any,
    secret: str | None = None,
    day: datetime.date | None = None,
    ip: str | None = None,
) -> SyncResult:
    """The officer's deliberate "下发": binds every holder who gets a task to confirm its exact text, so the
    officer re-enters their password (or TOTP code) first. A refusal distributes nothing and is audited as a
    failed `signoff.distribute` (a wrong secret with kind `bad_credential`, counting toward the lockout).
    No actor is the system (`sync_town` directly)."""
    require_word(actor, secret, "下发", "signoff.distribute", ip=ip, town=town)
    return sync_town(town=town, actor=actor, day=day)


def distribute_regulation(
    *,
    regulation: Regulation,
    actor: Any,
    secret: str | None = None,
    day: datetime.date | None = None,
    ip: str | None = None,
) -> SyncResult:
    """The officer's "distribute" of a version: send the version in force to every current holder of a post
    it names (with the officer's password, as `distribute`)."""
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
    return distribute(town=regulation.town, actor=actor, secret=secret, day=day, ip=ip)
