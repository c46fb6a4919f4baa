"""Chinese and Arabic numerals, and dates written either way.

``cn_to_int("二十三") == 23``, ``cn_to_int("一百零五") == 105``, ``cn_to_int("12") == 12``;
``parse_date("二〇〇九年七月十四日") == date(2009, 7, 14)``. The zero of a year may be written
〇, ○ (U+25CB), O, Ｏ, o or 零.
"""

from __future__ import annotations

import datetime
import re

# Character classes for regular expressions elsewhere in the parser.
CN_DIGITS = "零〇○一二两三四五六七八九"
CN_NUM_CLASS = "零〇○一二两三四五六七八九十百千"
NUM_CLASS = CN_NUM_CLASS + "0-9"

_DIGIT = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "O": 0,
    "o": 0,
    "Ｏ": 0,
    "０": 0,
    "0": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNIT = {"十": 10, "百": 100, "千": 1000}

_YEAR_CHARS = "零〇○OoＯ0-9０-９一二三四五六七八九"
_MD_CHARS = "0-9０-９一二三四五六七八九十"
DATE_RE = re.compile(
    rf"(?P<y>[{_YEAR_CHARS}]{{4}})\s*年\s*(?P<m>[{_MD_CHARS}]{{1,3}})\s*月\s*(?P<d>[{_MD_CHARS}]{{1,3}})\s*日"
)


def cn_to_int(text: str) -> int | None:
    """Read an Arabic or Chinese numeral; ``None`` when ``text`` is not one."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        try:
            return int(text)
        except ValueError:  # exotic Unicode digits
            return None
    if any(ch not in _DIGIT and ch not in _UNIT for ch in text):
        return None
    if not any(ch in _UNIT for ch in text):
        # Positional digits: "二〇二二", "一〇五".
        value = 0
        for ch in text:
            value = value * 10 + _DIGIT[ch]
        return value
    total = 0
    digit: int | None = None
    for ch in text:
        if ch in _UNIT:
            total += (digit if digit is not None else 1) * _UNIT[ch]
            digit = None
        elif _DIGIT[ch] == 0:
            digit = None
        else:
            digit = _DIGIT[ch]
    if digit is not None:
        total += digit
    return total


def parse_date(text: str) -> datetime.date | None:
    """The first valid ``Y年M月D日`` date in ``text`` (Arabic or Chinese numerals), else ``None``."""
    for match in DATE_RE.finditer(text):
        year = cn_to_int(_ascii_digits(match["y"]))
        month = cn_to_int(_ascii_digits(match["m"]))
        day = cn_to_int(_ascii_digits(match["d"]))
        if year is None or month is None or day is None:
            continue
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    return None


def _ascii_digits(text: str) -> str:
    return "".join(chr(ord(ch) - 0xFEE0) if "０" <= ch <= "９" else ch for ch in text)
