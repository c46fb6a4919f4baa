"""The post owes the regulation's minimum; holders and the vacancy share it by days, largest remainder first.

Every figure below is worked by hand in the comments. Duties used (the seed, docs/domain.md):
- 镇长 第五条第三项: 会议 每年至少4次 (a year of 2025 has 365 days);
- 分管安全生产副镇长 第九条第三项: 会议 每月至少1次.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from yigang.duties.compliance import compute, largest_remainder

pytestmark = pytest.mark.django_db
D = datetime.date
AFTER_2025 = D(2026, 1, 10)


def _year(town: Any, post: Any, kind: str, period: str, month: int | None = None) -> tuple[list[Any], Any]:
    """The holders' and vacancy rows, and the post-level row, of one duty and period of 2025."""
    result = compute(town, 2025, today=AFTER_2025)

    def pick(rows: list[Any]) -> list[Any]:
        return [
            r
            for r in rows
            if r.post_id == post.pk
            and r.kind == kind
            and r.period == period
            and (month is None or r.period_start.month == month)
        ]

    (seat,) = pick(result.post_rows)
    return pick(result.rows), seat


def test_largest_remainder_by_hand() -> None:
    # 4 × (120, 123, 122) ÷ 365 = 1.315, 1.348, 1.337 → whole parts 1, 1, 1 (3); the 4th goes to 1.348.
    assert largest_remainder(4, [120, 123, 122]) == [1, 2, 1]
    # Equal remainders (1 × 10 ÷ 30 each): the share whose days end last takes the one record.
    assert largest_remainder(1, [10, 10, 10], [D(2025, 4, 10), D(2025, 4, 20), D(2025, 4, 30)]) == [0, 0, 1]
    assert largest_remainder(0, [5, 5]) == [0, 0]
    assert largest_remainder(3, []) == []


def test_three_holders_of_a_year_share_exactly_four(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["mayor"], "甲", D(2020, 1, 1), D(2025, 4, 30))  # 1 Jan – 30 Apr: 31+28+31+30 = 120 days
    appoint(posts["mayor"], "乙", D(2025, 5, 1), D(2025, 8, 31))  # 1 May – 31 Aug: 31+30+31+31 = 123 days
    appoint(posts["mayor"], "丙", D(2025, 9, 1))  # 1 Sep – 31 Dec: 30+31+30+31 = 122 days
    for day in [D(2025, 3, 1), D(2025, 6, 1), D(2025, 7, 1), D(2025, 10, 1)]:
        rec(posts["mayor"], "meeting", day)
    rows, seat = _year(town, posts["mayor"], "meeting", "year")
    # Quotas 4×120/365 = 1.315, 4×123/365 = 1.348, 4×122/365 = 1.337. Rounding each on its own gives
    # 1 + 1 + 1 = 3 and loses a meeting; largest remainder gives the 4th to 乙 (remainder .348): 1 + 2 + 1 = 4.
    by = {r.person: (r.required, r.done, r.status) for r in rows}
    assert by == {"甲": (1, 1, "met"), "乙": (2, 2, "met"), "丙": (1, 1, "met")}
    assert sum(r.required for r in rows) == seat.required == 4
    assert (seat.person, seat.done, seat.status, seat.level) == (None, 4, "met", "post")


def test_short_tenures_do_not_all_round_to_zero(town: Any, seed: Any, posts: Any, appoint: Any) -> None:
    appoint(posts["safety"], "甲", D(2020, 1, 1), D(2025, 1, 10))  # 10 days of January
    appoint(posts["safety"], "乙", D(2025, 1, 11), D(2025, 1, 20))  # 10 days
    appoint(posts["safety"], "丙", D(2025, 1, 21), D(2025, 2, 28))  # 11 days of January
    rows, seat = _year(town, posts["safety"], "meeting", "month", month=1)
    # Quotas 1×10/31 = .32, .32, 1×11/31 = .35: each rounded on its own is 0 and January would owe nothing.
    # Largest remainder: whole parts 0, 0, 0; the one meeting goes to 丙's .35.
    by = {r.person: (r.required, r.status) for r in rows}
    assert by == {"甲": (0, "not_applicable"), "乙": (0, "not_applicable"), "丙": (1, "missed")}
    assert (seat.required, seat.done, seat.status) == (1, 0, "missed")


def test_a_vacancy_takes_its_share_and_the_seat_is_judged_whole(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["mayor"], "甲", D(2020, 1, 1), D(2025, 3, 31))  # 1 Jan – 31 Mar: 31+28+31 = 90 days
    # 1 Apr – 30 Jun vacant: 30+31+30 = 91 days
    appoint(posts["mayor"], "乙", D(2025, 7, 1))  # 1 Jul – 31 Dec: 184 days
    rec(posts["mayor"], "meeting", D(2025, 2, 10))
    rec(posts["mayor"], "meeting", D(2025, 5, 20))  # entered by the 安委办 while the post was vacant
    rec(posts["mayor"], "meeting", D(2025, 8, 5))
    rows, seat = _year(town, posts["mayor"], "meeting", "year")
    # Quotas 4×90/365 = 0.986, 4×91/365 = 0.997, 4×184/365 = 2.016 → whole parts 0, 0, 2 (2 given);
    # the two left go to the largest remainders, the vacancy's .997 and 甲's .986: 甲 1, vacancy 1, 乙 2.
    by = {r.person: (r.required, r.done, r.status, r.level) for r in rows}
    assert by == {
        "甲": (1, 1, "met", "holder"),
        None: (1, 1, "vacant", "vacancy"),
        "乙": (2, 1, "missed", "holder"),
    }
    # The seat owed 4 and has 1 + 1 + 1 = 3: the post missed, whoever sat in it.
    assert (seat.required, seat.done, seat.status) == (4, 3, "missed")


def test_a_hand_over_mid_month(town: Any, seed: Any, posts: Any, appoint: Any, rec: Any) -> None:
    appoint(posts["safety"], "李强", D(2020, 1, 1), D(2025, 3, 15))  # 15 of March's 31 days
    appoint(posts["safety"], "王五", D(2025, 3, 16))  # 16 days
    rec(posts["safety"], "meeting", D(2025, 3, 10))
    rows, seat = _year(town, posts["safety"], "meeting", "month", month=3)
    # Quotas 15/31 = .48, 16/31 = .52 → the one meeting is 王五's; 李强's meeting counts for the seat.
    by = {r.person: (r.required, r.done, r.status) for r in rows}
    assert by == {"李强": (0, 1, "not_applicable"), "王五": (1, 0, "missed")}
    assert (seat.required, seat.done, seat.status) == (1, 1, "met")


def test_a_post_set_up_mid_year_owes_nothing_before(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    from yigang.org.models import Post

    Post.objects.filter(pk=posts["mayor"].pk).update(valid_from=D(2025, 7, 1))
    appoint(posts["mayor"], "张三", D(2025, 7, 1))
    rec(posts["mayor"], "meeting", D(2025, 9, 1))
    rows, seat = _year(town, posts["mayor"], "meeting", "year")
    # The post existed 1 Jul – 31 Dec = 184 days: 4 × 184/365 = 2.016 → owes 2, all of them 张三's;
    # no vacancy for the 181 days before the post existed.
    assert [(r.person, r.required, r.done, r.status) for r in rows] == [("张三", 2, 1, "missed")]
    assert (seat.required, seat.done, seat.status) == (2, 1, "missed")


def test_a_reorganisation_successor_owes_nothing_before_it_existed(
    town: Any, seed: Any, posts: Any, appoint: Any
) -> None:
    from yigang.org.models import Post, Unit

    # What a reorganisation on 1 April leaves: the old unit's post ended on 31 March, the successor unit and
    # its post exist from 1 April. Nobody has been appointed to either.
    old = posts["safety"]
    Post.objects.filter(pk=old.pk).update(valid_until=D(2025, 3, 31), active=False)
    successor = Unit.objects.create(
        town=town, name="镇应急管理办", kind="government", valid_from=D(2025, 4, 1)
    )
    new = Post.objects.create(
        town=town,
        unit=successor,
        title="分管安全生产副镇长（新）",
        kind="safety_deputy",
        valid_from=D(2025, 4, 1),
    )
    result = compute(town, 2025, today=AFTER_2025)

    def months(post: Any) -> list[str]:
        return [
            r.status
            for r in result.rows
            if r.post_id == post.pk and r.kind == "meeting" and r.period == "month"
        ]

    assert months(old) == ["vacant"] * 3 + ["not_applicable"] * 9
    assert months(new) == ["not_applicable"] * 3 + ["vacant"] * 9
    seat = [
        r for r in result.post_rows if r.post_id == new.pk and r.kind == "meeting" and r.period == "month"
    ]
    assert [r.required for r in seat] == [0] * 3 + [1] * 9


def test_shares_always_add_up_to_what_the_post_owes(town: Any, seed: Any, posts: Any, appoint: Any) -> None:
    appoint(posts["mayor"], "甲", D(2020, 1, 1), D(2025, 2, 3))
    appoint(posts["mayor"], "乙", D(2025, 2, 10), D(2025, 5, 17))
    appoint(posts["mayor"], "丙", D(2025, 5, 18), D(2025, 5, 18))
    appoint(posts["mayor"], "丁", D(2025, 6, 2))
    result = compute(town, 2025, today=AFTER_2025)
    for seat in result.post_rows:
        if seat.post_id != posts["mayor"].pk:
            continue
        shares = [
            r
            for r in result.rows
            if (r.post_id, r.duty_id, r.period_start) == (seat.post_id, seat.duty_id, seat.period_start)
        ]
        assert sum(r.required for r in shares) == seat.required, seat


def test_the_overview_and_the_api_show_the_seat_beside_its_holders(
    town: Any, seed: Any, posts: Any, appoint: Any, users: Any, login: Any
) -> None:
    from django.urls import reverse

    appoint(posts["safety"], "李强", D(2020, 1, 1), D(2025, 3, 15))
    appoint(posts["safety"], "王五", D(2025, 3, 16))
    client = login(users["officer"])
    page = client.get(reverse("duties:overview") + "?year=2025").content.decode()
    assert 'id="posts-behind"' in page
    data = client.get(
        "/api/duties/compliance", {"town": town.code, "year": 2025, "post": "分管安全生产副镇长"}
    )
    body = data.json()
    march = [r for r in body["post_rows"] if r["kind"] == "meeting" and r["period_start"] == "2025-03-01"]
    assert [(r["level"], r["required"], r["person"]) for r in march] == [("post", 1, None)]
