"""Entering many duty records at once (an .xlsx import): all checked, then all saved in bulk, or none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.org import selectors
from yigang.towns.models import Town

from .. import access
from ..models import Credit, DutyRecord, RecordRules, Source
from .checks import RecordData, _check_requirements, _clean
from .records import _credits, _new_record


class RecordsRefused(Exception):
    """Rows of a bulk entry that cannot be saved; nothing was saved. `errors`: (row index, message, refused) for
    every problem of every row, `refused` True where the row credits a post the writer may never credit (a 403
    and an audited refusal, as `CreditRefused` is for one record)."""

    def __init__(self, errors: list[tuple[int, str, bool]]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def _id_runs(ids: Sequence[int]) -> list[list[int]]:
    """[[first, last], …] of consecutive ids: the exact set, short whatever the database's sequence did."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


def create_records(
    *,
    town: Town,
    data: Sequence[RecordData],
    source: str = Source.IMPORT,
    event: str = "duties.record.import",
    details: dict[str, Any] | None = None,
    actor: Any,
) -> list[DutyRecord]:
    """Submit many records at once (an .xlsx import): every one checked as `create_record` checks one, then all
    saved in one transaction — or none, raising RecordsRefused with every problem of every row.

    The rows are written in bulk (stored exactly as `create_record` stores them: the same 补录 mark, entry time,
    credits and holders) and the trail gets one entry for the whole batch: `details` (the file's name and
    SHA-256), how many records, their ids and entry time — not one entry per row. No attachments, no
    idempotency keys: those are for entries by hand.
    """
    if source in (Source.DEMO,):
        raise ValueError("the demo loader enters records one by one, with their own entry times")
    rights = access.CreditRights.load(actor, town)
    cleaned: list[RecordData] = []
    errors: list[tuple[int, str, bool]] = []
    for index, one in enumerate(data):
        try:
            row = _clean(one, town, actor, rights)
            _check_requirements(town, row, [], source)
        except access.CreditRefused as exc:
            errors.append((index, exc.message, True))
        except ValidationError as exc:
            errors.extend((index, message, False) for message in exc.messages)
        else:
            cleaned.append(row)
    if errors:
        raise RecordsRefused(errors)
    if not cleaned:
        raise ValidationError("没有要保存的记录。")
    user = actor if getattr(actor, "is_authenticated", False) else None
    entered = timezone.now()  # one moment for the batch: the whole file came in at once
    with transaction.atomic():
        late_after = RecordRules.for_town(town).late_after_days
        entries = DutyRecord.objects.bulk_create(
            [
                _new_record(
                    town=town, data=row, entered=entered, late_after=late_after, source=source, user=user
                )
                for row in cleaned
            ],
            batch_size=500,
        )
        if any(entry.pk is None for entry in entries):  # SQLite ≥ 3.35 and PostgreSQL return the new ids
            raise RuntimeError("the database did not return the new records' ids")
        # Every tenure of the credited posts read once; each record's day answered from it (not a query each).
        register = selectors.TenureBook.of_posts({p.pk for row in cleaned for p in row.posts})
        Credit.objects.bulk_create(
            [
                credit
                for entry, row in zip(entries, cleaned, strict=True)
                for credit in _credits(town, entry, row, register.holder_ids(row.posts, entry.occurred_on))
            ],
            batch_size=500,
        )
        audit(
            event,
            actor=actor,
            town=town,
            changes={
                **(details or {}),
                "source": source,
                "records": len(entries),
                "ids": _id_runs([e.pk for e in entries]),
                "entered_at": timezone.localtime(entered).isoformat(),
                "late": sum(e.is_late for e in entries),
            },
            object_repr=f"{len(entries)} 条履职记录",
        )
    return entries
