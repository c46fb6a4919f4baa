"""Uploaded bytes → normalised text, or a :class:`SourceError` a town officer can act on.

Accepted: ``.txt`` in UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030 (strict UTF-8 is
tried first, then GB18030); ``.docx`` (paragraphs and table cells in document order, automatic
numbering written out). Everything else is refused with a Simplified-Chinese message.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import PurePath

from yigang.inputs import strip_control_characters

from .errors import SourceError
from .normalise import normalise

MAX_SOURCE_BYTES = 10 * 1024 * 1024

_TEXT_SUFFIXES = {".txt", ".text"}
_WORD_SUFFIXES = {".docx"}
# Share of control characters above which decoded bytes are taken for binary data.
_MAX_CONTROL_SHARE = 0.05


def read_source(data: bytes, filename: str) -> str:
    """Decode and normalise an uploaded ``.txt`` or ``.docx`` file."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in _TEXT_SUFFIXES | _WORD_SUFFIXES:
        shown = suffix or "（无扩展名）"
        hint = "；旧版 Word（.doc）请在 Word 中另存为 .docx" if suffix == ".doc" else ""
        raise SourceError(f"不支持的文件类型“{shown}”，请上传 .txt 文本文件或 .docx Word 文档{hint}。")
    if not data:
        raise SourceError("文件为空，请选择含有制度全文的文件。")
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(
            f"文件过大（{len(data) / 1024 / 1024:.1f} MB），上限为 {MAX_SOURCE_BYTES // 1024 // 1024} MB。"
        )
    if suffix in _WORD_SUFFIXES:
        from .docx_text import docx_text  # python-docx is only needed for Word files

        raw = docx_text(data)
    else:
        raw = decode_text(data)
    # normalise() drops control characters; what it keeps that no document may hold (U+FFFE …) goes too.
    text = strip_control_characters(normalise(raw))
    if not text:
        raise SourceError("文件为空：没有读到任何文字。")
    return text


def decode_text(data: bytes) -> str:
    """Bytes of a text file → str; SourceError("不是文本文件…") for binary data."""
    text: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try(data, "utf-16")
    elif data.startswith(codecs.BOM_UTF8):
        text = _try(data, "utf-8-sig")
    elif b"\x00" not in data:
        text = _try(data, "utf-8")
        if text is None:
            text = _try(data, "gb18030")
    if text is None or _mostly_control(text):
        raise SourceError(
            "不是文本文件：无法按 UTF-8、GBK 或 UTF-16 读出文字。"
            "请上传 .txt 文本文件，或直接上传 .docx Word 文档。"
        )
    return text


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _mostly_control(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if ch not in "\n\r\t\f\v" and unicodedata.category(ch) == "Cc")
    return controls > max(2, len(text) * _MAX_CONTROL_SHARE)
