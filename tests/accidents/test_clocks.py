"""The clocks of 493号令 as pure rules: the 1-hour report, the 补报 windows, the investigation report."""

from __future__ import annotations

import datetime

from yigang.accidents import clocks

from .conftest import SH

T0 = datetime.datetime(2025, 6, 3, 14, 20, tzinfo=SH)
H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)
S = datetime.timedelta(seconds=1)


def test_a_report_within_the_hour_is_in_time_and_after_it_is_late_by_the_delay() -> None:
    assert clocks.late_by(T0, None) is None
    assert clocks.late_by(T0, T0 + 59 * M) is None
    assert clocks.late_by(T0, T0 + H) is None  # exactly one hour: in time
    assert clocks.late_by(T0, T0 + H + S) == S
    assert clocks.late_by(T0, T0 + 3 * H + 25 * M) == 2 * H + 25 * M


def at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=SH)  # type: ignore[misc]


def test_road_traffic_and_fire_have_7_days_ending_at_24_00_of_day_7() -> None:
    # Accident 2025-06-03 14:20. 民法典 Art. 201: 06-03 is not counted; day 1 is 06-04, day 7 is 06-10.
    # Art. 203: day 7 ends at 24:00, i.e. the window closes at the instant 06-11 00:00 (not 06-10 14:20).
    for kind in ("road_traffic", "fire"):
        assert clocks.supplement_last_day(T0, kind) == datetime.date(2025, 6, 10)
        assert clocks.supplement_deadline(T0, kind) == at(2025, 6, 11, 0, 0)
        assert clocks.within_window(T0, kind, at(2025, 6, 10, 14, 21))  # past 7×24 h, still day 7
        assert clocks.within_window(T0, kind, at(2025, 6, 10, 23, 59, 59))  # 23:59 of the last day: in
        assert not clocks.within_window(T0, kind, at(2025, 6, 11, 0, 0))  # 00:00 the next day: out


def test_every_other_accident_has_30_days_day_30_in_day_31_out() -> None:
    # Day 30 after 06-03: June has 27 days left (06-04..06-30), so day 30 is 07-03; day 31 is 07-04.
    assert clocks.supplement_last_day(T0, "other") == datetime.date(2025, 7, 3)
    assert clocks.within_window(T0, "other", at(2025, 6, 11, 9, 0))  # day 8: still in for a non-road case
    assert clocks.within_window(T0, "other", at(2025, 7, 3, 23, 59))
    assert not clocks.within_window(T0, "other", at(2025, 7, 4, 0, 0))


def test_a_window_crossing_a_month_and_a_year_counts_calendar_days() -> None:
    # A fire at 2025-12-28 23:50: day 1 is 12-29, day 3 is 12-31, day 7 is 2026-01-04.
    fire = at(2025, 12, 28, 23, 50)
    assert clocks.supplement_last_day(fire, "fire") == datetime.date(2026, 1, 4)
    assert clocks.within_window(fire, "fire", at(2026, 1, 4, 23, 59, 59))
    assert not clocks.within_window(fire, "fire", at(2026, 1, 5, 0, 0))
    # In February 2024 (leap year) from 01-31: 29 + 1 = 30, so day 30 is 03-01.
    assert clocks.supplement_last_day(at(2024, 1, 31, 8, 0), "other") == datetime.date(2024, 3, 1)


def test_the_day_is_the_accidents_day_in_asia_shanghai_not_in_utc() -> None:
    # 2025-06-03 00:30 in Shanghai is 06-02 16:30 UTC: the day not counted is 06-03, so day 7 is 06-10.
    early = datetime.datetime(2025, 6, 2, 16, 30, tzinfo=datetime.UTC)
    assert clocks.supplement_last_day(early, "road_traffic") == datetime.date(2025, 6, 10)


def test_the_investigation_report_is_due_in_60_days_plus_one_extension() -> None:
    # From 06-03: 06-04..06-30 is 27 days, July 31 → 58, so day 60 is 08-02; +60 more: Aug 29 days left
    # (08-03..08-31) → 29, September 30 → 59, so day 120 is 10-01.
    assert clocks.investigation_due(datetime.date(2025, 6, 3)) == datetime.date(2025, 8, 2)
    assert clocks.investigation_due(datetime.date(2025, 6, 3), 60) == datetime.date(2025, 10, 1)


def test_a_clock_in_days_is_met_on_its_last_day_and_late_at_midnight() -> None:
    end = clocks.midnight_after(datetime.date(2025, 8, 2))
    assert end == at(2025, 8, 3, 0, 0)
    on_last = clocks.Clock("x", end, at(2025, 8, 2, 23, 59), at(2025, 9, 1, 0, 0), in_days=True)
    assert on_last.state == "met" and on_last.deadline_text == "2025-08-02 24:00"
    assert clocks.Clock("x", end, at(2025, 8, 3, 0, 0), at(2025, 9, 1), in_days=True).state == "late"
    assert clocks.Clock("x", end, None, at(2025, 8, 2, 23, 59, 59), in_days=True).state == "open"
    assert clocks.Clock("x", end, None, at(2025, 8, 3, 0, 0), in_days=True).state == "overdue"
    # The one-hour report stays exact to the minute: its deadline instant itself is still in time.
    hour = clocks.Clock("x", T0 + H, T0 + H, T0 + 2 * H)
    assert hour.state == "met" and hour.deadline_text == "2025-06-03 15:20"


def test_a_clock_says_time_left_overdue_met_or_late() -> None:
    deadline = T0 + H
    assert clocks.Clock("x", deadline, None, T0 + 15 * M).state == "open"
    assert clocks.Clock("x", deadline, None, T0 + 15 * M).text == "剩余45分钟"
    overdue = clocks.Clock("x", deadline, None, T0 + 26 * H + 5 * M)
    assert (overdue.state, overdue.text) == ("overdue", "已逾期1天1小时5分钟")
    assert clocks.Clock("x", deadline, T0 + 30 * M, T0 + 99 * H).text == "按时完成（提前30分钟）"
    late = clocks.Clock("x", deadline, T0 + 3 * H, T0 + 99 * H)
    assert (late.state, late.text) == ("late", "逾期2小时完成")
