"""The bytes of an uploaded notice → text: a .txt file (UTF-8 with or without BOM, UTF-16 with BOM, GBK/GB18030)
or a .docx document (its paragraphs; the archive is checked for zip bombs before python-docx opens it)."""

from __future__ import annotations

import codecs
import io
from pathlib import PurePath

from django.core.exceptions import ValidationError

from yigang.inputs import check_archive, strip_control_characters

MAX_UPLOAD = 512 * 1024


def read_file(data: bytes, name: str) -> str:
    if len(data) > MAX_UPLOAD:
        raise ValidationError("文件过大：放假安排通知不超过 512 KB。")
    if not data:
        raise ValidationError("文件为空，请选择含有通知全文的文件。")
    suffix = PurePath(name).suffix.lower()
    if suffix == ".docx":
        check_archive(data, what="Word 文档")
        from docx import Document

        try:
            text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        except Exception:  # python-docx raises many kinds on a broken document
            raise ValidationError("Word 文档无法读取，请另存为 .docx 或直接粘贴文字。") from None
        return strip_control_characters(text)
    if suffix not in (".txt", ""):
        raise ValidationError("请上传 .txt 文本文件或 .docx Word 文档，或直接粘贴通知全文。")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return strip_control_characters(data.decode("utf-16"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return strip_control_characters(text)
    raise ValidationError("文件不是文本：请上传 UTF-8 或 GBK 编码的 .txt 文件。")
