"""The supervision plans' coverage on the role homes (overview/supervision.py), worked by hand on a small town and
checked against what the coverage page and the body's plan page say when tapped through.

The day is 15 August 2025 (django.utils.timezone.localdate is held there, for the home and the pages alike).
The emergency office supervises 非煤矿山 and plans two mines: 红 查干淖尔砂石料场 (monthly, once) inspected in
January, February, March, May, June and July — April missed, August still owed; 蓝 乌兰采石场 (yearly, once),
not yet inspected — its year runs and is owed, but not judged. So 7 periods judged (January–July), 6 met: 85.7 %,
one missed period, two places owing now. The police station and the 安委办 supervise 消防 and have no plan; the
fire shop is risk-assessed, so they say "no plan" with places to plan. The 交通管理站 supervises 道路交通, with no
place at all: "no plan, and no risk-assessed place", never 100 %.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.places.conftest import D, inspect, place, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
TODAY = D(2025, 8, 15)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def plans(world: SimpleNamespace, place: Any, inspect: Any) -> SimpleNamespace:  # noqa: F811
    from yigang.org import actions as org
    from yigang.places import actions

    w = world
    officer = w.users["officer"]
    red = place("查干淖尔砂石料场", [w.mines], risk_level="red", risk_on=D(2025, 1, 2))
    blue = place("乌兰采石场", [w.mines], risk_level="blue", risk_on=D(2025, 1, 2))
    place("乌审召烟花爆竹店", [w.fire], kind="small_venue", risk_level="yellow", risk_on=D(2025, 1, 2))
    w.traffic = org.add_unit(town=w.town, name="交通管理站", actor=None)
    org.add_supervision(sector=w.roads, unit=w.traffic, actor=None)
    actions.make_plan(unit=w.emergency, year=2025, actor=officer)
    for month in (1, 2, 3, 5, 6, 7):
        inspect(D(2025, month, 10), [w.head], [red])
    return SimpleNamespace(red=red, blue=blue)


def _home(user: Any) -> Any:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return client, response


def _link(w: SimpleNamespace, user: Any, kind: str, name: str) -> Any:
    from yigang.org import actions as org
    from yigang.org.models import Person

    gov = org.add_unit(town=w.town, name="乌审召镇人民政府", kind="government", actor=None)
    post = org.add_post(unit=gov, title=name, kind=kind, actor=None)
    person = org.add_person(town=w.town, name="巴图", actor=None)
    org.appoint(post=post, person=person, start=D(2021, 1, 1), actor=None)
    Person.objects.filter(pk=person.pk).update(user=user)
    return post


def test_a_body_staff_home_shows_its_bodys_coverage_as_its_plan_page(
    world: SimpleNamespace,  # noqa: F811
    plans: SimpleNamespace,
) -> None:
    client, response = _home(world.users["body_staff"])  # staff of the emergency office
    card = response.context["supervision"]
    assert not card.whole_town and [b.name for b in card.bodies] == ["应急管理办公室"]
    body = card.bodies[0]
    assert (body.totals.met, body.totals.judged, body.totals.rate, body.totals.inspections) == (6, 7, 85.7, 6)
    assert (body.missed_periods, body.owing_now) == (1, 2)
    owed = {o.name: (o.risk, o.running, o.missed) for o in body.owed}
    assert owed == {
        "查干淖尔砂石料场": ("red", ["8月（0/1）"], ["4月"]),
        "乌兰采石场": ("blue", ["2025年（0/1）"], []),
    }
    html = response.content.decode()
    assert "覆盖率 85.7%（6/7 个应检周期）" in html
    for p in (plans.red, plans.blue):
        assert reverse("places:detail", args=[p.pk]) in html
        assert f"{reverse('places:inspection_new')}?place={p.pk}" in html
    assert 'class="risk risk-red"' in html and 'class="risk risk-blue"' in html
    # Tapped through: the plan page and the coverage page say the same.
    plan = client.get(reverse("places:plan", args=[world.emergency.pk])).context
    assert (plan["totals"].met, plan["totals"].judged, plan["totals"].rate) == (6, 7, 85.7)
    missed = [p for i in plan["report"].items for p in i.periods if p.status == "missed"]
    owing = {i.place_id for i in plan["report"].items for p in i.periods if p.status == "open"}
    assert len(missed) == body.missed_periods and len(owing) == body.owing_now
    page = client.get(reverse("places:coverage")).context["report"]
    assert page.by_unit[world.emergency.pk][1].as_dict() == body.totals.as_dict()
    assert client.get(f"{reverse('places:inspection_new')}?place={plans.red.pk}").status_code == 200


def test_the_officers_home_shows_the_town_and_the_bodies_behind(
    world: SimpleNamespace,  # noqa: F811
    plans: SimpleNamespace,
) -> None:
    client, response = _home(world.users["officer"])
    card = response.context["supervision"]
    assert card.whole_town and card.planned
    assert (card.totals.met, card.totals.judged, card.totals.rate) == (6, 7, 85.7)
    page = client.get(reverse("places:coverage")).context["report"]
    assert page.totals.as_dict() == card.totals.as_dict()
    behind = {b.name: (b.planned, b.assessed) for b in card.behind}
    assert behind == {
        "应急管理办公室": (True, True),
        "公安派出所": (False, True),
        "镇安全生产委员会及其办公室": (False, True),
        "交通管理站": (False, False),
    }
    html = re.sub(r"\s+", " ", response.content.decode())
    assert '全镇覆盖率 <strong class="figure">85.7%</strong>（6/7 个应检周期）' in html
    assert "本年度尚无检查计划，监管行业内也没有已评定风险等级的场所" in html
    assert "100%" not in html
    for body in (world.emergency, world.police, world.traffic):
        assert reverse("places:plan", args=[body.pk]) in html


def test_a_town_leaders_home_shows_the_whole_town(
    world: SimpleNamespace,  # noqa: F811
    plans: SimpleNamespace,
) -> None:
    _link(world, world.users["leader"], "mayor", "镇长")
    client, response = _home(world.users["leader"])
    card = response.context["supervision"]
    assert card.whole_town and (card.totals.met, card.totals.judged) == (6, 7)
    assert client.get(reverse("places:coverage")).context["report"].totals.as_dict() == card.totals.as_dict()


def test_a_portfolio_leader_sees_the_bodies_in_charge(
    world: SimpleNamespace,  # noqa: F811
    plans: SimpleNamespace,
    make_user: Any,
) -> None:
    from yigang.org import actions as org
    from yigang.towns.models import Role

    deputy_user = make_user("deputy", Role.LEADER, world.town)
    post = _link(world, deputy_user, "other_deputy", "副镇长")
    org.assign_portfolio(post=post, unit=world.emergency, start=D(2021, 1, 1), actor=None)
    client, response = _home(deputy_user)
    card = response.context["supervision"]
    assert not card.whole_town and [b.name for b in card.bodies] == ["应急管理办公室"]
    body = card.bodies[0]
    assert (body.totals.met, body.totals.judged, body.missed_periods, body.owing_now) == (6, 7, 1, 2)
    assert card.totals.as_dict() == body.totals.as_dict()  # the range's sum, not the town's
    plan = client.get(reverse("places:plan", args=[world.emergency.pk])).context["totals"]
    assert plan.as_dict() == body.totals.as_dict()
    assert "交通管理站" not in response.content.decode()


def test_no_plan_anywhere_is_not_an_all_clear(world: SimpleNamespace) -> None:  # noqa: F811
    response = _home(world.users["officer"])[1]
    card = response.context["supervision"]
    assert not card.planned and card.totals.rate is None
    html = response.content.decode()
    assert "本年度尚无检查计划。" in html and "100%" not in html
    assert {b.name for b in card.behind} == {"应急管理办公室", "公安派出所", "镇安全生产委员会及其办公室"}


def test_village_staff_and_a_body_without_supervision_get_no_card(
    world: SimpleNamespace,  # noqa: F811
    plans: SimpleNamespace,
) -> None:
    from yigang.org import actions as org
    from yigang.towns.models import Membership

    assert _home(world.users["village_staff"])[1].context["supervision"] is None
    office = org.add_unit(town=world.town, name="党政办公室", actor=None)
    Membership.objects.filter(user=world.users["body_staff"]).update(unit=office)
    assert _home(world.users["body_staff"])[1].context["supervision"] is None


def test_the_card_reads_a_fixed_number_of_queries(
    world: SimpleNamespace,  # noqa: F811
    plans: SimpleNamespace,
    inspect: Any,  # noqa: F811
    place: Any,  # noqa: F811
    django_assert_max_num_queries: Any,
) -> None:
    from yigang.overview.supervision import coverage

    # Nine of its own (the coverage six, the bodies, their risk-assessed places, the owed places' risk) and the
    # reader's scope twice (PlanItem and Place for_user: four membership reads each as towns/models.py stands),
    # and one more since the enterprise account's scope (Place for_user asks for an enterprise membership).

    officer = world.users["officer"]
    with django_assert_max_num_queries(18) as few:
        coverage(officer, world.town, TODAY, bodies=None)
    for i in range(4):
        more = place(f"砂石料场{i}", [world.mines], risk_level="orange", risk_on=D(2025, 1, 2))
        inspect(D(2025, 6, 1 + i), [world.head], [more, plans.blue])
    from yigang.places import actions

    actions.make_plan(unit=world.emergency, year=2025, actor=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        card = coverage(officer, world.town, TODAY, bodies=None)
    assert (
        card is not None and sum(len(b.owed) for b in card.bodies) == 5
    )  # the red mine and the four new (橙: Q1 missed, Q3 owed); the blue one is met now
