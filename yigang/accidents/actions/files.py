"""The files attached to a report: checked, stored (and removed again if the write fails), audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from yigang.evidence import uploads
from yigang.towns.models import Town

from ..models import Attachment, Report


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
