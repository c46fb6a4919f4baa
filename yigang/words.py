"""Numbers in the words official documents use (第十二条, 第五章): for the parser, models, pages and papers.

The lowest floor of the house: it imports nothing of Yigang, so every app may take it.
"""

from __future__ import annotations

__all__ = ["chinese_number"]

_SMALL = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """Write 1..9999 the way article numbers are written: 14 → 十四, 105 → 一百零五."""
    if number <= 0 or number >= 10000:
        return str(number)
    parts: list[str] = []
    zero = False
    for unit_value, unit_name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit_value % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        if not (unit_value == 10 and digit == 1 and not parts):
            parts.append(_SMALL[digit])
        parts.append(unit_name)
    return "".join(parts)
