"""One guard for everything the exports write, applied to every cell and every paragraph (issues 9.4, 9.7).

- `cell(value)`: a spreadsheet cell's value. Text loses the characters no document may hold (stored before
  the edge refused them: an export must never fail on what is already in the database), and text that Excel
  or a CSV reader would take for a formula (starting with = + - @ tab or carriage return) gets a leading
  apostrophe, so it shows as the text it is and never runs. Numbers, dates and None pass unchanged.
- `text(value)`: a Word paragraph's or table cell's text, without those characters.

The importers strip the apostrophe again (yigang/org/bulk.py), so an export re-imports unchanged.
"""

from __future__ import annotations

from yigang.inputs import strip_control_characters

# Excel treats a cell starting with one of these as a formula; exported user text must never run.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    value = strip_control_characters(value)
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def text(value: object) -> str:
    return strip_control_characters("" if value is None else str(value))
