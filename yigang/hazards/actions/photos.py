"""A hazard's photos: vetted as images, written to storage, removed again if the write after them fails."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from yigang.evidence import uploads
from yigang.towns.models import Town

from ..models import Hazard, Photo
from .base import Upload, _user

MAX_PHOTOS = 9


def check_photos(files: Sequence[Upload]) -> list[uploads.CheckedFile]:
    """Vet photos with the shared upload check (`uploads.check`); only images are photos."""
    if len(files) > MAX_PHOTOS:
        raise ValidationError({"photos": [f"照片不能超过 {MAX_PHOTOS} 张。"]})
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(uploads.check(upload.file, upload.name, kinds=uploads.IMAGES))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"photos": errors})
    return checked


@contextmanager
def _stored(town: Town, files: list[uploads.CheckedFile]) -> Iterator[list[str]]:
    """Write the photos; if anything after fails (rows roll back), remove them again: nothing half-saved."""
    paths: list[str] = []
    try:
        for checked in files:
            now = timezone.localtime()
            path = f"hazards/{town.pk}/{now:%Y/%m}/{uuid.uuid4().hex}.{uploads.ALLOWED[checked.content_type]}"
            paths.append(default_storage.save(path, ContentFile(checked.data)))
        yield paths
    except BaseException:
        for path in paths:
            default_storage.delete(path)
        raise


def _save_photos(
    hazard: Hazard, stage: str, files: list[uploads.CheckedFile], paths: list[str], actor: Any
) -> None:
    Photo.objects.bulk_create(
        Photo(
            town_id=hazard.town_id,
            hazard=hazard,
            stage=stage,
            file=path,
            name=c.name,
            content_type=c.content_type,
            size=c.size,
            sha256=c.sha256,
            uploaded_by=_user(actor),
        )
        for c, path in zip(files, paths, strict=True)
    )
