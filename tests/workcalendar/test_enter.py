"""Entering a year: saved on confirmation and audited; refused with nothing saved when a line cannot be read or
the year is already entered (the difference is shown, then `replace`); a county's entry for all its towns, a
town's own entry over its county's; open deadlines recounted and the change on the hazard and in the audit."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.workcalendar.conftest import NOTICE_2027
from yigang.audit.models import AuditEntry
from yigang.hazards.models import EventKind, Hazard
from yigang.hazards.routing import route
from yigang.org.models import Sector
from yigang.workcalendar import actions
from yigang.workcalendar.days import Calendar, missing_years
from yigang.workcalendar.models import CalendarYear

pytestmark = pytest.mark.django_db
D = datetime.date
NOTICES = Path(__file__).parent / "notices"


def test_it_saves_the_days_read_and_audits_them(town: Any, users: dict[str, Any]) -> None:
    assert missing_years(town, D(2026, 12, 7)) == [2027]
    entry, changed = actions.enter_year(text=NOTICE_2027, town=town, actor=users["officer"])
    assert changed == []
    assert entry.year == 2027 and entry.town == town and entry.county == ""
    # 元旦 3 days + 春节 8 days = 11.
    assert len(entry.holidays) == 11 and entry.workdays == {"2027-02-14": "春节", "2027-02-20": "春节"}
    audit = AuditEntry.objects.get(event="calendar.enter", success=True)
    assert audit.changes["year"] == 2027 and audit.changes["sha256"] == entry.sha256
    assert missing_years(town, D(2026, 12, 7)) == []
    cal = Calendar.for_town(town)
    assert cal.is_working_day(D(2027, 2, 14)) == (True, "notice")
    assert cal.is_working_day(D(2027, 2, 11)) == (False, "notice")


def test_a_notice_with_an_unread_line_saves_nothing(town: Any, users: dict[str, Any]) -> None:
    bad = NOTICE_2027.replace("至3日（周日）", "至3日（周一）")  # 3 Jan 2027 is a Sunday
    with pytest.raises(ValidationError) as exc:
        actions.enter_year(text=bad, town=town, actor=users["officer"])
    assert "第 4 行读不懂" in exc.value.messages[0]
    assert not CalendarYear.objects.exists()
    assert AuditEntry.objects.get(event="calendar.enter").success is False


def test_a_year_entered_twice_shows_the_difference_and_replaces_only_when_confirmed(
    town: Any, users: dict[str, Any]
) -> None:
    first, _ = actions.enter_year(text=NOTICE_2027, town=town, actor=users["officer"])
    second_text = NOTICE_2027.replace("2月20日（周六）", "2月13日（周六）")
    preview = actions.preview(text=second_text, town=town)
    assert preview.current == first and preview.difference is not None
    assert preview.difference.as_json() == {
        "added_holidays": [],
        "removed_holidays": [],
        "added_workdays": ["2027-02-13"],
        "removed_workdays": ["2027-02-20"],
    }
    with pytest.raises(ValidationError, match="已于"):
        actions.enter_year(text=second_text, town=town, actor=users["officer"])
    second, _ = actions.enter_year(text=second_text, town=town, replace=True, actor=users["officer"])
    first.refresh_from_db()
    assert first.replaced_by == second and first.replaced_at is not None  # kept, not deleted
    assert CalendarYear.objects.filter(year=2027, replaced_at__isnull=True).get() == second
    assert AuditEntry.objects.filter(event="calendar.enter").last().changes["difference"][
        "added_workdays"
    ] == ["2027-02-13"]


def test_a_countys_entry_covers_its_towns_and_a_towns_own_entry_wins(
    town: Any, make_town: Any, users: dict[str, Any]
) -> None:
    neighbour = make_town(code="tuke2", name="图克二镇", county=town.county)
    other_town = make_town(code="far2", name="远方二镇", county="别的旗")
    actions.enter_year(text=NOTICE_2027, county=town.county, actor=users["county_viewer"])
    assert Calendar.for_town(neighbour).source(2027) == "notice"
    assert Calendar.for_town(other_town).source(2027) == "statutory"  # another county
    own = NOTICE_2027.replace("2月14日（周日）、", "")
    actions.enter_year(text=own, town=town, actor=users["officer"])
    assert Calendar.for_town(town).is_working_day(D(2027, 2, 14)) == (False, "notice")
    assert Calendar.for_town(neighbour).is_working_day(D(2027, 2, 14)) == (True, "notice")


def test_open_deadlines_on_the_fallback_are_recounted_when_the_year_is_entered(
    register: Any, report: Any
) -> None:
    officer = register.officer
    sector = Sector.objects.get(town=register.town, name="烟花爆竹")
    # Found Wed 3 Feb 2027, 3 working days on the statutory fallback: Thu 4 (1); 除夕 Fri 5 to 初三 Mon 8 off,
    # 补假 Tue 9 and Wed 10 off; Thu 11 (2), Fri 12 (3) → 12 Feb.
    routed = route(sector=sector, place=None, found_on=D(2027, 2, 3), working_days=3)
    assert (routed.deadline, routed.deadline_calendar) == (D(2027, 2, 12), "statutory")
    # Found Wed 30 Dec 2026 + 3: Thu 31 Dec (1), 元旦 Fri 1 Jan off, Mon 4 (2), Tue 5 Jan (3).
    routed = route(sector=sector, place=None, found_on=D(2026, 12, 30), working_days=3)
    assert (routed.deadline, routed.deadline_calendar) == (D(2027, 1, 5), "statutory")

    def found(on: datetime.date, due: datetime.date, **kw: Any) -> Hazard:
        # A report dated today, then moved to the day it is about (a report may not be dated in the future).
        hazard = report(found_on=D(2026, 12, 1), **kw)
        Hazard.objects.filter(pk=hazard.pk).update(
            found_on=on, deadline=due, deadline_calendar="statutory" if kw.get("working_days") else ""
        )
        hazard.refresh_from_db()
        return hazard

    spring = found(D(2027, 2, 3), D(2027, 2, 12), working_days=3)
    new_year = found(D(2026, 12, 30), D(2027, 1, 5), working_days=3)
    dated = found(D(2027, 2, 3), D(2027, 2, 10), deadline=D(2026, 12, 10))  # a date given: never recounted
    closed_like = found(D(2027, 2, 3), D(2027, 2, 12), working_days=3)
    Hazard.objects.filter(pk=closed_like.pk).update(status="closed")

    _entry, changed = actions.enter_year(text=NOTICE_2027, town=register.town, actor=officer)

    # On the notice: Thu 4 Feb (1); 5–12 Feb off, Sat 13 off; Sun 14 Feb worked by 调休 (2); Mon 15 Feb (3).
    spring.refresh_from_db()
    assert (spring.deadline, spring.deadline_calendar) == (D(2027, 2, 15), "notice")
    # 元旦 1–3 Jan as before: still Tue 5 Jan, now resting on the notice for 2027 and the package for 31 Dec
    # 2026 — the weaker of the two is what the deadline records.
    new_year.refresh_from_db()
    assert (new_year.deadline, new_year.deadline_calendar) == (D(2027, 1, 5), "package")
    assert "仍为 2027-01-05" in new_year.events.get(kind=EventKind.RECOUNTED).note
    dated.refresh_from_db()
    assert dated.deadline == D(2027, 2, 10) and dated.deadline_calendar == ""
    assert Hazard.objects.get(pk=closed_like.pk).deadline == D(2027, 2, 12)
    event = spring.events.get(kind=EventKind.RECOUNTED)
    assert "由 2027-02-12 改为 2027-02-15" in event.note
    assert event.details["old_calendar"] == "statutory" and event.details["new_calendar"] == "notice"
    assert {c["number"] for c in changed} == {spring.number, new_year.number}
    audit = AuditEntry.objects.get(event="calendar.enter")
    assert {c["new_deadline"] for c in audit.changes["recomputed"]} == {"2027-02-15", "2027-01-05"}


def test_recount_fixes_a_deadline_stored_before_the_calendar_app(register: Any, report: Any) -> None:
    hazard = report(found_on=D(2026, 12, 1), working_days=3)
    # Found 30 Dec 2026, as the Monday–Friday fallback stored it: 31 Dec, 1 Jan (counted), 4 Jan.
    Hazard.objects.filter(pk=hazard.pk).update(
        found_on=D(2026, 12, 30), deadline=D(2027, 1, 4), deadline_calendar=""
    )
    changed = actions.recount(town=register.town, year=2027, actor=register.officer)
    hazard.refresh_from_db()
    assert hazard.deadline == D(2027, 1, 5) and hazard.deadline_calendar == "statutory"
    assert changed[0]["old_deadline"] == "2027-01-04"
    assert AuditEntry.objects.get(event="calendar.recount").changes["recomputed"] == changed


def test_an_approved_extension_is_not_recounted_when_the_year_is_entered(register: Any, report: Any) -> None:
    # Found Wed 3 Feb 2027, 3 working days on the fallback → 12 Feb; the supervising body then approved an
    # extension to 26 Feb (first deadline kept in original_deadline). Entering the notice would recount the
    # working days to 15 Feb — an approved date is a decision, not a count, so it stays 26 Feb, with no event.
    hazard = report(found_on=D(2026, 12, 1), working_days=3)
    Hazard.objects.filter(pk=hazard.pk).update(
        found_on=D(2027, 2, 3),
        deadline=D(2027, 2, 26),
        original_deadline=D(2027, 2, 12),
        deadline_calendar="statutory",
    )
    _entry, changed = actions.enter_year(text=NOTICE_2027, town=register.town, actor=register.officer)
    hazard.refresh_from_db()
    assert (hazard.deadline, hazard.original_deadline) == (D(2027, 2, 26), D(2027, 2, 12))
    assert hazard.number not in {c["number"] for c in changed}
    assert not hazard.events.filter(kind=EventKind.RECOUNTED).exists()
