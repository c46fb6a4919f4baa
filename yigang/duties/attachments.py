"""Attachments as evidence: the type is read from the content (magic bytes), never from the name or the
browser's claim; the size is limited; the name is cleaned; the SHA-256 is kept and checked when served.

Files are stored under settings.MEDIA_ROOT (VAR_DIR/uploads, outside the web root) at a path the server
chooses; they are served only by the view that checks the user's scope.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

# What evidence looks like: photos from phones, scans, PDF, and Word/Excel minutes.
ALLOWED: dict[str, str] = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
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


def clean_name(raw: str, extension: str) -> str:
    """A display name without paths, control or reserved characters, ending in the extension of its real type."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._") or "附件"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" ._")[:80] or "附件"
    return f"{stem}.{extension}"


def check(upload: IO[bytes], raw_name: str) -> CheckedFile:
    """Read and vet one upload; raise ValidationError with a Chinese message naming the file."""
    shown = (raw_name or "附件").rsplit("/", 1)[-1][:80]
    limit = max_bytes()
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError(f"附件“{shown}”是空文件。")
    if len(data) > limit:
        raise ValidationError(f"附件“{shown}”过大：每个附件不能超过 {limit // 1024 // 1024} MB。")
    kind = filetype.guess(data)
    mime = kind.mime if kind is not None else ""
    if mime not in ALLOWED:
        raise ValidationError(
            f"附件“{shown}”的内容不是允许的类型（照片 JPG/PNG/WebP/HEIC、PDF、Word、Excel），未保存。"
        )
    return CheckedFile(
        name=clean_name(raw_name, ALLOWED[mime]),
        content_type=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def store(town_id: int, checked: CheckedFile) -> str:
    """Write the bytes under MEDIA_ROOT at a server-chosen path; return that path."""
    now = timezone.localtime()
    path = f"duties/{town_id}/{now:%Y/%m}/{uuid.uuid4().hex}.{ALLOWED[checked.content_type]}"
    return default_storage.save(path, ContentFile(checked.data))


def read_verified(path: str, sha256: str) -> bytes:
    """The stored bytes, refused if they no longer match the checksum taken at upload."""
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValidationError("附件校验失败：文件内容与上传时的校验值不一致，可能已被篡改。")
    return data
