"""`{% load words %}`: numbers in the words the regulation uses (`{{ n|chinese_number }}` → 五, 十二)."""

from __future__ import annotations

from typing import Any

from django import template

from yigang.words import chinese_number as _chinese

register = template.Library()


@register.filter
def chinese_number(value: Any) -> str:
    """An article number as the text writes it (第五条, not 第 5 条); anything not a whole number unchanged."""
    try:
        return _chinese(int(value))
    except (TypeError, ValueError):
        return str(value)
