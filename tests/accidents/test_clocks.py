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


def test_road_traffic_and_fire_have_7_days_and_every_other_accident_30() -> None:
    day = datetime.timedelta(days=1)
    for kind in ("road_traffic", "fire"):
        assert clocks.supplement_deadline(T0, kind) == T0 + 7 * day
        assert clocks.within_window(T0, kind, T0 + 7 * day)
        assert not clocks.within_window(T0, kind, T0 + 7 * day + S)
    assert clocks.supplement_deadline(T0, "other") == T0 + 30 * day
    assert clocks.within_window(T0, "other", T0 + 8 * day)
    assert clocks.within_window(T0, "other", T0 + 30 * day)
    assert not clocks.within_window(T0, "other", T0 + 30 * day + S)


def test_the_investigation_report_is_due_in_60_days_plus_one_extension() -> None:
    assert clocks.investigation_due(datetime.date(2025, 6, 3)) == datetime.date(2025, 8, 2)
    assert clocks.investigation_due(datetime.date(2025, 6, 3), 60) == datetime.date(2025, 10, 1)


def test_a_clock_says_time_left_overdue_met_or_late() -> None:
    deadline = T0 + H
    assert clocks.Clock("x", deadline, None, T0 + 15 * M).state == "open"
    assert clocks.Clock("x", deadline, None, T0 + 15 * M).text == "剩余45分钟"
    overdue = clocks.Clock("x", deadline, None, T0 + 26 * H + 5 * M)
    assert (overdue.state, overdue.text) == ("overdue", "已逾期1天1小时5分钟")
    assert clocks.Clock("x", deadline, T0 + 30 * M, T0 + 99 * H).text == "按时完成（提前30分钟）"
    late = clocks.Clock("x", deadline, T0 + 3 * H, T0 + 99 * H)
    assert (late.state, late.text) == ("late", "逾期2小时完成")
