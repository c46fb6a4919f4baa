"""The files attached to a report: checked, stored (and removed again if the write fails), audited."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from yigang.evidence import uploads
from yigang.towns.models import Town

from ..models import Attachment, Report


@dataclass
class Upload:
    """An uploaded file as the views and the API hand it over."""

    file: Any
    name: str


def _check_files(files: Sequence[Upload]) -> list[uploads.CheckedFile]:
    return uploads.check_all(files)


def _stored(checked: list[uploads.CheckedFile], town: Town) -> AbstractContextManager[list[str]]:
    """Write the files; removed again if anything after fails (nothing half-saved)."""
    return uploads.stored(town.pk, checked, "accidents")


def _attach(report: Report, checked: list[uploads.CheckedFile], paths: list[str], actor: Any) -> None:
    Attachment.objects.bulk_create(
        Attachment(
            town=report.town,
            accident=report.accident,
            report=report,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            **item.fields(path),
        )
        for path, item in zip(paths, checked, strict=True)
    )


def _files_audit(checked: list[uploads.CheckedFile]) -> list[dict[str, Any]]:
    return [{"name": c.name, "sha256": c.sha256, "size": c.size} for c in checked]
