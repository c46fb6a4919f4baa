"""A home per role: the 安委办's town figures, a person's own duties and waiting work, no false all-clear."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.duties.conftest import at
from yigang.duties import cache as kept

pytestmark = pytest.mark.django_db
D = datetime.date


def _link(person: Any, user: Any) -> None:
    from yigang.org.models import Person

    Person.objects.filter(pk=person.pk).update(user=user)


def _client(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def test_leader_sees_own_weekly_duty_owed_then_done(
    client: Any, town: Any, users: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    mayor = appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    _link(mayor, users["leader"])
    page = _client(client, users["leader"]).get(reverse("home")).content.decode()
    assert "本周期我的职责" in page
    assert "测试：week" in page  # the mayor's weekly training (tests/duties/conftest.py)
    assert "完成 0 次（应 1 次）" in page and "本期还差" in page
    assert f"post={posts['mayor'].pk}" in page and "kind=training" in page
    today = timezone.localdate()
    rec(posts["mayor"], "training", at(today, 0, 1), title="本周安全培训")
    page = client.get(reverse("home")).content.decode()
    row = page[page.index("测试：week") - 200 : page.index("测试：week") + 300]
    assert "完成 1 次（应 1 次）" in row and "已完成" in row


def test_unlinked_account_is_told_so_not_shown_all_clear(
    client: Any, town: Any, users: Any, seed: Any
) -> None:
    page = _client(client, users["body_staff"]).get(reverse("home")).content.decode()
    assert "尚未关联到人员名册" in page
    assert "没有按频次计算的职责" not in page
    assert "上报隐患" in page and "录入履职" in page  # the body head's big buttons


def test_no_regulation_in_force_says_it_cannot_compute(
    client: Any, town: Any, users: Any, posts: Any
) -> None:
    from yigang.org import actions

    person = actions.add_person(town=town, name="巴图", actor=None)
    actions.appoint(post=posts["mayor"], person=person, start=D(2020, 1, 1), actor=None)
    _link(person, users["leader"])
    page = _client(client, users["leader"]).get(reverse("home")).content.decode()
    assert "尚未启用制度，履职情况无法计算" in page
    page = _client(client, users["officer"]).get(reverse("home")).content.decode()
    assert "无法计算" in page


def test_officer_figures_link_to_filtered_lists(
    client: Any, town: Any, users: Any, seed: Any, posts: Any, appoint: Any
) -> None:
    from yigang.duties.compliance import compute

    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    page = _client(client, users["officer"]).get(reverse("home")).content.decode()
    behind = len(compute(town, timezone.localdate().year).behind_now())
    assert behind > 0  # nothing recorded this year: the mayor is behind
    assert f'<strong class="figure">{behind}</strong>' in page
    assert f'href="{reverse("hazards:list")}?overdue=on"' in page
    assert f'href="{reverse("accidents:list")}?year={timezone.localdate().year}"' in page
    assert f'href="{reverse("signoff:overview")}"' in page


def test_county_viewer_home_is_the_county_view(client: Any, users: Any) -> None:
    response = _client(client, users["county_viewer"]).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("county:towns")


@pytest.mark.parametrize("who", ["officer", "leader"])
def test_home_queries_do_not_grow_with_records(
    who: str, client: Any, town: Any, users: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    mayor = appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    _link(mayor, users[who])
    _client(client, users[who])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)  # never a future date, whatever today is
    rec(posts["mayor"], "meeting", at(yesterday, 9))
    client.get(reverse("home"))  # warm caches (sessions, content types)
    kept.forget()  # both measured requests compute compliance (duties/cache.py would keep the first's)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for i in range(12):
        rec(
            posts["mayor"],
            ["meeting", "training", "inspection"][i % 3],
            at(yesterday - datetime.timedelta(days=i), 9),
        )
    kept.forget()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many.captured_queries) == len(few.captured_queries)
    # A leader's home also computes their range (overview/leading.py), the year's assessment the most of it.
    assert len(few.captured_queries) < (60 if who == "officer" else 90)


def test_days_left_are_the_same_on_the_home_and_the_person_page(
    client: Any, town: Any, users: Any, seed: Any, posts: Any, appoint: Any
) -> None:
    """剩余天数 (issue 27 point 7): the home counted to the period's last day without it, the person page with it
    (a week's Sunday said 0 on one and 1 on the other). Both count calendar days, today and the last day included:
    on a Monday a week has 7 days left, on its Sunday 1."""
    import re

    mayor = appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    _link(mayor, users["leader"])
    today = timezone.localdate()
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    by_hand = (sunday - today).days + 1  # the weekly training: today through Sunday
    assert by_hand == 7 - today.weekday()
    home = _client(client, users["leader"]).get(reverse("home")).content.decode()
    row = home[home.index("测试：week") :]
    row = row[: row.index("</tr>")]
    assert re.findall(r"<td>(\d+)</td>", row) == [str(by_hand)]
    person = client.get(reverse("org:person", args=[mayor.pk])).content.decode()
    cells = person[person.index("测试：week") :]
    cells = cells[: cells.index("</tr>")]
    assert re.findall(r"<td>(\d+)</td>", cells)[-1] == str(by_hand)
    # The half-year and the quarter agree as well, each to its own last day.
    for text in ("测试：quarter", "测试：half_year"):
        on_home = home[home.index(text) :]
        on_page = person[person.index(text) :]
        assert (
            re.findall(r"<td>(\d+)</td>", on_home[: on_home.index("</tr>")])[-1]
            == re.findall(r"<td>(\d+)</td>", on_page[: on_page.index("</tr>")])[-1]
        )
