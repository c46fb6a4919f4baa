"""Coverage of the supervision plans, worked by hand (docs/places.md, yigang/places/coverage.py)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yigang.duties.actions import record_data
from yigang.org import actions as org
from yigang.places import actions
from yigang.places.coverage import Status, compute, owed

from .conftest import D, at

pytestmark = pytest.mark.django_db


def test_owed_is_pro_rata_rounded_half_up() -> None:
    assert owed(1, 31, 31) == 1
    assert owed(1, 12, 31) == 0  # 0.387
    assert owed(1, 16, 31) == 1  # 0.516
    assert owed(1, 15, 30) == 1  # exactly a half rounds up
    assert owed(2, 45, 90) == 1  # 2 × 45/90 = 1
    assert owed(1, 0, 30) == 0


@pytest.fixture
def year(world: SimpleNamespace, place: Any, inspect: Any) -> SimpleNamespace:
    """2025. The mine M (红: monthly) is under supervision from 20 March to 10 September. The petrol station P
    (橙: quarterly) is in 危险化学品, which the emergency office hands over to the police station on 1 July."""
    w = world
    officer = w.users["officer"]
    mine = place("查干淖尔砂石料场", [w.mines], opened=D(2025, 3, 20))
    actions.assess_risk(place=mine, level="red", assessed_on=D(2025, 3, 20), basis="露天开采", actor=officer)
    station = place(
        "乌审召加油站", [w.chemicals], kind="petrol_station", risk_level="orange", risk_on=D(2025, 1, 2)
    )
    handed = org.add_supervision(sector=w.chemicals, unit=w.emergency, start=D(2024, 1, 1), actor=None)
    org.end_supervision(supervision=handed, end=D(2025, 6, 30), actor=None)
    org.add_supervision(sector=w.chemicals, unit=w.police, start=D(2025, 7, 1), actor=None)
    for unit in (w.emergency, w.police):
        actions.make_plan(unit=unit, year=2025, actor=officer)
    actions.close_place(place=mine, closed=D(2025, 9, 10), reason="停产关闭", actor=officer)

    head, police = w.head, w.police_head
    for day in (D(2025, 3, 25), D(2025, 4, 5), D(2025, 4, 20), D(2025, 6, 3), D(2025, 8, 30)):
        inspect(day, [head], [mine])
    # May: first entered for the station, corrected to the mine (the current version counts, for the mine).
    first = inspect(D(2025, 5, 5), [head], [station])
    actions.amend_inspection(
        record_=first, data=record_data(first), reason="检查的是砂石料场", places=[mine], actor=officer
    )
    # July: entered, then withdrawn: it counts for nothing.
    july = inspect(D(2025, 7, 8), [head], [mine])
    actions.amend_inspection(
        record_=july, data=record_data(july), reason="重复录入", places=[], withdraw=True, actor=officer
    )
    inspect(D(2025, 2, 10), [head], [station])  # Q1, the emergency office's
    inspect(D(2025, 8, 1), [head], [station])  # after the hand-over: not the emergency office's any more
    inspect(D(2025, 9, 15), [police], [station])  # Q3, the police station's
    with pytest.raises(ValidationError, match="不在监管期内"):
        inspect(D(2025, 10, 9), [head], [mine])  # after the mine closed: refused
    return SimpleNamespace(mine=mine, station=station)


def _item(report: Any, unit: Any, place: Any) -> Any:
    return next(i for i in report.items if i.unit_id == unit.pk and i.place_id == place.pk)


def test_a_year_of_coverage_worked_by_hand(world: SimpleNamespace, year: SimpleNamespace) -> None:
    w = world
    report = compute(w.town, 2025, at=D(2026, 1, 15))  # every period of 2025 has ended

    mine = _item(report, w.emergency, year.mine)
    # Monthly, 1 each. Open 20 Mar – 10 Sep: March 12/31 days → 0.39 → 0 owed (n/a); April–August 1 each;
    # September 10/30 → 0.33 → 0 (n/a); the rest 0 days.
    by_month = {p.label: (p.owed, p.done, p.status) for p in mine.periods}
    assert by_month["3月"] == (0, 1, Status.NOT_APPLICABLE)  # 25 March: an inspection, nothing owed
    assert by_month["4月"] == (1, 2, Status.MET)  # 5 and 20 April
    assert by_month["5月"] == (1, 1, Status.MET)  # the corrected record of 5 May
    assert by_month["6月"] == (1, 1, Status.MET)
    assert by_month["7月"] == (1, 0, Status.MISSED)  # 8 July was withdrawn
    assert by_month["8月"] == (1, 1, Status.MET)
    assert by_month["9月"] == (0, 0, Status.NOT_APPLICABLE)
    assert by_month["10月"] == (0, 0, Status.NOT_APPLICABLE)  # closed
    # Judged 5 months (April–August), met 4: 4/5 = 80.0 %. Inspections in the span: 25 Mar, 5 Apr, 20 Apr,
    # 5 May, 3 Jun, 30 Aug = 6.
    assert (mine.totals.judged, mine.totals.met, mine.totals.inspections, mine.totals.rate) == (5, 4, 6, 80.0)

    handed = _item(report, w.emergency, year.station)
    # Quarterly, 1 each; the emergency office answered 1 Jan – 30 Jun: Q1 and Q2 owe 1, Q3 and Q4 0 days.
    # Q1: 10 Feb → met. Q2: the 5 May record now names the mine → missed. 1 August is after the hand-over.
    assert [(p.owed, p.done, p.status) for p in handed.periods] == [
        (1, 1, Status.MET),
        (1, 0, Status.MISSED),
        (0, 0, Status.NOT_APPLICABLE),
        (0, 0, Status.NOT_APPLICABLE),
    ]
    assert (handed.totals.judged, handed.totals.met, handed.totals.rate) == (2, 1, 50.0)

    taken = _item(report, w.police, year.station)
    # The police station from 1 July: Q3 15 September → met; Q4 nothing → missed.
    assert [p.status for p in taken.periods] == [
        Status.NOT_APPLICABLE,
        Status.NOT_APPLICABLE,
        Status.MET,
        Status.MISSED,
    ]
    # Per body: the emergency office 5 + 2 judged, 4 + 1 met = 5/7 = 71.4 %; the police station 1/2 = 50 %.
    _name, office = report.by_unit[w.emergency.pk]
    assert (office.judged, office.met, office.rate) == (7, 5, 71.4)
    assert report.by_unit[w.police.pk][1].rate == 50.0
    # Per place: the station 2 + 2 judged, 1 + 1 met → 50 %.
    assert report.by_place[year.station.pk][1].as_dict()["rate"] == 50.0
    # The town: 9 judged, 6 met → 66.7 %.
    assert (report.totals.judged, report.totals.met, report.totals.rate) == (9, 6, 66.7)


def test_a_running_period_counts_once_met_and_never_against_before_it_ends(
    world: SimpleNamespace, year: SimpleNamespace
) -> None:
    report = compute(world.town, 2025, at=D(2025, 12, 1))
    taken = _item(report, world.police, year.station)
    # Q3 met (judged); Q4 still running with nothing done: open, not judged → 1/1.
    assert [p.status for p in taken.periods][2:] == [Status.MET, Status.OPEN]
    assert (taken.totals.judged, taken.totals.met, taken.totals.rate) == (1, 1, 100.0)
    early = compute(world.town, 2025, at=D(2025, 3, 31))
    mine = _item(early, world.emergency, year.mine)
    assert {p.status for p in mine.periods if p.owed} == {Status.UPCOMING}
    assert mine.totals.rate is None


def test_a_plan_for_a_place_another_body_supervises_is_refused(world: SimpleNamespace, place: Any) -> None:
    from yigang.places.models import PlanItem

    mine = place("砂石料场", [world.mines], risk_level="red", risk_on=D(2025, 1, 2))
    with pytest.raises(ValidationError) as refused:
        actions.set_plan_item(unit=world.police, place=mine, year=2025, actor=world.users["officer"])
    assert "由应急管理办公室监管，不能列入“公安派出所”的检查计划" in refused.value.messages[0]
    assert not PlanItem.objects.exists()


def test_a_plan_line_by_hand_stays_when_the_plan_is_remade(world: SimpleNamespace, place: Any) -> None:
    officer = world.users["officer"]
    mine = place("砂石料场", [world.mines], risk_level="blue", risk_on=D(2025, 1, 2))
    actions.set_plan_item(
        unit=world.emergency, place=mine, year=2025, period="quarter", count=2, actor=officer
    )
    assert actions.make_plan(unit=world.emergency, year=2025, actor=officer) == []
    item = mine.plan_items.get()
    assert (item.period, item.count, item.from_risk) == ("quarter", 2, False)


def test_the_town_table_sets_the_default(world: SimpleNamespace, place: Any) -> None:
    officer = world.users["officer"]
    actions.set_frequency(town=world.town, level="yellow", period="quarter", count=1, actor=officer)
    place("砂石料场", [world.mines], risk_level="yellow", risk_on=D(2025, 1, 2))
    (item,) = actions.make_plan(unit=world.emergency, year=2025, actor=officer)
    assert (item.period, item.count) == ("quarter", 1)
    assert at(D(2025, 1, 1)).year == 2025
