"""旬, 半月, 两个月 and 两周 as periods of their own (issue 22, point 1), worked by hand.

Before, 每旬 was converted into 3 a month and 每两个月 into 3 a half-year, so three records in 上旬 met 每旬 for
the whole month and six records in January met 每两个月 for half a year. Each test below writes the periods,
the days of each share and the largest-remainder arithmetic (docs/compliance.md) in its comments.
"""

from __future__ import annotations

import datetime
import itertools
import json
from typing import Any

import pytest

from yigang.duties.compliance import compute
from yigang.regulations.periods import FORTNIGHT_EPOCH, period_containing, periods_of_year, year_window

pytestmark = pytest.mark.django_db
D = datetime.date
AFTER_2025 = D(2026, 1, 10)


@pytest.fixture
def real(town: Any, seed_bytes: bytes) -> Any:
    """The seed in force from 2022-01-01 with four duties of the safety deputy, one per new kind of period."""
    from yigang.regulations import actions

    reg = actions.import_regulation(town=town, data=seed_bytes, filename="seed.txt", actor=None)
    for period, kind, count in [
        ("ten_days", "inspection", 1),  # 每旬至少检查1次
        ("half_month", "meeting", 2),  # 每半月至少召开2次调度会
        ("two_months", "research", 1),  # 每两个月至少调研1次
        ("two_weeks", "training", 1),  # 每两周至少宣传1次
    ]:
        actions.add_duty(
            regulation=reg,
            article=None,
            item=None,
            post="safety_deputy",
            kind=kind,
            min_count=count,
            period=period,
            text=f"测试：{period}",
            actor=None,
        )
    actions.activate_regulation(regulation=reg, actor=None, effective_from=D(2022, 1, 1))
    return reg


def _rows(town: Any, post: Any, period: str, today: D = AFTER_2025, year: int = 2025) -> list[Any]:
    return [r for r in compute(town, year, today=today).rows if r.post_id == post.pk and r.period == period]


def _post_rows(town: Any, post: Any, period: str, today: D = AFTER_2025, year: int = 2025) -> list[Any]:
    result = compute(town, year, today=today)
    return [r for r in result.post_rows if r.post_id == post.pk and r.period == period]


def _at(rows: list[Any], start: D) -> list[tuple[str | None, int, int, str]]:
    return [(r.person, r.required, r.done, r.status) for r in rows if r.period_start == start]


# ---------------------------------------------------------------- the periods themselves


def test_ten_days_half_months_and_two_months_of_a_year() -> None:
    ten = periods_of_year("ten_days", 2024)
    assert len(ten) == 36
    # February 2024 (leap year): 上旬 1–10 (10 days), 中旬 11–20 (10), 下旬 21–29 (9).
    assert [(p.start, p.end, p.days, p.label) for p in ten[3:6]] == [
        (D(2024, 2, 1), D(2024, 2, 10), 10, "2月上旬"),
        (D(2024, 2, 11), D(2024, 2, 20), 10, "2月中旬"),
        (D(2024, 2, 21), D(2024, 2, 29), 9, "2月下旬"),
    ]
    assert (ten[2].end, ten[2].days) == (D(2024, 1, 31), 11)  # 1月下旬: 21–31, 11 days
    halves = periods_of_year("half_month", 2025)
    assert len(halves) == 24
    # February 2025: 1–15 (15 days), 16–28 (13 days).
    assert [(p.start, p.end, p.label) for p in halves[2:4]] == [
        (D(2025, 2, 1), D(2025, 2, 15), "2月上半月"),
        (D(2025, 2, 16), D(2025, 2, 28), "2月下半月"),
    ]
    two = periods_of_year("two_months", 2025)
    assert [(p.start, p.end, p.label) for p in two] == [
        (D(2025, 1, 1), D(2025, 2, 28), "1—2月"),
        (D(2025, 3, 1), D(2025, 4, 30), "3—4月"),
        (D(2025, 5, 1), D(2025, 6, 30), "5—6月"),
        (D(2025, 7, 1), D(2025, 8, 31), "7—8月"),
        (D(2025, 9, 1), D(2025, 10, 31), "9—10月"),
        (D(2025, 11, 1), D(2025, 12, 31), "11—12月"),
    ]
    assert period_containing("ten_days", D(2025, 2, 28)).label == "2月下旬"


def test_fortnights_run_every_fourteen_days_from_the_epoch_monday() -> None:
    # The epoch: Monday 4 January 2027, the first day of ISO week 1 of 2027.
    assert D(2027, 1, 4) == FORTNIGHT_EPOCH and FORTNIGHT_EPOCH.isocalendar()[1:] == (1, 1)
    f2027 = periods_of_year("two_weeks", 2027)
    # 2027 has 52 ISO weeks: 26 fortnights, weeks 1–2 … 51–52, from 4 Jan 2027 to 2 Jan 2028.
    assert (len(f2027), f2027[0].start, f2027[0].label, f2027[-1].end, f2027[-1].label) == (
        26,
        D(2027, 1, 4),
        "第1—2周",
        D(2028, 1, 2),
        "第51—52周",
    )
    # Backwards: 4 Jan 2027 − 6 Jan 2025 = 728 days = 52 fortnights, so a fortnight starts on 6 Jan 2025,
    # the first Monday of ISO week 2; ISO week 1 of 2025 (30 Dec–5 Jan) ends the fortnight that started on
    # 23 Dec 2024, a Monday of ISO year 2024, so that one is 2024's.
    f2025 = periods_of_year("two_weeks", 2025)
    assert (FORTNIGHT_EPOCH - D(2025, 1, 6)).days == 52 * 14
    assert (len(f2025), f2025[0].start, f2025[0].label) == (26, D(2025, 1, 6), "第2—3周")
    # Its last starts Monday 22 Dec 2025 (ISO week 52) and runs to Sunday 4 Jan 2026: the year's window
    # reaches that far.
    assert (f2025[-1].start, f2025[-1].end, f2025[-1].label) == (
        D(2025, 12, 22),
        D(2026, 1, 4),
        "第52周—2026年第1周",
    )
    assert year_window(2025).end == D(2026, 1, 4)
    assert periods_of_year("two_weeks", 2024)[-1].end == D(2025, 1, 5)
    # A 53-week ISO year holds 27 fortnight starts: 2032 (weeks 1–2 … 53 + 2033's week 1).
    f2032 = periods_of_year("two_weeks", 2032)
    assert (len(f2032), f2032[-1].label) == (27, "第53周—2033年第1周")
    # Every fortnight has 14 days and they follow each other without a gap across the years.
    chain = [p for y in range(2024, 2034) for p in periods_of_year("two_weeks", y)]
    assert all(p.days == 14 for p in chain)
    assert all(b.start - a.end == datetime.timedelta(days=1) for a, b in itertools.pairwise(chain))
    assert period_containing("two_weeks", D(2027, 1, 1)).start == D(2026, 12, 21)


# ---------------------------------------------------------------- 旬


def test_three_records_in_the_first_ten_days_meet_only_that_ten_days(
    town: Any, real: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    for day in (D(2025, 1, 2), D(2025, 1, 5), D(2025, 1, 10)):  # all three in 1月上旬 (1–10)
        rec(posts["safety"], "inspection", day)
    rec(posts["safety"], "inspection", D(2025, 1, 11))  # 1月中旬's first day
    rec(posts["safety"], "inspection", D(2025, 2, 28))  # 2月下旬 (21–28)
    rows = _rows(town, posts["safety"], "ten_days")
    assert len(rows) == 36  # 12 months × 3
    # 1月上旬: 3 done of 1 required, met; 1月中旬: 1 of 1, met; 1月下旬: 0 of 1, missed (before: the three
    # records of 上旬 made January's "3 a month" met).
    assert _at(rows, D(2025, 1, 1)) == [("李强", 1, 3, "met")]
    assert _at(rows, D(2025, 1, 11)) == [("李强", 1, 1, "met")]
    assert _at(rows, D(2025, 1, 21)) == [("李强", 1, 0, "missed")]
    assert _at(rows, D(2025, 2, 21)) == [("李强", 1, 1, "met")]
    assert sum(r.status == "met" for r in rows) == 3
    assert sum(r.status == "missed" for r in rows) == 33
    assert rows[0].period_label == "2025年1月上旬"


def test_a_hand_over_inside_ten_days_and_a_vacancy(
    town: Any, real: Any, posts: Any, appoint: Any, rec: Any, users: Any
) -> None:
    appoint(posts["safety"], "巴图", D(2020, 1, 1), D(2025, 3, 14))
    appoint(posts["safety"], "李强", D(2025, 3, 15), D(2025, 3, 31))
    appoint(posts["safety"], "王芳", D(2025, 4, 21))  # vacant 1–20 April
    rec(posts["safety"], "inspection", D(2025, 3, 19))  # 李强's
    rec(posts["safety"], "inspection", D(2025, 4, 15))  # entered by the 安委办 while vacant
    rows = _rows(town, posts["safety"], "ten_days")
    # 3月中旬 (11–20, 10 days, owes 1): 巴图 11–14 = 4 days, 李强 15–20 = 6 days.
    # Quotas 1 × 4/10 = 0.4 and 1 × 6/10 = 0.6: whole parts 0 + 0, the one left goes to the larger
    # remainder (6): 巴图 0 (not applicable), 李强 1 — done 1 (19 March), met.
    assert _at(rows, D(2025, 3, 11)) == [("巴图", 0, 0, "not_applicable"), ("李强", 1, 1, "met")]
    # 3月下旬 (21–31): 李强 alone, nothing done: missed.
    assert _at(rows, D(2025, 3, 21)) == [("李强", 1, 0, "missed")]
    # 4月上旬 and 4月中旬: nobody held the post — the vacancy owes 1 each, a vacancy row, never a person's
    # failure; the record of 15 April counts for 中旬's vacancy row.
    assert _at(rows, D(2025, 4, 1)) == [(None, 1, 0, "vacant")]
    assert _at(rows, D(2025, 4, 11)) == [(None, 1, 1, "vacant")]
    # 4月下旬 (21–30): 王芳 from the 21st holds all of it.
    assert _at(rows, D(2025, 4, 21)) == [("王芳", 1, 0, "missed")]
    # The seat as a whole: 4月上旬 owed 1, nothing done — missed; 4月中旬 met by the vacancy's record.
    seat = _post_rows(town, posts["safety"], "ten_days")
    assert _at(seat, D(2025, 4, 1)) == [(None, 1, 0, "missed")]
    assert _at(seat, D(2025, 4, 11)) == [(None, 1, 1, "met")]


# ---------------------------------------------------------------- 半月


def test_a_hand_over_inside_half_a_month_shares_by_largest_remainder(
    town: Any, real: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["safety"], "巴图", D(2020, 1, 1), D(2025, 3, 6))
    appoint(posts["safety"], "李强", D(2025, 3, 7))
    rec(posts["safety"], "meeting", D(2025, 3, 3))  # 巴图's
    rec(posts["safety"], "meeting", D(2025, 3, 16))  # 李强's, in 3月下半月
    rows = _rows(town, posts["safety"], "half_month")
    assert len(rows) == 24 + 1  # 24 half-months, 3月上半月 split in two
    # 3月上半月 (1–15, 15 days, owes 2): 巴图 1–6 = 6 days, 李强 7–15 = 9 days.
    # Quotas 2 × 6/15 = 0.8 and 2 × 9/15 = 1.2: whole parts 0 + 1 = 1, remainders 12/15 and 3/15; the one
    # left goes to 巴图's 12: 巴图 1 (done 1, met), 李强 1 (done 0, missed).
    assert _at(rows, D(2025, 3, 1)) == [("巴图", 1, 1, "met"), ("李强", 1, 0, "missed")]
    # 3月下半月 (16–31): 李强 owes 2, did 1: missed.
    assert _at(rows, D(2025, 3, 16)) == [("李强", 2, 1, "missed")]
    # February 2025's second half is 16–28 (13 days), still owing 2.
    assert _at(rows, D(2025, 2, 16)) == [("巴图", 2, 0, "missed")]
    # The seat in 3月上半月: owes 2, 1 done (whoever did it): missed.
    assert _at(_post_rows(town, posts["safety"], "half_month"), D(2025, 3, 1)) == [(None, 2, 1, "missed")]


def test_half_a_month_still_running_is_judged_on_its_own_days(
    town: Any, real: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    rec(posts["safety"], "meeting", D(2025, 6, 2))
    # 6 June: 6 of the 15 days of 6月上半月 have passed; 1 done of 2 and ⌊2 × 6/15⌋ = 0 behind pace, and
    # 6/15 < 2/3: on track. On 11 June, 11/15 ≥ 2/3 with 1 still to do: at risk.
    assert _at(_rows(town, posts["safety"], "half_month", today=D(2025, 6, 6)), D(2025, 6, 1)) == [
        ("李强", 2, 1, "on_track")
    ]
    assert _at(_rows(town, posts["safety"], "half_month", today=D(2025, 6, 11)), D(2025, 6, 1)) == [
        ("李强", 2, 1, "at_risk")
    ]


# ---------------------------------------------------------------- 两个月


def test_six_records_in_january_meet_only_january_and_february(
    town: Any, real: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    for day in range(5, 11):  # six research visits, 5–10 January
        rec(posts["safety"], "research", D(2025, 1, day), title=f"调研{day}")
    rows = _rows(town, posts["safety"], "two_months")
    # 1—2月: 6 of 1, met; 3—4月 and 5—6月: 0 of 1, missed (before: 3 a half-year, met by January alone).
    assert [(r.period_label, r.required, r.done, r.status) for r in rows[:3]] == [
        ("2025年1—2月", 1, 6, "met"),
        ("2025年3—4月", 1, 0, "missed"),
        ("2025年5—6月", 1, 0, "missed"),
    ]
    assert len(rows) == 6


def test_a_post_set_up_inside_two_months_owes_pro_rata_and_a_vacancy_follows(
    town: Any, real: Any, appoint: Any, rec: Any
) -> None:
    from yigang.org import actions

    gov = actions.add_unit(town=town, name="镇人民政府", kind="government", actor=None)
    post = actions.add_post(
        unit=gov, title="分管安全生产副镇长", kind="safety_deputy", valid_from=D(2025, 1, 20), actor=None
    )
    appoint(post, "李强", D(2025, 1, 20), D(2025, 4, 10))  # then vacant from 11 April
    rec(post, "research", D(2025, 2, 3))
    rows = _rows(town, post, "two_months")
    # 1—2月 has 59 days; the post existed 20 Jan–28 Feb = 12 + 28 = 40 of them: it owes
    # round_half_up(1 × 40/59) = round_half_up(0.68) = 1; 李强 holds all 40 days and did 1: met.
    assert _at(rows, D(2025, 1, 1)) == [("李强", 1, 1, "met")]
    # 3—4月 (61 days, owes 1): 李强 1 Mar–10 Apr = 31 + 10 = 41 days, the vacancy 11–30 Apr = 20 days.
    # Quotas 41/61 = 0.67 and 20/61 = 0.33: the one goes to 李强 (larger remainder); the vacancy owes 0 and,
    # since someone held the post, is not reported.
    assert _at(rows, D(2025, 3, 1)) == [("李强", 1, 0, "missed")]
    # 5—6月 onwards nobody holds it: a vacancy row owing the whole 1.
    assert _at(rows, D(2025, 5, 1)) == [(None, 1, 0, "vacant")]


# ---------------------------------------------------------------- 两周


def test_fortnights_with_a_hand_over_and_a_vacancy(
    town: Any, real: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["safety"], "巴图", D(2020, 1, 1), D(2025, 3, 5))
    appoint(posts["safety"], "李强", D(2025, 3, 6), D(2025, 3, 16))
    appoint(posts["safety"], "王芳", D(2025, 3, 31))  # vacant 17–30 March: the fortnight of 17 March
    rec(posts["safety"], "training", D(2025, 1, 3))  # 2024's last fortnight
    rec(posts["safety"], "training", D(2025, 3, 10))
    rec(posts["safety"], "training", D(2026, 1, 2))  # 2025's last (22 Dec–4 Jan)
    rows = _rows(town, posts["safety"], "two_weeks")
    # The fortnight of 3 March (3–16 March, weeks 10–11): 巴图 3–5 = 3 days, 李强 6–16 = 11 days.
    # Owes 1: quotas 3/14 = 0.21 and 11/14 = 0.79; the one goes to 李强, who did it on 10 March: met.
    assert _at(rows, D(2025, 3, 3)) == [("巴图", 0, 0, "not_applicable"), ("李强", 1, 1, "met")]
    assert rows[0].period_label.startswith("2025年第2—3周")
    # 17–30 March: nobody — the vacancy owes 1.
    assert _at(rows, D(2025, 3, 17)) == [(None, 1, 0, "vacant")]
    # 31 March–13 April: 王芳.
    assert _at(rows, D(2025, 3, 31)) == [("王芳", 1, 0, "missed")]
    # The record of 3 January 2025 falls in the fortnight of 23 Dec 2024 (2024's); that of 2 January 2026
    # in 2025's last fortnight.
    assert _at(rows, D(2025, 1, 6)) == [("巴图", 1, 0, "missed")]
    assert _at(rows, D(2025, 12, 22)) == [("王芳", 1, 1, "met")]
    (last_of_2024,) = [
        r for r in _rows(town, posts["safety"], "two_weeks", year=2024) if r.period_start == D(2024, 12, 23)
    ]
    assert (last_of_2024.person, last_of_2024.done, last_of_2024.status) == ("巴图", 1, "met")


# ---------------------------------------------------------------- reminders, heatmap, JSON, API


def test_reminders_know_the_new_periods(town: Any, real: Any, posts: Any, appoint: Any) -> None:
    from yigang.duties import actions
    from yigang.duties.reminders import notices_for

    appoint(posts["safety"], "李强", D(2020, 1, 1))

    def due(today: D) -> set[str]:
        return {
            n.row.period_label
            for n in notices_for(town, today)
            if n.stage == "due" and n.row.post_id == posts["safety"].pk
        }

    # 6月中旬 ends on the 20th: 3 days before by default, so from the 17th (20 − 17 = 3), not on the 16th.
    assert "2025年6月中旬" not in due(D(2025, 6, 16))
    assert "2025年6月中旬" in due(D(2025, 6, 17))
    # 6月上半月 ends on the 15th: 4 days before, from the 11th. 5—6月 ends 30 June: 10 days, from the 20th.
    assert "2025年6月上半月" in due(D(2025, 6, 11)) and "2025年6月上半月" not in due(D(2025, 6, 10))
    assert "2025年5—6月" in due(D(2025, 6, 20)) and "2025年5—6月" not in due(D(2025, 6, 19))
    # The fortnight of 9–22 June 2025 (weeks 24–25; 9 June − 6 January = 154 days = 11 × 14): 3 days
    # before, from the 19th.
    assert any(label.startswith("2025年第24—25周") for label in due(D(2025, 6, 19)))
    assert not any(label.startswith("2025年第24—25周") for label in due(D(2025, 6, 18)))
    actions.set_reminder_policy(town=town, days={"ten_days": 5}, actor=None)
    assert "2025年6月中旬" in due(D(2025, 6, 15))
    with pytest.raises(Exception, match="0 到 7"):  # the shortest 旬 (21–28 February) has 8 days
        actions.set_reminder_policy(town=town, days={"ten_days": 8}, actor=None)


def test_the_heatmap_puts_each_ten_days_in_its_month(town: Any, real: Any, posts: Any, appoint: Any) -> None:
    from yigang.duties.heatmap import heatmap_data

    appoint(posts["safety"], "李强", D(2020, 1, 1))
    result = compute(town, 2025, today=AFTER_2025)
    data = heatmap_data(result)
    [post_index] = [i for i, name in enumerate(data["posts"]) if "分管安全生产副镇长" in name]
    january = data["details"][f"0,{post_index}"]
    assert sum("1月上旬" in line or "1月中旬" in line or "1月下旬" in line for line in january) == 3
    assert sum("1月上半月" in line or "1月下半月" in line for line in january) == 2
    # 1—2月 ends in February; 2025's last fortnight ends on 4 January 2026 and is shown in December.
    assert not any("1—2月" in line for line in january)
    assert any("1—2月" in line for line in data["details"][f"1,{post_index}"])
    assert any("第52周—2026年第1周" in line for line in data["details"][f"11,{post_index}"])


def test_the_json_and_the_api_name_the_new_kinds(
    town: Any, real: Any, posts: Any, appoint: Any, users: Any, login: Any
) -> None:
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    kinds = {r["period"] for r in compute(town, 2025, today=AFTER_2025).as_json()["rows"]}
    assert {"ten_days", "half_month", "two_months", "two_weeks"} <= kinds
    client = login(users["officer"])
    answer = client.get(f"/api/duties/compliance?town={town.code}&year=2025").json()
    assert {"ten_days", "half_month", "two_months", "two_weeks"} <= {r["period"] for r in answer["rows"]}
    regulation = client.get(f"/api/regulations/{real.pk}").json()
    assert {"ten_days", "half_month", "two_months", "two_weeks"} <= {
        d["period"] for d in regulation["duties"]
    }
    schema = client.get("/api/openapi.json").json()
    assert "two_weeks" in json.dumps(schema)


def test_a_regulation_imported_with_converted_periods_keeps_its_history(
    town: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    """A version stored before issue 22 holds 每旬 as 3 a month: it keeps judging that way. The next version,
    re-imported from the same text, reads 每旬 as a 旬 and binds from its effective date."""
    from yigang.regulations import actions
    from yigang.regulations.models import Duty

    text = "某镇安全生产责任制度\n第一条 分管安全生产的副镇长履行以下职责：\n1．每旬组织检查一次。\n"
    old = actions.import_regulation(town=town, data=text.encode(), filename="old.txt", actor=None)
    Duty.objects.filter(regulation=old).update(period="month", min_count=3)  # as the old parser stored it
    actions.activate_regulation(regulation=old, actor=None, effective_from=D(2022, 1, 1))
    new = actions.import_regulation(town=town, data=text.encode(), filename="new.txt", actor=None)
    assert [(d.period, d.min_count) for d in new.duties.all()] == [("ten_days", 1)]
    actions.activate_regulation(regulation=new, actor=None, effective_from=D(2025, 7, 1))
    assert [(d.period, d.min_count) for d in Duty.objects.filter(regulation=old)] == [("month", 3)]
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    for day in (D(2025, 6, 2), D(2025, 6, 5), D(2025, 6, 9)):  # three in 6月上旬
        rec(posts["safety"], "inspection", day)
    result = compute(town, 2025, today=AFTER_2025)
    mine = [r for r in result.rows if r.post_id == posts["safety"].pk and r.kind == "inspection"]
    # June is judged by the old version, as before: 3 a month, met by the three of 上旬.
    [june] = [r for r in mine if r.period == "month" and r.period_start == D(2025, 6, 1)]
    assert (june.required, june.done, june.status, june.regulation_version) == (3, 3, "met", old.version)
    # From 1 July the new version: the old duty binds no day (its month rows are not applicable), and 18 旬
    # (July–December) each owe 1.
    later = [r for r in mine if r.period == "month" and r.period_start >= D(2025, 7, 1)]
    assert {(r.required, r.status) for r in later} == {(0, "not_applicable")}
    ten = [r for r in mine if r.period == "ten_days" and r.required]
    assert (len(ten), {r.required for r in ten}, ten[0].period_start) == (18, {1}, D(2025, 7, 1))


def test_a_person_s_due_window_uses_the_same_periods() -> None:
    from yigang.org.due import window

    assert (window("ten_days", D(2025, 2, 25)).start, window("ten_days", D(2025, 2, 25)).end) == (
        D(2025, 2, 21),
        D(2025, 2, 28),
    )
    assert window("ten_days", D(2025, 2, 25)).label == "2025年2月下旬"
    assert window("half_month", D(2025, 2, 16)).label == "2025年2月下半月"
    assert window("two_months", D(2025, 4, 30)).label == "2025年3—4月"
    fortnight = window("two_weeks", D(2027, 1, 1))
    assert (fortnight.start, fortnight.end, fortnight.days_left(D(2027, 1, 1))) == (
        D(2026, 12, 21),
        D(2027, 1, 3),
        3,  # 1, 2 and 3 January
    )


def test_the_home_shows_last_year_s_fortnight_still_running_in_january(
    town: Any, real: Any, posts: Any, appoint: Any, make_user: Any
) -> None:
    """On 2 January 2026 the fortnight of 22 December 2025 – 4 January 2026 (2025's last: a fortnight belongs to
    the ISO year of its first Monday) is still running: the holder's home lists it once, beside 2026's periods."""
    from yigang.overview.home import mine, running_years
    from yigang.towns.models import Role

    person = appoint(posts["safety"], "王芳", D(2020, 1, 1))
    user = make_user("wangfang", Role.LEADER, town)
    person.user = user
    person.save(update_fields=["user"])
    assert running_years(D(2026, 1, 2)) == [2025, 2026]
    assert running_years(D(2026, 6, 1)) == [2026]
    assert running_years(D(2025, 12, 30)) == [2025, 2026]  # 29 Dec 2025 starts ISO week 1 of 2026
    mine_ = mine(user, town, D(2026, 1, 2))
    assert mine_ is not None
    fortnights = [d for d in mine_.duties if d.text == "测试：two_weeks"]
    assert [d.period_label for d in fortnights] == ["2025年第52周—2026年第1周（12.22—01.04）"]
    assert (fortnights[0].done, fortnights[0].required) == (0, 1)
    ten_days = [d for d in mine_.duties if d.text == "测试：ten_days"]
    assert [d.period_label for d in ten_days] == ["2026年1月上旬"]  # 2026's own periods are there too
