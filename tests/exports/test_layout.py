"""Exports a clerk would file: the Word layout of GB/T 9704 and Excel sheets that print and compute as filed.

Each test opens the produced file with python-docx / openpyxl and reads the XML property that carries the rule.
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from yigang.exports.excel import Sheet, render_workbook, render_xlsx
from yigang.exports.word import OfficialDocument, Section, Table, fit_widths, render_docx

TWIPS_PER_MM = 1440 / 25.4


def _docx(widths: tuple[float, ...] = (60, 60, 60), rows: int = 80) -> object:
    table = Table(("序号", "事项", "备注"), [[n, f"事项{n}", "—"] for n in range(1, rows + 1)], widths)
    document = OfficialDocument(
        title="标题", sections=[Section(heading="一、表", paragraphs=["正文。"], table=table)]
    )
    return Document(io.BytesIO(render_docx(document)))


def test_every_page_carries_its_number_between_dashes_right_on_odd_left_on_even() -> None:
    doc = _docx()
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element
        instructions = [t.text.strip() for t in xml.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        kinds = [f.get(qn("w:fldCharType")) for f in xml.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        text = "".join(t.text for t in xml.iter(qn("w:t")))
        assert text == "— 1 —"  # the shown value before Word updates the field
        assert footer.paragraphs[0].alignment is not None
        assert footer.paragraphs[0].alignment.name == side.upper()
        sizes = {r.font.size.pt for r in footer.paragraphs[0].runs}
        assert sizes == {14}  # 4号


def test_the_document_grid_holds_22_lines_in_the_225_mm_text_block() -> None:
    doc = _docx()
    section = doc.sections[0]
    height_mm = (section.page_height - section.top_margin - section.bottom_margin) / 36000
    assert round(height_mm) == 225
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    pitch = int(grid.get(qn("w:linePitch")))
    assert int(height_mm * TWIPS_PER_MM / 22) == pitch == 579
    body = next(p for p in doc.paragraphs if p.text == "正文。")
    assert body.paragraph_format.line_spacing.twips == pitch


def test_table_header_rows_repeat_on_each_page() -> None:
    table = _docx().tables[0]
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])


@pytest.mark.parametrize("widths", [(60, 60, 60), (12, 28, 182), ()])
def test_every_table_stays_inside_the_156_mm_text_block(widths: tuple[float, ...]) -> None:
    doc = _docx(widths, rows=3)
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert round(text_width / 36000) == 156
    limit = text_width / 635  # EMU → twips
    tbl = doc.tables[0]._tbl
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    table_width = int(tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")))
    grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert table_width == sum(grid) <= limit
    assert table_width > limit - 10  # it uses the block, not a sliver of it
    for row in doc.tables[0].rows:
        assert [round(c.width / 635) for c in row.cells] == pytest.approx(grid, abs=1)


def test_widths_scale_in_proportion_and_missing_ones_share_equally() -> None:
    assert fit_widths((60, 60, 60), 3) == [52, 52, 52]
    assert fit_widths((40, 40), 2) == [40, 40]  # a narrow table stays as drawn
    assert fit_widths((), 4) == [39, 39, 39, 39]
    assert fit_widths((10, 20), 3) == [52, 52, 52]  # wrong count: equal shares, not a crash


def _sheet(**kwargs: object) -> object:
    content = render_xlsx(
        sheet="表", title="标题", columns=("名称", "应完成", "已完成"), rows=[["甲", 4, 2.5], ["乙", 0, 1]]
    )
    return load_workbook(io.BytesIO(content)).active


def test_excel_numbers_are_numbers_in_a_cjk_font_aligned_right() -> None:
    ws = _sheet()
    assert ws["B3"].value == 4 and ws["B3"].data_type == "n"
    assert ws["C3"].value == 2.5 and ws["C3"].data_type == "n"
    assert ws["A3"].data_type == "s"
    assert ws["B3"].alignment.horizontal == "right"
    assert {ws[c].font.name for c in ("A1", "A2", "A3", "B3")} == {"宋体"}


def test_excel_prints_on_a4_with_the_header_on_every_page() -> None:
    ws = _sheet()
    assert ws.page_setup.paperSize == 9  # A4 in SpreadsheetML
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$2:$2"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0


def test_every_row_has_exactly_one_cell_per_header() -> None:
    with pytest.raises(ValueError, match="row 3"):
        render_xlsx(sheet="表", title="标题", columns=("甲", "乙"), rows=[["1", "2", "3"]])
    padded = load_workbook(
        io.BytesIO(render_xlsx(sheet="表", title="标题", columns=("甲", "乙"), rows=[["1"]]))
    ).active
    assert padded["B3"].border.left.style == "thin"  # the short row is drawn to the last column
    wb = load_workbook(
        io.BytesIO(render_workbook([Sheet("一", "T1", ("a",), [[1]]), Sheet("二", "T2", ("b", "c"), [])]))
    )
    assert wb.sheetnames == ["一", "二"]
    assert [c.value for c in wb["二"][2]] == ["b", "c"]
