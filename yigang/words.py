"""Numbers and spans in the words official documents use (第十二条, 2小时5分钟): for parser, models, pages, papers.

The lowest floor of the house: it imports nothing of Yigang, so every app may take it.
"""

from __future__ import annotations

import datetime

__all__ = ["chinese_number", "span_in_words"]

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


def span_in_words(span: datetime.timedelta) -> str:
    """A span in words: 2天3小时, 45分钟."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days}天")
    if hours:
        parts.append(f"{hours}小时")
    if mins or not parts:
        parts.append(f"{mins}分钟")
    return "".join(parts)
