"""One guard for everything the exports write, applied to every cell and every paragraph (issues 9.4, 9.7).

- `cell(value)`: a spreadsheet cell's value. Text loses the characters no document may hold (stored before
  the edge refused them: an export must never fail on what is already in the database), and text that Excel
  or a CSV reader would take for a formula (starting with = + - @ tab or carriage return) gets a leading
  apostrophe, so it shows as the text it is and never runs. Numbers, dates and None pass unchanged.
- `text(value)`: a Word paragraph's or table cell's text, without those characters; `document(doc)` applies it
  to a whole OfficialDocument where rendering starts.
- `filename(value)`: the name a download is saved under when it is made of stored text (a unit's name, a
  title): without those characters, path separators and the characters Windows refuses in a name.

The importers strip the apostrophe again (yigang/org/bulk.py), so an export re-imports unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from yigang.inputs import strip_control_characters

# Excel (and a CSV reader) takes a cell starting with one of these for a formula; exported user text must never run.
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


_NOT_IN_NAMES = str.maketrans(dict.fromkeys('\\/:*?"<>|', "_"))


def filename(value: object) -> str:
    return text(value).translate(_NOT_IN_NAMES).strip() or "export"


def document(doc: Any) -> Any:
    """An OfficialDocument (yigang/exports/word.py) with every text in it cleaned, at the one place rendering
    starts: title, subtitle, headings, paragraphs, table headers and cells, signature lines, the 版头, the
    addressee, the 署名 and the 回执."""
    return dataclasses.replace(
        doc,
        title=text(doc.title),
        subtitle=text(doc.subtitle),
        sections=[_section(s) for s in doc.sections],
        signature_lines=[text(line) for line in doc.signature_lines],
        organ=text(doc.organ),
        doc_number=text(doc.doc_number),
        addressee=text(doc.addressee),
        sign_off=[text(line) for line in doc.sign_off],
        tear_off=_section(doc.tear_off) if doc.tear_off is not None else None,
    )


def _section(section: Any) -> Any:
    table = section.table
    if table is not None:
        table = dataclasses.replace(
            table,
            columns=[text(c) for c in table.columns],
            rows=[[text(v) if isinstance(v, str) else v for v in row] for row in table.rows],
        )
    return dataclasses.replace(
        section, heading=text(section.heading), paragraphs=[text(p) for p in section.paragraphs], table=table
    )
