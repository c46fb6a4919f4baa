"""Word documents in the official-document layout (GB/T 9704-2012: 党政机关公文格式), in one place.

A4, margins top 37 mm / bottom 35 mm / left 28 mm / right 26 mm, so the text block is 156 mm × 225 mm; title
二号 方正小标宋 (宋体 where it is missing), body 三号 仿宋_GB2312; the document grid holds 22 lines a page
(linePitch 579 twips = 225 mm / 22) and body lines sit on it. Page numbers are 4号 半角宋体 in the form
"— 1 —" below the text: odd pages at the right, even pages at the left, each one character in from the edge.
Tables stay inside the text block (their widths are scaled to 156 mm), and the header row is repeated at the top
of every page a table runs onto.

A document sent out by an organ (a 责令限期整改通知书) carries the 版头: the 发文机关标志 in red 小标宋, centred, the
发文字号 (三号仿宋) centred two lines below it, and a red line the width of the text block; the 主送机关 flush left
before the body; the 发文机关署名 and 成文日期 at the right, four characters in; and, after a cut line, a 回执 to be
torn off and returned (`tear_off`). A document without an `organ` is laid out as before.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

TITLE_FONT = "方正小标宋简体"
ORGAN_RED = RGBColor(0xFF, 0x00, 0x00)  # 发文机关标志 and the 版头's line: red (GB/T 9704 §7.2.4, §7.2.5)
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM  # 156
LINES_PER_PAGE = 22
# 225 mm of text height / 22 lines = 28.95 pt = 579 twips (Word's own value for the 公文 grid).
LINE_PITCH_TWIPS = 579
_MM_TO_TWIPS = 1440 / 25.4


@dataclass
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
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
    organ: str = ""  # 发文机关标志 (red 版头); empty: no 版头
    doc_number: str = ""  # 发文字号, under the 版头
    addressee: str = ""  # 主送机关, flush left before the body
    sign_off: Sequence[str] = ()  # 发文机关署名 and 成文日期, at the right
    tear_off: Section | None = None  # below a cut line: a 回执 / 送达回证 to return


def _font(run: object, name: str, size_pt: float, bold: bool = False, colour: RGBColor | None = None) -> None:
    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = Pt(size_pt)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    if colour is not None:
        run.font.color.rgb = colour  # type: ignore[attr-defined]
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
    right: bool = False,
    colour: RGBColor | None = None,
) -> Any:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH_TWIPS)
    fmt.space_after = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = Pt(size * 4)  # 署名 and 成文日期: four characters in from the right
    elif indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold, colour)
    return p


def render_docx(document: OfficialDocument) -> bytes:
    """Render to .docx bytes."""
    from .sanitise import document as clean  # every paragraph and cell: no character a document cannot hold

    document = clean(document)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    # The page number's line sits 7 mm below the text block (a 4号 line is about 5 mm high).
    section.footer_distance = Mm(BOTTOM_MM - 7 - 5)
    doc.core_properties.title = document.title
    _document_grid(section)
    _page_numbers(doc, section)

    if document.organ:
        _masthead(doc, document.organ, document.doc_number)
    _paragraph(doc, document.title, TITLE_FONT, 22, center=True)
    if document.subtitle:
        _paragraph(doc, document.subtitle, "楷体_GB2312", 16, center=True)
    if document.addressee:
        _paragraph(doc, "", BODY_FONT, 16)
        _paragraph(doc, document.addressee, BODY_FONT, 16, indent=False)
    for part in document.sections:
        _section(doc, part)
    if document.signature_lines:
        _paragraph(doc, "", BODY_FONT, 16)
        for line in document.signature_lines:
            _paragraph(doc, line, BODY_FONT, 16, indent=False)
    if document.sign_off:
        _paragraph(doc, "", BODY_FONT, 16)
        for line in document.sign_off:
            _paragraph(doc, line, BODY_FONT, 16, right=True)
    if document.tear_off is not None:
        _paragraph(doc, "", BODY_FONT, 16)
        _paragraph(doc, CUT_LINE, BODY_FONT, 12, center=True)
        _paragraph(doc, document.tear_off.heading, TITLE_FONT, 18, center=True)
        _section(doc, Section(paragraphs=document.tear_off.paragraphs, table=document.tear_off.table))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# The line a 回执 is cut off along (the 版记's place in a document sent out for return).
CUT_LINE = "－－－－－－－－－－－－（沿此线剪下）－－－－－－－－－－－－"


def _section(doc: Any, part: Section) -> None:
    if part.heading:
        _paragraph(doc, part.heading, HEADING_FONT, 16)
    for text in part.paragraphs:
        _paragraph(doc, text, BODY_FONT, 16)
    if part.table is not None:
        _table(doc, part.table)


_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _masthead(doc: Any, organ: str, number: str) -> None:
    """The 版头: the organ's name in red 小标宋 (二号 and up; 二号 here, so a long name stays on one line), the
    发文字号 two lines below it, and under that a red line across the text block."""
    _paragraph(doc, organ, TITLE_FONT, 22, center=True, colour=ORGAN_RED)
    _paragraph(doc, "", BODY_FONT, 16)
    last = _paragraph(doc, number, BODY_FONT, 16, center=True)
    # The 分隔线: a red bottom border of the 发文字号's paragraph, the width of the text block.
    p_pr = last._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")  # eighths of a point: 1.5 pt
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), str(ORGAN_RED))
    borders.append(bottom)
    # Schema order: pBdr comes before shd, tabs, spacing, ind and jc (Word refuses a paragraph out of order).
    p_pr.insert_element_before(borders, *_AFTER_PBDR)
    _paragraph(doc, "", BODY_FONT, 16)


def _document_grid(section: Any) -> None:
    """22 lines a page: a line grid whose pitch is the text height divided by 22."""
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def _page_numbers(doc: Any, section: Any) -> None:
    """ "— N —" in 4号 宋体: odd pages right-aligned, even pages left-aligned, one character in from the edge."""
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number_footer(footer: Any, alignment: Any) -> None:
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = Pt(14)
    else:
        p.paragraph_format.left_indent = Pt(14)
    _font(p.add_run("— "), PAGE_NUMBER_FONT, 14)
    # A complex field (begin, instruction, separate, shown value, end): Word and WPS update it on every page.
    begin = p.add_run()
    _font(begin, PAGE_NUMBER_FONT, 14)
    begin._element.append(_field_char("begin"))
    instruction = p.add_run()
    _font(instruction, PAGE_NUMBER_FONT, 14)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instruction._element.append(instr)
    separate = p.add_run()
    _font(separate, PAGE_NUMBER_FONT, 14)
    separate._element.append(_field_char("separate"))
    _font(p.add_run("1"), PAGE_NUMBER_FONT, 14)
    end = p.add_run()
    _font(end, PAGE_NUMBER_FONT, 14)
    end._element.append(_field_char("end"))
    _font(p.add_run(" —"), PAGE_NUMBER_FONT, 14)


def _field_char(kind: str) -> Any:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def fit_widths(widths_mm: Sequence[float], columns: int) -> list[float]:
    """Column widths (mm) summing to at most the 156 mm text block: given ones scaled down, else equal shares."""
    if len(widths_mm) != columns or not all(w > 0 for w in widths_mm):
        return [TEXT_WIDTH_MM / columns] * columns
    total = sum(widths_mm)
    scale = min(1.0, TEXT_WIDTH_MM / total)
    return [w * scale for w in widths_mm]


def _twips(mm: float) -> int:
    return int(mm * _MM_TO_TWIPS)


def _table(doc: object, table: Table) -> None:
    t = doc.add_table(rows=1, cols=len(table.columns))  # type: ignore[attr-defined]
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = t.rows[0]
    for cell, name in zip(header.cells, table.columns, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(name), HEADING_FONT, 12)
    _repeat_header(header)
    for row in table.rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(value)), BODY_FONT, 12)
    _fix_widths(t, fit_widths(table.widths_mm, len(table.columns)))


def _repeat_header(row: Any) -> None:
    """Mark the row as a header row (w:tblHeader): Word repeats it at the top of each page the table spans."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _fix_widths(t: Any, widths_mm: list[float]) -> None:
    """A fixed-layout table of exactly these widths: the grid, every cell and the table's own width agree."""
    tbl_pr = t._tbl.tblPr
    old = tbl_pr.find(qn("w:tblW"))
    if old is not None:
        tbl_pr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(_twips(w) for w in widths_mm)))
    width.set(qn("w:type"), "dxa")
    # Schema order: tblW comes before jc, tblInd, tblBorders, shd, tblLayout, tblCellMar and tblLook.
    tbl_pr.insert_element_before(
        width,
        "w:jc",
        "w:tblCellSpacing",
        "w:tblInd",
        "w:tblBorders",
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
        "w:tblPrChange",
    )
    t.autofit = False  # w:tblLayout fixed: Word keeps these widths instead of fitting the text
    for col, w in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(_twips(w)))
    for row in t.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
