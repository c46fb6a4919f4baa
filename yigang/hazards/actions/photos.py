"""A hazard's photos: vetted as images, written to storage, removed again if the write after them fails."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from yigang.evidence import uploads
from yigang.towns.models import Town

from ..models import Hazard, Photo
from .base import Upload, _user

MAX_PHOTOS = 9


def check_photos(files: Sequence[Upload]) -> list[uploads.CheckedFile]:
    """Vet photos with the shared upload check (`uploads.check`); only images are photos."""
    return uploads.check_all(
        files, limit=MAX_PHOTOS, too_many="照片不能超过 {n} 张。", kinds=uploads.IMAGES, field="photos"
    )


def _stored(town: Town, files: list[uploads.CheckedFile]) -> AbstractContextManager[list[str]]:
    """Write the photos; removed again if anything after fails (nothing half-saved)."""
    return uploads.stored(town.pk, files, "hazards")


def _save_photos(
    hazard: Hazard, stage: str, files: list[uploads.CheckedFile], paths: list[str], actor: Any
) -> None:
    Photo.objects.bulk_create(
        Photo(
            town_id=hazard.town_id,
            hazard=hazard,
            stage=stage,
            uploaded_by=_user(actor),
            **c.fields(path),
        )
        for c, path in zip(files, paths, strict=True)
    )
