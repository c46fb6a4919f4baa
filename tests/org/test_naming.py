"""Names, not logins (issue 27 point 6): `towns.naming` names the person behind an account and their posts on the
day, and every page that says who did something asks it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import timezone

from tests.duties.conftest import appoint, posts  # noqa: F401
from yigang.towns.actions import link_person
from yigang.towns.naming import display_name, name_and_login, names_and_logins

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_linked_person_is_named_with_the_posts_held_that_day(
    users: Any,
    posts: Any,  # noqa: F811
    appoint: Any,  # noqa: F811
) -> None:
    from yigang.org import actions

    leader = users["leader"]
    person = appoint(posts["safety"], "赵永军", D(2021, 9, 1))
    actions.appoint(post=posts["mayor"], person=person, start=D(2024, 4, 1), end=D(2024, 4, 30), actor=None)
    link_person(user=leader, person=person, actor=None)
    assert display_name(leader, D(2023, 1, 1)) == "赵永军（分管安全生产副镇长）"
    assert display_name(leader, D(2024, 4, 15)) == "赵永军（分管安全生产副镇长、镇长）"
    # A datetime counts by its day in Asia/Shanghai: 2024-03-31 17:00 UTC is 1 April there.
    at = datetime.datetime(2024, 3, 31, 17, 0, tzinfo=datetime.UTC)
    assert display_name(leader, at) == "赵永军（分管安全生产副镇长、镇长）"
    assert display_name(leader, D(2020, 1, 1)) == "赵永军"  # before any post: the name alone
    assert leader.username not in display_name(leader)


def test_an_unlinked_account_is_its_full_name_else_its_login_marked(make_user: Any, town: Any) -> None:
    from yigang.towns.models import Role

    named = make_user("anweiban2", Role.OFFICER, town)
    named.first_name, named.last_name = "王晓燕", "安委办 "
    named.save()
    bare = make_user("bare", Role.OFFICER, town)
    assert display_name(named) == named.get_full_name().strip()
    assert display_name(bare) == "账号 bare"
    assert display_name(None) == ""


def test_the_auditor_sees_the_login_beside_the_name(
    users: Any,
    posts: Any,  # noqa: F811
    appoint: Any,  # noqa: F811
) -> None:
    leader = users["leader"]
    link_person(user=leader, person=appoint(posts["mayor"], "巴图", D(2024, 4, 1)), actor=None)
    today = timezone.localdate()
    expected = f"巴图（镇长） · {leader.username}"
    assert name_and_login(leader, today) == expected
    assert names_and_logins([(leader, today), (None, today), (users["officer"], today)]) == [
        expected,
        "",
        f"账号 {users['officer'].username}",
    ]


def test_the_template_filter(users: Any, posts: Any, appoint: Any) -> None:  # noqa: F811
    leader = users["leader"]
    link_person(user=leader, person=appoint(posts["mayor"], "巴图", D(2024, 4, 1)), actor=None)
    html = Template(
        "{% load naming %}{{ u|who:day }}|{{ u|who_and_login }}|{{ nobody|who|default:'系统' }}"
    ).render(Context({"u": leader, "day": D(2025, 1, 1), "nobody": None}))
    assert html == f"巴图（镇长）|巴图（镇长） · {leader.username}|系统"
