"""Uploads as evidence: the type is read from the content (magic bytes), never from the name or the
browser's claim; the size is limited; the name is cleaned; the SHA-256 is kept and checked when served.

`check` is the one check of every stored upload — duty attachments, hazard photos, accident attachments,
assessment evidence and the scans of signed paper all call it (a caller may narrow the types with `kinds`):
beyond the type and the size, a Word or Excel file is checked as the imports check theirs (entry count and
size once expanded, `yigang.inputs.check_archive`) and an image must decode within a pixel limit
(`yigang.images.check_image`). Serving is `yigang.evidence.download`.

Files are stored under settings.MEDIA_ROOT (VAR_DIR/uploads, outside the web root) at a path the server
chooses; they are served only by the view that checks the user's scope.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

# What evidence looks like: photos from phones, scans, PDF, and Word/Excel minutes. (HEIC is not taken: no
# decoder here can check it, and no browser but Safari shows it; an iPhone sends its photos as JPEG to a web
# form unless told otherwise.)
ALLOWED: dict[str, str] = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})
OFFICE = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)
# A scan of signed paper, a photo of a hazard: what each kind of upload may be, and how to say so.
SCAN_KINDS = IMAGES | {"application/pdf"}
KIND_NAMES = {
    frozenset(ALLOWED): "照片 JPG/PNG/WebP、PDF、Word、Excel",
    SCAN_KINDS: "扫描件须为图片（JPG/PNG/WebP）或 PDF",
    IMAGES: "照片须为 JPG/PNG/WebP",
}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 20
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def max_bytes() -> int:
    return int(getattr(settings, "DUTY_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str
    data: bytes

    def fields(self, path: str) -> dict[str, Any]:
        """The `StoredFile` fields of this file once written at `path`: what every evidence row is made with."""
        return {
            "file": path,
            **{name: getattr(self, name) for name in ("name", "content_type", "size", "sha256")},
        }


def clean_name(raw: str, extension: str) -> str:
    """A display name without paths, control or reserved characters, ending in the extension of its real type."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._") or "附件"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" ._")[:80] or "附件"
    return f"{stem}.{extension}"


def check(upload: IO[bytes], raw_name: str, *, kinds: frozenset[str] | None = None) -> CheckedFile:
    """Read and vet one upload; raise ValidationError with a Chinese message naming the file.

    `kinds` narrows the types taken (`SCAN_KINDS`, `IMAGES`); by default every type of `ALLOWED`."""
    from yigang import images, inputs

    allowed = kinds or frozenset(ALLOWED)
    shown = (raw_name or "附件").rsplit("/", 1)[-1][:80]
    limit = max_bytes()
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError(f"附件“{shown}”是空文件。")
    if len(data) > limit:
        raise ValidationError(f"附件“{shown}”过大：每个附件不能超过 {limit // 1024 // 1024} MB。")
    kind = filetype.guess(data)
    mime = kind.mime if kind is not None else ""
    if mime not in ALLOWED or mime not in allowed:
        if allowed == IMAGES:
            raise ValidationError(f"“{shown}”不是照片：内容不是允许的类型（JPG/PNG/WebP），未保存。")
        said = KIND_NAMES.get(allowed, KIND_NAMES[frozenset(ALLOWED)])
        raise ValidationError(f"附件“{shown}”的内容不是允许的类型（{said}），未保存。")
    if mime in OFFICE:
        try:
            inputs.check_archive(data, what=f"附件“{shown}”")
        except inputs.ArchiveRefused as exc:
            raise ValidationError(str(exc)) from None
    elif mime in IMAGES:
        images.check_image(data, mime, shown)
    return CheckedFile(
        name=clean_name(raw_name, ALLOWED[mime]),
        content_type=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def check_all(
    files: Sequence[Any],
    *,
    limit: int = MAX_FILES,
    too_many: str = "附件不能超过 {n} 个。",
    kinds: frozenset[str] | None = None,
    field: str | None = None,
) -> list[CheckedFile]:
    """Vet every upload of one form (each has `.file` and `.name`) and say every refusal at once; `field` names
    the form field the messages belong to."""

    def refuse(messages: list[str]) -> ValidationError:
        return ValidationError({field: messages}) if field else ValidationError(messages)

    if len(files) > limit:
        raise refuse([too_many.format(n=limit)])
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(check(upload.file, upload.name, kinds=kinds))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise refuse(errors)
    return checked


def store(town_id: int, checked: CheckedFile, folder: str = "duties") -> str:
    """Write the bytes under MEDIA_ROOT at a server-chosen path; return that path."""
    now = timezone.localtime()
    path = f"{folder}/{town_id}/{now:%Y/%m}/{uuid.uuid4().hex}.{ALLOWED[checked.content_type]}"
    return default_storage.save(path, ContentFile(checked.data))


@contextmanager
def stored(town_id: int, files: Sequence[CheckedFile], folder: str) -> Iterator[list[str]]:
    """Write the files; if anything after fails (rows roll back), remove them again: nothing half-saved."""
    paths: list[str] = []
    try:
        for checked in files:
            paths.append(store(town_id, checked, folder))
        yield paths
    except BaseException:
        for path in paths:
            default_storage.delete(path)
        raise


def read_verified(path: str, sha256: str) -> bytes:
    """The stored bytes, refused if they no longer match the checksum taken at upload."""
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValidationError("附件校验失败：文件内容与上传时的校验值不一致，可能已被篡改。")
    return data
