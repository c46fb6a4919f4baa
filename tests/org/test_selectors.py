"""org/selectors.py: who held a post on a day, who heads a body — the answers, and what each costs in queries
(the call sites in hazards, duties, sign-off and the CLI paid the same before they asked here)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.org.conftest import MAYOR_CHANGE, TERM
from yigang.org import selectors

pytestmark = pytest.mark.django_db


def test_the_holder_of_a_post_on_a_day_in_one_query(register: Any, django_assert_num_queries: Any) -> None:
    mayor = register.posts["镇长"]
    before, after = MAYOR_CHANGE - datetime.timedelta(days=1), MAYOR_CHANGE
    with django_assert_num_queries(1):
        assert selectors.holder(mayor, before) == register.person("张建华")
    with django_assert_num_queries(1):
        assert selectors.holder(mayor.pk, after) == register.person("巴图")
    with django_assert_num_queries(0):
        assert selectors.holder(None, after) is None
    assert selectors.holder(mayor, TERM - datetime.timedelta(days=1)) is None  # before anyone held it


def test_many_posts_on_one_day_in_one_query(register: Any, django_assert_num_queries: Any) -> None:
    posts = [register.posts["镇长"], register.posts["镇党委书记"]]
    day = MAYOR_CHANGE
    with django_assert_num_queries(1):
        found = selectors.holders(posts, day)
        assert {k: v.name if v else None for k, v in found.items()} == {
            posts[0].pk: "巴图",
            posts[1].pk: "乌力吉",
        }
    with django_assert_num_queries(1):
        assert selectors.holder_ids(posts, TERM - datetime.timedelta(days=1)) == dict.fromkeys(
            (p.pk for p in posts), None
        )
    with django_assert_num_queries(0):
        assert selectors.holder_ids([], day) == {}
    with django_assert_num_queries(1):
        town = selectors.town_holders(register.town, day)
    assert town[posts[0].pk].name == "巴图" and len(town) == len(register.posts)


def test_a_tenure_book_answers_many_days_from_one_query(
    register: Any, django_assert_num_queries: Any
) -> None:
    mayor = register.posts["镇长"]
    with django_assert_num_queries(1):
        book = selectors.TenureBook.of_posts([mayor])
    with django_assert_num_queries(0):
        assert (
            book.holder_id(mayor, MAYOR_CHANGE - datetime.timedelta(days=1)) == register.person("张建华").pk
        )
        assert book.holder_ids([mayor.pk], MAYOR_CHANGE) == {mayor.pk: register.person("巴图").pk}
    town_book = selectors.TenureBook.of_town(register.town)
    assert town_book.holder_id(register.posts["镇党委书记"], MAYOR_CHANGE) == register.person("乌力吉").pk


def test_who_heads_a_body_or_a_village(register: Any, django_assert_num_queries: Any) -> None:
    body = register.units["平安建设办公室"]
    with django_assert_num_queries(2):  # the heading post, then its holder
        assert selectors.head(body, MAYOR_CHANGE) == register.person("平安建设办公室主任")
    assert (
        selectors.head_post(register.units["乌审召嘎查"], MAYOR_CHANGE)
        == register.posts["乌审召嘎查党支部书记"]
    )
    government = register.units["镇人民政府"]
    with django_assert_num_queries(1):  # no heading post of the default kinds: no second query
        assert selectors.head(government, MAYOR_CHANGE) is None
    assert selectors.head(government, MAYOR_CHANGE, kinds=("mayor",)) == register.person("巴图")


def test_a_leaders_charge_the_town_or_their_portfolios(register: Any, django_assert_num_queries: Any) -> None:
    """charge_of (issue 27): the 书记, 镇长 and safety deputy answer for the whole town; a 分管 leader for the bodies
    of their portfolios and, for a sector in their charge, the bodies supervising it; a body head for no range."""
    from yigang.org import actions
    from yigang.org.models import Supervision

    day = datetime.date(2025, 6, 1)
    for name in ("乌力吉", "赵永军"):
        assert selectors.charge_of(register.person(name), day).whole_town
    deputy = register.person("额尔敦")
    with django_assert_num_queries(3):
        charge = selectors.charge_of(deputy, day)
    assert not charge.whole_town and charge.leads
    traffic = register.units["交警中队"]  # the safety deputy's body, not his
    assert traffic.pk not in charge.bodies
    # Give him a sector supervised by 交警中队: that body comes into his charge with the sector.
    supervised = Supervision.objects.at(day).filter(unit=traffic).select_related("sector").first()
    assert supervised is not None
    post = deputy.tenures.get().post
    actions.assign_portfolio(post=post, sector=supervised.sector, start=datetime.date(2025, 1, 1), actor=None)
    charge = selectors.charge_of(deputy, day)
    assert traffic.pk in charge.bodies and supervised.sector_id in charge.sectors
    head = register.person("交警中队主任")
    assert not selectors.charge_of(head, day).leads
