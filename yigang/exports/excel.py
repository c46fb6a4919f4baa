"""Excel sheets with a title row, a bold frozen header and sensible widths, in one place."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# Excel treats a cell starting with one of these as a formula; exported user text must never run.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    from .sanitise import cell  # the one guard for every cell written: formulas and control characters

    return cell(value)


def render_xlsx(
    *,
    sheet: str,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int] = (),
) -> bytes:
    """One sheet: title in row 1, header in row 2, data from row 3."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.cell(row=1, column=1, value=safe_cell(title)).font = Font(bold=True, size=14)
    if len(columns) > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    for col, name in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col, value=safe_cell(value))
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for col, width in enumerate(widths or [16] * len(columns), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
