"""Excel sheets with a title row, a bold frozen header and sensible widths, in one place.

Ready to print as filed: every cell in a CJK font (宋体), numbers stored as numbers (they sum and sort), A4
landscape fitted to one page wide, and the header row printed again at the top of every page (print titles).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .sanitise import cell

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

CJK_FONT = "宋体"


def safe_cell(value: object) -> object:
    return cell(value)  # the one guard for every cell written: formulas and control characters


@dataclass
class Sheet:
    """One sheet: title in row 1, header in row 2, data from row 3 (each row as long as the header)."""

    name: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths: Sequence[int] = ()


def render_xlsx(
    *,
    sheet: str,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int] = (),
) -> bytes:
    """One sheet: title in row 1, header in row 2, data from row 3."""
    return render_workbook([Sheet(sheet, title, columns, rows, widths)])


def render_workbook(sheets: Sequence[Sheet]) -> bytes:
    """Several sheets in one workbook, each laid out as `render_xlsx` lays out one."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for spec in sheets:
        _sheet(wb.create_sheet(spec.name[:31]), spec)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws: Worksheet, spec: Sheet) -> None:
    title, columns, rows, widths = spec.title, spec.columns, spec.rows, spec.widths
    ws.cell(row=1, column=1, value=safe_cell(title)).font = Font(name=CJK_FONT, bold=True, size=14)
    if len(columns) > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    for col, name in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=col, value=name)
        cell.font = Font(name=CJK_FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start=3):
        # Each value under its own header: a longer row would shift into no column; a shorter one is padded.
        if len(row) > len(columns):
            raise ValueError(f"row {r} has {len(row)} cells for {len(columns)} columns")
        row = [*row, *[""] * (len(columns) - len(row))]
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col, value=safe_cell(value))
            cell.font = Font(name=CJK_FONT)
            cell.border = _BORDER
            number = isinstance(value, int | float) and not isinstance(value, bool)
            cell.alignment = Alignment(
                horizontal="right" if number else None, vertical="top", wrap_text=not number
            )
    for col, width in enumerate(widths or [16] * len(columns), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
