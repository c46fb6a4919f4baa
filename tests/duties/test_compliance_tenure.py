"""Credit follows tenure: a change of holder mid-period, gaps, vacancies, versions of the regulation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from yigang.duties.compliance import compute

pytestmark = pytest.mark.django_db
D = datetime.date
AFTER_2025 = D(2026, 1, 10)


def _rows(town: Any, post: Any, kind: str, period: str, today: D = AFTER_2025) -> list[Any]:
    return [
        r
        for r in compute(town, 2025, today=today).rows
        if r.post_id == post.pk and r.kind == kind and r.period == period
    ]


def test_a_change_of_holder_mid_year_splits_the_year_pro_rata(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1), D(2025, 6, 30))
    appoint(posts["mayor"], "张三", D(2025, 7, 1))
    rec(posts["mayor"], "meeting", D(2025, 2, 1))
    rec(posts["mayor"], "meeting", D(2025, 6, 30))
    rec(posts["mayor"], "meeting", D(2025, 7, 1))  # the new holder's first day: his
    rows = {r.person: r for r in _rows(town, posts["mayor"], "meeting", "year")}
    # 4 a year × 181 of 365 days = 1.98 → 2; × 184 of 365 = 2.02 → 2.
    assert (rows["巴图"].required, rows["巴图"].done, rows["巴图"].status) == (2, 2, "met")
    assert (rows["张三"].required, rows["张三"].done, rows["张三"].status) == (2, 1, "missed")
    assert set(rows) == {"巴图", "张三"}


def test_the_outgoing_holder_is_judged_on_his_days_only(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["safety"], "李强", D(2020, 1, 1), D(2025, 3, 15))
    appoint(posts["safety"], "王五", D(2025, 3, 16))
    rec(posts["safety"], "meeting", D(2025, 3, 10))
    march = {
        r.person: r for r in _rows(town, posts["safety"], "meeting", "month") if r.period_start.month == 3
    }
    # 15 of 31 days → 0.48 → nothing owed; 16 of 31 → 0.52 → one meeting, and 李强's does not count for 王五.
    assert (march["李强"].required, march["李强"].done, march["李强"].status) == (0, 1, "not_applicable")
    assert (march["王五"].required, march["王五"].done, march["王五"].status) == (1, 0, "missed")
    # On 12 March 王五's part has not begun: nothing is expected of him yet.
    mid = {
        r.person: r
        for r in _rows(town, posts["safety"], "meeting", "month", D(2025, 3, 12))
        if r.period_start.month == 3
    }
    assert mid["王五"].status == "on_track"
    late = {
        r.person: r
        for r in _rows(town, posts["safety"], "meeting", "month", D(2025, 3, 28))
        if r.period_start.month == 3
    }
    assert late["王五"].status == "at_risk"


def test_a_post_nobody_holds_is_a_vacancy_not_a_failure(town: Any, seed: Any, posts: Any, rec: Any) -> None:
    rows = _rows(town, posts["safety"], "meeting", "month")
    assert len(rows) == 12
    assert {(r.person, r.status) for r in rows} == {(None, "vacant")}


def test_a_gap_between_holders_is_reported_as_vacancy(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["safety"], "李强", D(2020, 1, 1), D(2025, 4, 10))
    appoint(posts["safety"], "王五", D(2025, 5, 1))
    april = [r for r in _rows(town, posts["safety"], "meeting", "month") if r.period_start.month == 4]
    assert sorted((r.person or "", r.required, r.status) for r in april) == [
        ("", 1, "vacant"),
        ("李强", 0, "not_applicable"),
    ]
    may = [r for r in _rows(town, posts["safety"], "meeting", "month") if r.period_start.month == 5]
    assert [(r.person, r.status) for r in may] == [("王五", "missed")]


def test_a_record_during_a_vacancy_counts_for_nobody(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["safety"], "王五", D(2025, 2, 1))
    rec(posts["safety"], "meeting", D(2025, 1, 20))  # entered by the officer while the post was vacant
    jan, feb = _rows(town, posts["safety"], "meeting", "month")[:2]
    assert (jan.person, jan.done, jan.status) == (None, 1, "vacant")
    assert (feb.person, feb.done) == ("王五", 0)


def test_periods_before_the_regulation_took_effect_are_not_applicable(
    town: Any, users: Any, posts: Any, appoint: Any, seed_bytes: bytes
) -> None:
    from yigang.regulations import actions

    reg = actions.import_regulation(town=town, data=seed_bytes, filename="s.txt", actor=None)
    actions.activate_regulation(regulation=reg, actor=None, effective_from=D(2025, 3, 15))
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    months = [(r.required, r.status) for r in _rows(town, posts["safety"], "meeting", "month")][:4]
    # March: in force 17 of 31 days → 0.55 → one meeting owed.
    assert months == [(0, "not_applicable"), (0, "not_applicable"), (1, "missed"), (1, "missed")]


def test_each_period_is_judged_by_the_version_in_force(
    town: Any, posts: Any, appoint: Any, seed_bytes: bytes, rec: Any
) -> None:
    from yigang.regulations import actions

    v1 = actions.import_regulation(town=town, data=seed_bytes, filename="v1.txt", actor=None)
    actions.activate_regulation(regulation=v1, actor=None, effective_from=D(2022, 1, 1))
    v2 = actions.import_regulation(town=town, data=seed_bytes, filename="v2.txt", actor=None)
    duty = v2.duties.get(article__number=5, item__number=3)
    actions.correct_duty(duty=duty, post="mayor", kind="meeting", min_count=6, period="year", actor=None)
    actions.activate_regulation(regulation=v2, actor=None, effective_from=D(2025, 7, 1))
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    for day in [D(2025, 3, 1), D(2025, 5, 1), D(2025, 8, 1)]:
        rec(posts["mayor"], "meeting", day)
    year = _rows(town, posts["mayor"], "meeting", "year")
    # Until 30 June: 4 a year for 181 days → 2 (done: 2); from 1 July: 6 a year for 184 days → 3 (done: 1).
    assert sorted((r.required, r.done, r.status) for r in year) == [(2, 2, "met"), (3, 1, "missed")]
    # A duty the new version carries unchanged stays one duty: twelve monthly rows, not twenty-four.
    assert len(_rows(town, posts["safety"], "meeting", "month")) == 12


def test_an_abolished_post_counts_until_its_last_holder_left(
    town: Any, seed: Any, posts: Any, appoint: Any
) -> None:
    from yigang.org.models import Post

    appoint(posts["safety"], "李强", D(2020, 1, 1), D(2025, 6, 30))
    Post.objects.filter(pk=posts["safety"].pk).update(active=False)  # what a reorganisation leaves behind
    rows = _rows(town, posts["safety"], "meeting", "month")
    assert [r.status for r in rows] == ["missed"] * 6 + ["not_applicable"] * 6
