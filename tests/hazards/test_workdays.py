"""Working-day deadlines on the statutory calendar: a national holiday, an adjusted working weekend, and a year
the installed calendar does not know yet (yigang/workcalendar: the statutory holidays, not Monday–Friday)."""

from __future__ import annotations

import datetime

import pytest

from yigang.hazards.workdays import add_working_days, known_years

D = datetime.date


def test_it_skips_the_national_day_holiday_and_counts_the_adjusted_saturday() -> None:
    # Wed 30 Sep 2026 + 1: 1–7 Oct are holidays, so Thu 8 Oct.
    assert add_working_days(D(2026, 9, 30), 1).day == D(2026, 10, 8)
    # + 3: Thu 8, Fri 9, and Sat 10 Oct, a 调休 working day.
    assert add_working_days(D(2026, 9, 30), 3).day == D(2026, 10, 10)
    # + 4: Sun 11 is a rest day again, so Mon 12 Oct.
    assert add_working_days(D(2026, 9, 30), 4).day == D(2026, 10, 12)


def test_it_counts_the_spring_festival_and_its_working_sundays() -> None:
    # Fri 13 Feb 2026 + 1: Sat 14 Feb 2026 is a 调休 working day before the Spring Festival (15–23 Feb).
    assert add_working_days(D(2026, 2, 13), 1).day == D(2026, 2, 14)
    # + 2: then nothing until Tue 24 Feb.
    assert add_working_days(D(2026, 2, 13), 2).day == D(2026, 2, 24)


def test_an_ordinary_week_is_monday_to_friday() -> None:
    result = add_working_days(D(2025, 3, 7), 5)  # a Friday
    assert result.day == D(2025, 3, 14) and result.warnings == []


def test_a_year_the_package_does_not_know_counts_the_statutory_holidays_and_says_so() -> None:
    first, last = known_years()
    assert first <= 2026 <= last
    beyond = last + 1
    # 1 October of any year is 国庆节 (Art. 2 of the 办法): the day before + 1 working day is not 1 October.
    result = add_working_days(D(beyond, 9, 30), 1)
    assert result.day > D(beyond, 10, 3)
    assert result.source == "statutory"
    assert (
        len(result.warnings) == 1 and str(beyond) in result.warnings[0] and "法定节日" in result.warnings[0]
    )


def test_it_refuses_a_nonsense_count() -> None:
    with pytest.raises(ValueError, match="工作日数"):
        add_working_days(D(2026, 1, 5), 0)
