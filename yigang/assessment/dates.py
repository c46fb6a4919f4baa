"""Times as a person reads them on the accountability file's papers (2026年12月6日23:58, Asia/Shanghai), and as
the file's JSON stores them (ISO 8601)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def _parse(value: str | datetime.datetime | datetime.date | None) -> datetime.datetime | datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return value
    if "T" in value or " " in value:
        return datetime.datetime.fromisoformat(value)
    return datetime.date.fromisoformat(value)


def cn_date(value: str | datetime.date | None) -> str:
    """2026-12-06 → 2026年12月6日 (an empty value → "")."""
    day = _parse(value)
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(value: str | datetime.datetime | datetime.date | None) -> str:
    """An ISO time → 2026年12月6日23:58 in Asia/Shanghai; a date alone → 2026年12月6日."""
    moment = _parse(value)
    if moment is None:
        return ""
    if not isinstance(moment, datetime.datetime):
        return cn_date(moment)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment.year}年{moment.month}月{moment.day}日{moment:%H:%M}"


def iso(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment is not None else None
