"""Audit entries for data migrations that change a recorded fact (a post's level of responsibility …).

A data migration runs on historical models, with the audit table possibly not yet in its final shape, so it
cannot write a chained entry itself. It notes what it changed (`note`); when `migrate` has applied its whole
plan (post_migrate, connected in AuditConfig.ready), each note becomes one `system.migration` entry written by
the current code, on the object it changed and in its town, so the town's audit trail shows who changed the
fact: the upgrade, naming the migration. A migration that changes nothing notes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EVENT = "system.migration"


@dataclass
class Note:
    migration: str
    object_type: str  # "app_label.Model" of the current code
    object_id: int
    changes: dict[str, Any]


_pending: list[Note] = []


def note(migration: str, object_type: str, object_id: int, changes: dict[str, Any]) -> None:
    _pending.append(Note(migration, object_type, object_id, changes))


def write_notes(**kwargs: Any) -> int:
    """Write the pending notes as audit entries (post_migrate: once the schema is the current one)."""
    if not _pending:
        return 0
    from django.apps import apps
    from django.db import transaction

    from .log import record

    written = 0
    with transaction.atomic():
        while _pending:
            found = _pending.pop(0)
            model = apps.get_model(found.object_type)
            obj = model._default_manager.filter(pk=found.object_id).first()
            town = getattr(obj, "town", None) if obj is not None else None
            if town is None and obj is not None and hasattr(obj, "regulation"):
                town = obj.regulation.town
            record(
                EVENT,
                obj=obj,
                town=town,
                changes={"migration": found.migration, **found.changes},
                object_repr="" if obj is not None else f"{found.object_type} {found.object_id}",
            )
            written += 1
    return written
