"""Compliance over each kind of period, with month and year boundaries taken in Asia/Shanghai."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from yigang.duties.compliance import compute
from yigang.regulations.periods import periods_of_year

from .conftest import SHANGHAI, at

pytestmark = pytest.mark.django_db
D = datetime.date
AFTER_2025 = D(2026, 1, 10)


def _rows(town: Any, post: Any, kind: str, period: str, today: D = AFTER_2025, year: int = 2025) -> list[Any]:
    return [
        r
        for r in compute(town, year, today=today).rows
        if r.post_id == post.pk and r.kind == kind and r.period == period
    ]


def test_the_periods_of_a_year() -> None:
    weeks = periods_of_year("week", 2025)
    assert (len(weeks), weeks[0].start, weeks[-1].end) == (52, D(2024, 12, 30), D(2025, 12, 28))
    assert len(periods_of_year("week", 2020)) == 53
    assert [p.end for p in periods_of_year("month", 2024)][1] == D(2024, 2, 29)
    assert [(p.start, p.end) for p in periods_of_year("quarter", 2025)][3] == (
        D(2025, 10, 1),
        D(2025, 12, 31),
    )
    assert [p.label for p in periods_of_year("half_year", 2025)] == ["上半年", "下半年"]
    assert [(p.start, p.end) for p in periods_of_year("year", 2025)] == [(D(2025, 1, 1), D(2025, 12, 31))]


def test_weekly_duty_counts_iso_weeks(town: Any, seed: Any, posts: Any, appoint: Any, rec: Any) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    rec(posts["mayor"], "training", D(2024, 12, 31))  # a Tuesday of ISO week 1 of 2025
    rec(posts["mayor"], "training", D(2025, 3, 5))
    rec(posts["mayor"], "meeting", D(2025, 3, 12))  # another kind never counts
    rows = _rows(town, posts["mayor"], "training", "week")
    assert len(rows) == 52
    met = [r for r in rows if r.status == "met"]
    assert [r.period_start for r in met] == [D(2024, 12, 30), D(2025, 3, 3)]
    assert {r.status for r in rows} - {"met"} == {"missed"}
    assert all(r.required == 1 and r.person == "巴图" for r in rows)


def test_monthly_duty_follows_the_shanghai_calendar(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    # 23:30 on 31 January in Beijing is 15:30 UTC the same day: January.
    rec(posts["safety"], "meeting", datetime.datetime(2025, 1, 31, 23, 30, tzinfo=SHANGHAI))
    # 00:30 on 1 March in Beijing is still 28 February in UTC: it is March that counts.
    rec(posts["safety"], "meeting", datetime.datetime(2025, 3, 1, 0, 30, tzinfo=SHANGHAI))
    rows = {r.period_start.month: r for r in _rows(town, posts["safety"], "meeting", "month")}
    assert len(rows) == 12
    assert (rows[1].done, rows[1].status) == (1, "met")
    assert (rows[2].done, rows[2].status) == (0, "missed")
    assert (rows[3].done, rows[3].status) == (1, "met")


def test_the_year_boundary_is_shanghai_midnight(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    rec(posts["mayor"], "meeting", datetime.datetime(2024, 12, 31, 23, 30, tzinfo=SHANGHAI))  # 2024
    rec(posts["mayor"], "meeting", datetime.datetime(2025, 1, 1, 0, 15, tzinfo=SHANGHAI))  # 2025 (UTC: 2024)
    (y2025,) = _rows(town, posts["mayor"], "meeting", "year")
    (y2024,) = _rows(town, posts["mayor"], "meeting", "year", year=2024)
    assert (y2024.done, y2025.done) == (1, 1)
    assert (y2025.required, y2025.status) == (4, "missed")


def test_quarter_half_year_and_year(town: Any, seed: Any, posts: Any, appoint: Any, rec: Any) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    for day in [D(2025, 1, 10), D(2025, 3, 31), D(2025, 5, 5)]:
        rec(posts["mayor"], "research", day)
    rec(posts["mayor"], "campaign", D(2025, 9, 1))
    for month in [2, 5, 8, 11]:
        rec(posts["mayor"], "meeting", D(2025, month, 20))
    quarters = [(r.required, r.done, r.status) for r in _rows(town, posts["mayor"], "research", "quarter")]
    assert quarters == [(2, 2, "met"), (2, 1, "missed"), (2, 0, "missed"), (2, 0, "missed")]
    halves = [(r.done, r.status) for r in _rows(town, posts["mayor"], "campaign", "half_year")]
    assert halves == [(0, "missed"), (1, "met")]
    (year,) = _rows(town, posts["mayor"], "meeting", "year")
    assert (year.required, year.done, year.status) == (4, 4, "met")
    assert [r.id for r in year.records] == sorted(r.id for r in year.records)


def test_running_periods_are_on_track_or_at_risk_and_future_ones_not_applicable(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    early = {
        r.period_start.month: r.status
        for r in _rows(town, posts["safety"], "meeting", "month", D(2025, 5, 10))
    }
    assert (early[4], early[5], early[6]) == ("missed", "on_track", "not_applicable")
    late = {
        r.period_start.month: r.status
        for r in _rows(town, posts["safety"], "meeting", "month", D(2025, 5, 25))
    }
    assert late[5] == "at_risk"
    # 4 a year: by 10 May a steady pace is one done; none done is at risk, one done is on track.
    (year,) = _rows(town, posts["mayor"], "meeting", "year", D(2025, 5, 10))
    assert year.status == "at_risk"
    rec(posts["mayor"], "meeting", D(2025, 4, 1))
    (year,) = _rows(town, posts["mayor"], "meeting", "year", D(2025, 5, 10))
    assert (year.done, year.status) == (1, "on_track")


def test_the_json_shape(town: Any, seed: Any, posts: Any, appoint: Any) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    data = compute(town, 2025, today=AFTER_2025).as_json()
    assert set(data) == {"town", "year", "rows", "post_rows"}
    row = next(
        r for r in data["rows"] if r["kind"] == "meeting" and r["period"] == "year" and r["post"] == "镇长"
    )
    assert row == {
        "post": "镇长",
        "person": "巴图",
        "article": 5,
        "item": 3,
        "kind": "meeting",
        "period": "year",
        "period_start": "2025-01-01",
        "required": 4,
        "done": 0,
        "status": "missed",
        "level": "holder",
        "late": 0,
        "source": "regulation",
    }
    seat = next(
        r
        for r in data["post_rows"]
        if r["kind"] == "meeting" and r["period"] == "year" and r["post"] == "镇长"
    )
    assert (seat["person"], seat["required"], seat["level"]) == (None, 4, "post")


def test_a_record_at_utc_midnight_is_dated_in_shanghai(town: Any, seed: Any, posts: Any, rec: Any) -> None:
    record = rec(posts["mayor"], "meeting", datetime.datetime(2025, 1, 31, 16, 30, tzinfo=datetime.UTC))
    assert record.occurred_on == D(2025, 2, 1)
    assert at(D(2025, 1, 31), 23, 30).astimezone(datetime.UTC).date() == D(2025, 1, 31)
