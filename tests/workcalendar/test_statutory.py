"""A year neither entered nor in the package: the statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision
from 2025: 春节 from 除夕, 4 days; 劳动节 2 days), with 补假 for those on a weekend, from the lunar calendar."""

from __future__ import annotations

import datetime

from yigang.hazards.workdays import add_working_days as hazard_days
from yigang.workcalendar.days import Calendar, add_working_days, package_years
from yigang.workcalendar.statutory import statutory_holidays

D = datetime.date


def test_2027_by_hand() -> None:
    days = statutory_holidays(2027)
    # 元旦: Fri 1 Jan. 春节: 正月初一 is Sat 6 Feb 2027, so 除夕 Fri 5, 初一 Sat 6, 初二 Sun 7, 初三 Mon 8 Feb;
    # two of them on the weekend → 补假 Tue 9 and Wed 10 Feb. 清明 (solar term) Mon 5 Apr. 劳动节 Sat 1 and
    # Sun 2 May → 补假 Mon 3, Tue 4 May. 端午 (五月初五) Wed 9 Jun. 中秋 (八月十五) Wed 15 Sep. 国庆 Fri 1, Sat 2,
    # Sun 3 Oct → 补假 Mon 4, Tue 5 Oct. 1 + 4 + 2 + 1 + 2 + 2 + 1 + 1 + 3 + 2 = 19 days.
    assert sorted(days) == [
        D(2027, 1, 1),
        D(2027, 2, 5),
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
        D(2027, 2, 9),
        D(2027, 2, 10),
        D(2027, 4, 5),
        D(2027, 5, 1),
        D(2027, 5, 2),
        D(2027, 5, 3),
        D(2027, 5, 4),
        D(2027, 6, 9),
        D(2027, 9, 15),
        D(2027, 10, 1),
        D(2027, 10, 2),
        D(2027, 10, 3),
        D(2027, 10, 4),
        D(2027, 10, 5),
    ]
    assert days[D(2027, 2, 5)] == "春节" and days[D(2027, 2, 9)] == "春节（补假）"


def test_before_the_2024_revision_spring_festival_starts_on_new_years_day_and_labour_day_is_one_day() -> None:
    days = statutory_holidays(2024)
    # 正月初一 2024 is Sat 10 Feb: 初一–初三 10–12 Feb (no 除夕), 补假 for Sat 10 and Sun 11 → Tue 13, Wed 14.
    assert [d for d, n in days.items() if n.startswith("春节")] == [
        D(2024, 2, 10),
        D(2024, 2, 11),
        D(2024, 2, 12),
        D(2024, 2, 13),
        D(2024, 2, 14),
    ]
    assert [d for d, n in days.items() if n.startswith("劳动节")] == [D(2024, 5, 1)]


def test_the_urgent_case_a_deadline_into_2027_no_longer_counts_new_years_day() -> None:
    assert package_years()[1] == 2026  # if the package learns 2027, this case moves to the package
    # Wed 30 Dec 2026 + 3 working days: Thu 31 Dec (1); Fri 1 Jan 2027 元旦 off; Sat 2, Sun 3 off; Mon 4 Jan (2);
    # Tue 5 Jan (3). Monday–Friday counting gave Mon 4 Jan.
    result = add_working_days(D(2026, 12, 30), 3)
    assert result.day == D(2027, 1, 5)
    assert result.source == "statutory" and result.fallback_years == [2027]
    assert "2027 年的放假安排通知尚未录入" in result.warnings[0]
    assert hazard_days(D(2026, 12, 30), 3).day == D(2027, 1, 5)


def test_a_deadline_inside_the_package_rests_on_the_package() -> None:
    result = Calendar([]).add_working_days(D(2026, 9, 30), 3)
    # 1–7 Oct off; Thu 8 (1), Fri 9 (2), Sat 10 Oct worked by 调休 (3).
    assert result.day == D(2026, 10, 10) and result.source == "package" and result.warnings == []


def test_show_for_a_statutory_year_lists_its_days_and_no_working_weekends() -> None:
    shown = Calendar([]).year(2027)
    assert shown["source"] == "statutory" and shown["workdays"] == []
    assert shown["holidays"][0] == "2027-01-01" and len(shown["holidays"]) == 19
