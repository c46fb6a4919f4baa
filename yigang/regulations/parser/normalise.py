"""Clean the debris Word and text extraction leave, keeping the words verbatim.

Removed: page marks (``-2-``, ``－3－``, ``- 7 -``, ``— 4 —``, ``第2页 共8页``) alone on a line or glued to
a line's start or end (one glued between a paragraph's end and the next item or article becomes a line
break), ``[bookmark: …]`` marks, zero-width and control characters, blank lines.
Whitespace inside a line (tabs, full-width and no-break spaces) collapses to one ordinary space and
lines are stripped. Idempotent: ``normalise(normalise(t)) == normalise(t)``.
"""

from __future__ import annotations

import re
import unicodedata

_DASH = "\\-－—–‐‑"
_PAGE_ALONE = re.compile(
    rf"^[{_DASH}]\s*\d{{1,3}}\s*[{_DASH}]$|^第\s*\d{{1,3}}\s*页(?:\s*[，,/／]?\s*共\s*\d{{1,3}}\s*页)?$"
)
# Glued to a line end: not after a digit or dash, so "2022-8-4-" style runs are left alone.
_PAGE_END = re.compile(rf"(?<=[^\d{_DASH}\s])\s*[{_DASH}]\s*\d{{1,3}}\s*[{_DASH}]$")
_PAGE_START = re.compile(rf"^[{_DASH}]\s*\d{{1,3}}\s*[{_DASH}]\s*(?=[^{_DASH}\s])")
# A page mark glued between a paragraph's end and the next item or article ("职责：-2-1．认真…").
_PAGE_BETWEEN = re.compile(
    rf"(?<=[。：；:;])\s*[{_DASH}]\s*\d{{1,3}}\s*[{_DASH}]\s*"
    r"(?=\d{1,3}[．.、]|[（(][一二三四五六七八九十\d]{1,3}[）)]|第[一二三四五六七八九十百零〇\d]{1,5}[条條章])"
)
_BOOKMARK = re.compile(r"\[\s*bookmark\s*:[^\]\n]*\]", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u3000\u00a0\u1680\u2000-\u200a\u202f\u205f]+")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\u2028\u2029\x85]")


def normalise(text: str) -> str:
    """The text with debris removed; one non-blank, stripped line per paragraph."""
    text = _LINE_BREAKS.sub("\n", text).translate(_INVISIBLE)
    text = _PAGE_BETWEEN.sub("\n", _BOOKMARK.sub("", text))
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", _drop_controls(raw)).strip()
        if not line or _PAGE_ALONE.match(line):
            continue
        line = _PAGE_START.sub("", _PAGE_END.sub("", line)).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def _drop_controls(line: str) -> str:
    if line.isprintable():
        return line
    return "".join(ch for ch in line if ch == "\t" or unicodedata.category(ch) != "Cc")
