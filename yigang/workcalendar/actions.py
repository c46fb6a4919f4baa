"""Every write to the working calendar: one transaction, one audit entry (`calendar.enter`).

`preview` reads a notice and compares it with the year already entered, saving nothing; `enter_year` saves it
after the officer confirmed what the preview showed. A notice with a line that cannot be read, or whose year is
missing, is refused with the reasons and nothing is saved. Entering a year that is already entered replaces the
earlier row (kept, marked replaced) only when the caller confirms the difference it was shown (`replace=True`).
Then the deadlines counted on the calendar are recomputed by the apps that keep them (dependents.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record as audit
from yigang.towns.models import Town

from . import dependents
from .models import CalendarYear
from .notice import ParsedNotice, parse_notice


@dataclass
class Difference:
    """What a new notice changes against the year as entered before."""

    added_holidays: list[str] = field(default_factory=list)
    removed_holidays: list[str] = field(default_factory=list)
    added_workdays: list[str] = field(default_factory=list)
    removed_workdays: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.added_holidays or self.removed_holidays or self.added_workdays or self.removed_workdays
        )

    def as_json(self) -> dict[str, list[str]]:
        return {
            "added_holidays": self.added_holidays,
            "removed_holidays": self.removed_holidays,
            "added_workdays": self.added_workdays,
            "removed_workdays": self.removed_workdays,
        }


@dataclass
class Preview:
    parsed: ParsedNotice
    current: CalendarYear | None
    difference: Difference | None

    def as_json(self) -> dict[str, Any]:
        data = self.parsed.as_json()
        data["already_entered"] = self.current is not None
        data["difference"] = self.difference.as_json() if self.difference else None
        return data


def _scope(town: Town | None, county: str) -> dict[str, Any]:
    if (town is None) == (not county):
        raise ValidationError("请指定一个乡镇，或一个旗县（为其全部乡镇录入）。")
    return {"town": town, "county": ""} if town is not None else {"town": None, "county": county}


def _current(scope: dict[str, Any], year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(**scope, year=year, replaced_at__isnull=True).first()


def _days(parsed: ParsedNotice) -> tuple[dict[str, str], dict[str, str]]:
    return (
        {d.isoformat(): n for d, n in sorted(parsed.holidays.items())},
        {d.isoformat(): n for d, n in sorted(parsed.workdays.items())},
    )


def difference(old: CalendarYear, parsed: ParsedNotice) -> Difference:
    holidays, workdays = _days(parsed)
    return Difference(
        added_holidays=sorted(set(holidays) - set(old.holidays)),
        removed_holidays=sorted(set(old.holidays) - set(holidays)),
        added_workdays=sorted(set(workdays) - set(old.workdays)),
        removed_workdays=sorted(set(old.workdays) - set(workdays)),
    )


def preview(*, text: str, town: Town | None = None, county: str = "", year: int | None = None) -> Preview:
    """Read the notice and compare it with the year entered before; saves nothing."""
    scope = _scope(town, county)
    parsed = parse_notice(text, year)
    current = _current(scope, parsed.year) if parsed.year else None
    return Preview(
        parsed, current, difference(current, parsed) if current is not None and parsed.ok else None
    )


def _towns(scope: dict[str, Any]) -> list[Town]:
    if scope["town"] is not None:
        return [scope["town"]]
    return list(Town.objects.filter(county=scope["county"]))


def _refusal(parsed: ParsedNotice) -> list[str]:
    reasons = list(parsed.errors)
    for line in parsed.unread:
        reasons.append(f"第 {line.number} 行读不懂：{line.text}（{line.message}）")
    return reasons


def enter_year(
    *,
    text: str,
    town: Town | None = None,
    county: str = "",
    year: int | None = None,
    replace: bool = False,
    actor: Any,
) -> tuple[CalendarYear, list[dict[str, Any]]]:
    """Save a year read from the State Council's notice, for a town or (county=…) for every town of a county.

    Refuses (ValidationError in Chinese, nothing saved) a notice with an unread line or no year, and a year
    already entered unless `replace` (the caller showed the difference). Returns the new row and what the
    dependents recomputed (hazard deadlines that moved, with their old and new dates and calendars).
    """
    scope = _scope(town, county)
    parsed = parse_notice(text, year)
    if not parsed.ok:
        audit(
            "calendar.enter",
            actor=actor,
            town=town,
            success=False,
            changes={"year": parsed.year, "county": county, "reasons": _refusal(parsed)},
        )
        raise ValidationError(_refusal(parsed))
    assert parsed.year is not None
    holidays, workdays = _days(parsed)
    now = timezone.now()
    with transaction.atomic():
        current = (
            CalendarYear.objects.select_for_update()
            .filter(**scope, year=parsed.year, replaced_at__isnull=True)
            .first()
        )
        if current is not None and not replace:
            raise ValidationError(
                f"{parsed.year} 年已于 {timezone.localtime(current.entered_at):%Y-%m-%d %H:%M} 录入；"
                "请先查看与已录入安排的差异，确认后替换。"
            )
        diff = difference(current, parsed) if current is not None else None
        if current is not None:
            # One current row per scope and year (replaced_at empty): the old row steps aside first.
            CalendarYear.objects.filter(pk=current.pk).update(replaced_at=now)
        entry = CalendarYear(
            **scope,
            year=parsed.year,
            text=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            holidays=holidays,
            workdays=workdays,
            entered_by=actor if getattr(actor, "is_authenticated", False) else None,
            entered_at=now,
        )
        entry.save()
        if current is not None:
            CalendarYear.objects.filter(pk=current.pk).update(replaced_by=entry)
        changed: list[dict[str, Any]] = []
        towns = _towns(scope)
        for _name, fn in sorted(dependents.registered().items()):
            changed.extend(fn(towns=towns, year=parsed.year, actor=actor))
        audit(
            "calendar.enter",
            actor=actor,
            obj=entry,
            town=town,
            changes={
                "year": parsed.year,
                "scope": entry.scope_label,
                "sha256": entry.sha256,
                "holidays": list(holidays),
                "workdays": list(workdays),
                "replaced": current.pk if current is not None else None,
                "difference": diff.as_json() if diff is not None else None,
                "recomputed": changed,
            },
        )
    return entry, changed


def recount(*, town: Town | None = None, county: str = "", year: int, actor: Any) -> list[dict[str, Any]]:
    """Count again the deadlines a year touches on the calendar as it stands (`yigang calendar recount`): for
    deadlines stored before the calendar app (counted Monday–Friday past the package's last year)."""
    scope = _scope(town, county)
    with transaction.atomic():
        changed: list[dict[str, Any]] = []
        for _name, fn in sorted(dependents.registered().items()):
            changed.extend(fn(towns=_towns(scope), year=year, actor=actor))
        audit(
            "calendar.recount",
            actor=actor,
            town=town,
            object_repr=f"{town or county} {year}",
            changes={"year": year, "county": county, "recomputed": changed},
        )
    return changed
