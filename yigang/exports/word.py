"""Word documents in the official-document layout (GB/T 9704-2012: 党政机关公文格式), in one place.

A4, margins top 37 mm / bottom 35 mm / left 28 mm / right 26 mm; title 二号 方正小标宋 (宋体 where it is
missing), body 三号 仿宋_GB2312; 22 lines a page is approximated with a fixed 28 pt line spacing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


@dataclass
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths_mm: Sequence[float] = ()


@dataclass
class Section:
    heading: str = ""
    paragraphs: Sequence[str] = ()
    table: Table | None = None


@dataclass
class OfficialDocument:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    signature_lines: Sequence[str] = ()


def _font(run: object, name: str, size_pt: float, bold: bool = False) -> None:
    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = Pt(size_pt)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    # East-Asian text takes its font from w:eastAsia, not w:ascii.
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)  # type: ignore[attr-defined]


def _paragraph(
    doc: object,
    text: str,
    font: str,
    size: float,
    *,
    center: bool = False,
    bold: bool = False,
    indent: bool = True,
) -> None:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold)


def render_docx(document: OfficialDocument) -> bytes:
    """Render to .docx bytes."""
    from .sanitise import document as clean  # every paragraph and cell: no character a document cannot hold

    document = clean(document)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.core_properties.title = document.title

    _paragraph(doc, document.title, TITLE_FONT, 22, center=True)
    if document.subtitle:
        _paragraph(doc, document.subtitle, "楷体_GB2312", 16, center=True)
    for part in document.sections:
        if part.heading:
            _paragraph(doc, part.heading, HEADING_FONT, 16)
        for text in part.paragraphs:
            _paragraph(doc, text, BODY_FONT, 16)
        if part.table is not None:
            _table(doc, part.table)
    if document.signature_lines:
        _paragraph(doc, "", BODY_FONT, 16)
        for line in document.signature_lines:
            _paragraph(doc, line, BODY_FONT, 16, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc: object, table: Table) -> None:
    t = doc.add_table(rows=1, cols=len(table.columns))  # type: ignore[attr-defined]
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(t.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(name), HEADING_FONT, 12)
    for row in table.rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(value)), BODY_FONT, 12)
    if table.widths_mm:
        for row in t.rows:
            for cell, width in zip(row.cells, table.widths_mm, strict=False):
                cell.width = Mm(width)
