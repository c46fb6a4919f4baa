"""The State Council's real notices of 2015–2026 (tests/workcalendar/notices/, kept as published — 2017 in a
Traditional-character copy, 2019 with half-width punctuation) read day for day like the chinese-calendar
package's own data for those years.

The package also carries three separate notices that are not part of the annual one, so those days differ
and are named here: the 70th anniversary of the victory (2015-09-03 to 05, 09-06 worked), the adjusted 2019
劳动节 (its own notice, also a fixture: pasted after the annual one the year matches), and the 2020 春节
extension for the epidemic (2020-01-31 to 02-02).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import chinese_calendar
import pytest

from yigang.workcalendar.days import Calendar
from yigang.workcalendar.models import CalendarYear
from yigang.workcalendar.notice import parse_notice

D = datetime.date
NOTICES = Path(__file__).parent / "notices"

# Days on which the package follows a notice other than the annual one (see the module docstring).
OTHER_NOTICES = {
    2015: {D(2015, 9, 3), D(2015, 9, 4), D(2015, 9, 6)},
    2019: {D(2019, 4, 28), D(2019, 5, 2), D(2019, 5, 3), D(2019, 5, 5)},
    2020: {D(2020, 1, 31), D(2020, 2, 1)},
}


def _entry(year: int, text: str) -> CalendarYear:
    parsed = parse_notice(text)
    assert parsed.ok, [(ln.number, ln.text, ln.message) for ln in parsed.unread] + parsed.errors
    assert parsed.year == year
    return CalendarYear(
        year=year,
        holidays={d.isoformat(): n for d, n in parsed.holidays.items()},
        workdays={d.isoformat(): n for d, n in parsed.workdays.items()},
    )


def _differences(cal: Calendar, year: int) -> set[datetime.date]:
    day, found = D(year, 1, 1), set()
    while day.year == year:
        working, source = cal.is_working_day(day)
        assert source == "notice"
        if working != chinese_calendar.is_workday(day):
            found.add(day)
        day += datetime.timedelta(days=1)
    return found


@pytest.mark.parametrize("year", range(2015, 2027))
def test_each_years_notice_reads_like_the_package(year: int) -> None:
    entries = [_entry(year, (NOTICES / f"{year}.txt").read_text(encoding="utf-8"))]
    if (NOTICES / f"{year + 1}.txt").exists():
        # 元旦 of the next year may start on 30 or 31 December (the 2019 and 2023 notices): that notice says so.
        entries.append(_entry(year + 1, (NOTICES / f"{year + 1}.txt").read_text(encoding="utf-8")))
    assert _differences(Calendar(entries), year) == OTHER_NOTICES.get(year, set())


def test_the_2019_labour_day_adjustment_pasted_after_the_annual_notice_matches_the_package() -> None:
    text = (
        (NOTICES / "2019.txt").read_text() + "\n" + (NOTICES / "2019-labour-day-adjustment.txt").read_text()
    )
    cal = Calendar([_entry(2019, text), _entry(2020, (NOTICES / "2020.txt").read_text())])
    assert _differences(cal, 2019) == set()


def test_the_2026_notice_as_published() -> None:
    parsed = parse_notice((NOTICES / "2026.txt").read_text())
    # 元旦 1–3 Jan; 春节 15–23 Feb (9 days); 清明 4–6 Apr; 劳动 1–5 May; 端午 19–21 Jun; 中秋 25–27 Sep;
    # 国庆 1–7 Oct: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33 days off.
    assert len(parsed.holidays) == 33
    assert sorted(parsed.workdays) == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    assert parsed.holidays[D(2026, 2, 15)] == "春节" and parsed.holidays[D(2026, 10, 7)] == "国庆节"
    # The title, addressees, preamble, closing and signature are context; the seven items are read.
    assert [ln.number for ln in parsed.lines if ln.status == "read"] == [4, 5, 6, 7, 8, 9, 10]


def test_a_range_across_the_year_without_years_starts_in_december_of_the_year_before() -> None:
    text = (
        "国务院办公厅关于2031年部分节假日安排的通知\n"
        "一、元旦：12月30日（星期一）至1月1日（星期三）放假调休，共3天。12月28日（礼拜六）上班。"
    )
    parsed = parse_notice(text)
    assert parsed.ok
    assert sorted(parsed.holidays) == [D(2030, 12, 30), D(2030, 12, 31), D(2031, 1, 1)]
    assert list(parsed.workdays) == [D(2030, 12, 28)]


def test_a_range_across_a_month_and_the_weekday_forms() -> None:
    parsed = parse_notice((NOTICES / "2018.txt").read_text())
    # 劳动节 "4月29日至5月1日放假调休，共3天": 29 and 30 April, 1 May.
    assert [d for d, n in parsed.holidays.items() if n == "劳动节"] == [
        D(2018, 4, 29),
        D(2018, 4, 30),
        D(2018, 5, 1),
    ]
    for form in ("星期六", "周六", "礼拜六", "农历腊月二十八、周六"):
        one = parse_notice(
            f"关于2026年部分节假日安排的通知\n一、元旦：1月1日至3日放假调休，共3天。2月14日（{form}）上班。"
        )
        assert one.ok and list(one.workdays) == [D(2026, 2, 14)], form


def test_a_holiday_joined_to_the_weekend_adds_only_its_own_day() -> None:
    parsed = parse_notice((NOTICES / "2016.txt").read_text())
    # "清明节：4月4日放假，与周末连休": Monday 4 April; Saturday 2 and Sunday 3 are off anyway.
    assert [d for d, n in parsed.holidays.items() if n == "清明节"] == [D(2016, 4, 4)]
    # "劳动节：5月1日放假，5月2日（星期一）补休": Sunday 1 May and Monday 2 May.
    assert [d for d, n in parsed.holidays.items() if n == "劳动节"] == [D(2016, 5, 1), D(2016, 5, 2)]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("一、元旦：1月1日（周五）至3日（周六）放假调休，共3天。", "星期四"),  # 1 Jan 2026 is a Thursday
        ("一、元旦：1月1日至3日放假调休，共4天。", "共4天"),
        ("六、中秋节、国庆节：0月1日至8日放假调休，共8天。", "不是有效日期"),
        ("一、元旦：11放假，12日（星期一）补休。", "读不懂"),
        ("二、春节：2月15日至23日放假调休，共9天。2月14日（周六）前后上班。", "读不懂"),
    ],
)
def test_a_line_that_cannot_be_read_is_marked_and_the_notice_is_not_ok(line: str, reason: str) -> None:
    text = (
        (NOTICES / "2026.txt")
        .read_text()
        .replace(
            "七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。",
            line,
        )
    )
    parsed = parse_notice(text)
    assert not parsed.ok
    [bad] = parsed.unread
    assert bad.number == 10 and reason in bad.message
    assert parsed.as_json()["unread"][0]["line"] == 10


def test_a_text_without_a_year_needs_one_and_a_wrong_year_is_refused() -> None:
    body = "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"
    assert not parse_notice(body).ok and "找不到年份" in parse_notice(body).errors[0]
    assert parse_notice(body, 2026).ok
    titled = "国务院办公厅关于2026年部分节假日安排的通知\n" + body
    assert "2027" in parse_notice(titled, 2027).errors[0]


def test_a_text_that_is_not_a_notice_reads_nothing() -> None:
    parsed = parse_notice("关于2026年部分节假日安排的通知\n今天天气很好。")
    assert not parsed.ok and "没有读到任何放假安排" in parsed.errors[0]


def test_advice_in_an_item_is_not_a_day_off() -> None:
    parsed = parse_notice((NOTICES / "2024.txt").read_text())
    # "鼓励各单位…安排职工在除夕（2月9日）休息": 9 February stays a working Friday.
    assert D(2024, 2, 9) not in parsed.holidays and parsed.ok
