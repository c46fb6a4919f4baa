"""Checks on what comes in from outside, shared by the forms, the API, the imports and the command line.

- Text: characters no one types and no document format can hold — C0 and C1 control characters (but tab,
  line feed and carriage return), DEL, lone surrogates and Unicode non-characters (U+FFFE, U+FFFF, U+FDD0…).
  Refused at the edge with a message naming the field and the character (`control_character`,
  `check_text`); the exports remove any that are already stored (yigang/exports/sanitise.py).
- Archives: an `.xlsx` or `.docx` is a zip archive; its entries are checked against limits (entry count, total
  size once expanded, expansion ratio) before any parser opens it, so a small "zip bomb" cannot take a worker's
  memory (`check_archive`). The sizes checked are the ones the archive declares; Python's zipfile never
  expands an entry beyond its declared size (it fails the CRC check instead).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

# Everything but \t \n \r below U+0020, DEL and C1, surrogates, the non-characters of the BMP and of every plane.
_REFUSED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


def control_character(text: str) -> tuple[int, str] | None:
    """The first refused character of `text` as (1-based position, "U+XXXX"), or None when the text is clean."""
    match = _REFUSED.search(text)
    if match is None:
        return None
    return match.start() + 1, f"U+{ord(match.group()):04X}"


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def spreadsheet_control_character(text: str) -> tuple[int, str] | None:
    """Like `control_character`, for a spreadsheet cell: Excel writes a control character as `_xHHHH_` in the
    file (openpyxl hands that over verbatim), so those escapes count as the character they stand for."""
    return control_character(_OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))


def strip_control_characters(text: str) -> str:
    """`text` without the refused characters (for writing out what is already stored)."""
    return _REFUSED.sub("", text)


def control_character_message(label: str, found: tuple[int, str]) -> str:
    position, code = found
    return (
        f"“{label}”含有不可见的控制字符（{code}，第 {position} 个字符），常见于从其他软件复制的文字。"
        "请删除该字符后重新提交。"
    )


def check_text(value: Any, label: str) -> None:
    """Raise ValidationError naming `label` when `value` (a string, or strings in lists and dicts) holds a
    refused character."""
    for text in _strings(value):
        found = control_character(text)
        if found is not None:
            raise ValidationError(control_character_message(label, found), code="control_character")


def first_control_character(fields: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> str | None:
    """The message for the first field (name, value) whose value holds a refused character, or None."""
    items = fields.items() if isinstance(fields, Mapping) else fields
    for name, value in items:
        for text in _strings(name, value):
            found = control_character(text)
            if found is not None:
                return control_character_message(str(name)[:60], found)
    return None


def _strings(*values: Any) -> Iterable[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping):
            yield from _strings(*value.keys(), *value.values())
        elif isinstance(value, list | tuple):
            yield from _strings(*value)


def parse_id(raw: object) -> int | None:
    """A database id typed into a query or form field: ASCII digits that fit a 64-bit integer, else None (a
    20-digit id matches nothing; it must not reach the database, which refuses it with an error)."""
    text = str(raw or "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) < 2**63:
        return int(text)
    return None


def local_path(request: Any, target: str | None, default: str = "/") -> str:
    """`target` when it is a path on this site ("/…"), else `default`: never a URL name (Django's redirect()
    would try to reverse "abc" and fail), never another site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = target or ""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return target


# ---------------------------------------------------------------- archives

MiB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """What an .xlsx or .docx Yigang reads may hold. A 5,000-row register or a 30-page regulation uses a small
    fraction of each; a legitimate file compresses its XML ten to thirty times."""

    entries: int = 1000
    total_bytes: int = 50 * MiB  # every entry expanded
    ratio: int = 100  # expanded ÷ compressed, for entries larger than `ratio_from_bytes`
    ratio_from_bytes: int = 1 * MiB


DEFAULT_LIMITS = ArchiveLimits()


class ArchiveRefused(ValueError):
    """The archive exceeds a limit; the text says which, in Chinese."""


class NotAnArchive(ArchiveRefused):
    """The bytes are no readable zip archive at all (callers say so in their own words)."""


def check_archive(data: bytes, *, what: str = "文件", limits: ArchiveLimits | None = None) -> None:
    """Refuse `data` before any parser sees it when it is no zip archive or would expand beyond the limits."""
    limits = limits or DEFAULT_LIMITS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise NotAnArchive(f"{what}不是有效的 Office 文件（压缩包已损坏或只是改了扩展名）。") from None
    if len(entries) > limits.entries:
        raise ArchiveRefused(
            f"{what}包含 {len(entries)} 个内部文件，超过上限 {limits.entries} 个，可能是恶意构造的文件，已拒绝。"
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > limits.total_bytes:
            raise ArchiveRefused(
                f"{what}解压后超过 {limits.total_bytes // MiB} MB，可能是恶意构造的压缩文件（“压缩炸弹”），已拒绝。"
                "正常的表格或文档远小于此。"
            )
        if entry.file_size > limits.ratio_from_bytes and entry.file_size > limits.ratio * max(
            entry.compress_size, 1
        ):
            raise ArchiveRefused(
                f"{what}中的“{entry.filename[:80]}”压缩比异常（超过 {limits.ratio} 倍），"
                "可能是恶意构造的压缩文件（“压缩炸弹”），已拒绝。"
            )


def year_param(request: Any, name: str = "year") -> int:
    """The year a page was asked for (`?year=2025`), 2000 to 2100; anything else means this year."""
    raw = request.GET.get(name, "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year
