"""The text of a ``.docx``: paragraphs and table cells in document order, one line each.

Word's automatic numbering is not part of a paragraph's text, yet regulations often number their
articles (第%1条) and items (%1．) that way; the common formats are written out so the parser sees
the numbers a reader sees. Bullets and unknown formats are left out.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from yigang.inputs import ArchiveRefused, NotAnArchive, check_archive
from yigang.words import chinese_number as int_to_cn

from .errors import SourceError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NOT_WORD = (
    "不是有效的 Word 文档（.docx），文件可能已损坏或只是改了扩展名。"
    "请在 Word 中打开后另存为 .docx，或上传 .txt 文本。"
)
_OLD_WORD = "不是有效的 Word 文档（.docx）：这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再上传。"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def docx_text(data: bytes) -> str:
    """All visible text of a Word document, one paragraph (or table-cell paragraph) per line."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceError(_OLD_WORD)
    try:
        check_archive(data, what="Word 文档")  # entries, expanded size, ratio: before python-docx expands it
    except NotAnArchive:
        raise SourceError(_NOT_WORD) from None
    except ArchiveRefused as exc:
        raise SourceError(str(exc)) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise SourceError(_NOT_WORD)
        import docx

        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        return "\n".join(_lines(document.element.body, numbering))
    except SourceError:
        raise
    except Exception as exc:  # python-docx, zipfile and lxml raise many kinds for a broken file
        raise SourceError(_NOT_WORD) from exc


def _lines(container: Any, numbering: _Numbering) -> Iterator[str]:
    """Paragraph texts under ``container`` (body, cell, content control) in order, tables included."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            yield numbering.label(child) + _paragraph_text(child)
        elif tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                for cell in row.iterchildren(f"{_W}tc"):
                    yield from _lines(cell, numbering)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _lines(content, numbering)
        elif tag in (f"{_W}customXml", f"{_W}smartTag"):
            yield from _lines(child, numbering)


def _paragraph_text(p: Any) -> str:
    text = p.text  # python-docx's CT_P.text: runs, hyperlinks, tabs and breaks
    return str(text) if text is not None else ""


class _Numbering:
    """Counters for Word list numbering (numbering.xml), written out as the paragraph's label."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (abstractId, ilvl) → fmt, text, start
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing is numbered automatically
            root = None
        if root is not None:
            for abstract in root.iterchildren(f"{_W}abstractNum"):
                aid = abstract.get(f"{_W}abstractNumId")
                for lvl in abstract.iterchildren(f"{_W}lvl"):
                    ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                    fmt = _val(lvl.find(f"{_W}numFmt")) or "decimal"
                    text = _val(lvl.find(f"{_W}lvlText")) or ""
                    start = int(_val(lvl.find(f"{_W}start")) or "1")
                    self.levels[(aid, ilvl)] = (fmt, text, start)
            for num in root.iterchildren(f"{_W}num"):
                self.abstract_of[num.get(f"{_W}numId")] = _val(num.find(f"{_W}abstractNumId")) or ""
        for style in document.styles.element.iterchildren(f"{_W}style"):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                num_id = _val(num_pr.find(f"{_W}numId"))
                if num_id:
                    ilvl = int(_val(num_pr.find(f"{_W}ilvl")) or "0")
                    self.style_num[style.get(f"{_W}styleId")] = (num_id, ilvl)

    def label(self, p: Any) -> str:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        found: tuple[str, int] | None = None
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{_W}numId"))
            if num_id:
                found = (num_id, int(_val(num_pr.find(f"{_W}ilvl")) or "0"))
        else:
            style_id = _val(p.find(f"{_W}pPr/{_W}pStyle"))
            if style_id:
                found = self.style_num.get(style_id)
        if found is None or found[0] == "0" or found[0] not in self.abstract_of:
            return ""
        aid = self.abstract_of[found[0]]
        ilvl = found[1]
        counters = self.counters.setdefault(aid, {})
        start = self.levels.get((aid, ilvl), ("decimal", "", 1))[2]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        fmt, text, _ = self.levels.get((aid, ilvl), ("decimal", "", 1))
        if fmt in ("bullet", "none") or not text:
            return ""
        for level in range(9):
            placeholder = f"%{level + 1}"
            if placeholder in text:
                level_fmt = self.levels.get((aid, level), ("decimal", "", 1))[0]
                value = counters.get(level, self.levels.get((aid, level), ("", "", 1))[2])
                written = _format(value, level_fmt)
                if written is None:
                    return ""
                text = text.replace(placeholder, written)
        return text


def _val(element: Any) -> str | None:
    return None if element is None else element.get(f"{_W}val")


def _format(value: int, fmt: str) -> str | None:
    if fmt in ("decimal", "decimalZero"):
        return f"{value:02d}" if fmt == "decimalZero" else str(value)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(ch) + 0xFEE0) for ch in str(value))
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "ideographDigital"):
        if fmt == "ideographDigital":
            return "".join("〇一二三四五六七八九"[int(ch)] for ch in str(value))
        return int_to_cn(value)
    if fmt == "decimalEnclosedCircle" and 1 <= value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt == "ideographTraditional" and 1 <= value <= len(_TIANGAN):
        return _TIANGAN[value - 1]
    return None
