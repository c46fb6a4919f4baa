"""Supervision coverage as an item of the town's 考核办法 (issue 24 point 3), worked by hand on the year of
tests/places/test_coverage.py: the emergency office's plan lines judged 7 periods, 5 covered."""

from __future__ import annotations

import copy
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yigang.assessment import facts, scoring

from .conftest import D
from .test_coverage import year  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _rules_with_coverage(weight: int = 20) -> dict[str, Any]:
    """The default scheme with 培训宣传 weighed 15 − ... : 履职 40, 隐患 25, 目标 20 − weight … kept at 100."""
    rules = copy.deepcopy(scoring.DEFAULT_RULES)
    for spec in rules["indicators"]:
        if spec["key"] == "target_items":
            spec["weight"] = 20 - weight
    rules["indicators"] = [i for i in rules["indicators"] if i["weight"] > 0]
    rules["indicators"].append({"key": "supervision_coverage", "weight": weight, "no_record": 0})
    return rules


def _subject(subjects: list[Any], unit: Any) -> Any:
    return next(s for s in subjects if s.kind == "unit" and s.unit_id == unit.pk)


def test_a_closed_year_counts_every_period_of_the_plan(
    world: SimpleNamespace,
    year: SimpleNamespace,  # noqa: F811
) -> None:
    subjects = facts.gather(world.town, 2025, D(2026, 1, 15), closed=True)
    office = _subject(subjects, world.emergency)
    # The mine: April–August judged (5), July missed; the station: Q1 met, Q2 missed → 7 judged, 5 met.
    assert (office.facts.coverage_judged, office.facts.coverage_met, office.facts.coverage_open) == (7, 5, 0)
    police = _subject(subjects, world.police)
    assert (police.facts.coverage_judged, police.facts.coverage_met) == (2, 1)  # Q3 met, Q4 missed
    village = _subject(subjects, world.village)  # no plan: nothing on record
    assert (village.facts.coverage_judged, village.facts.coverage_met) == (0, 0)

    rules = _rules_with_coverage(20)
    scoring.validate(rules)
    item = next(i for i in scoring.score(office.facts, rules).items if i["key"] == "supervision_coverage")
    # 20 × 5 ÷ 7 = 14.2857… → 14.3
    assert item["points"] == "14.3"
    assert item["figures"] == {"judged": 7, "met": 5, "open": 0}
    assert sorted(r["label"] for r in item["records"]) == [
        "乌审召加油站 第二季度：应检查 1 次，检查 0 次",
        "查干淖尔砂石料场 7月：应检查 1 次，检查 0 次",
    ]
    assert scoring.score(police.facts, rules).items[-1]["points"] == "10.0"  # 20 × 1 ÷ 2
    blank = scoring.score(village.facts, rules).items[-1]
    assert (blank["points"], blank["no_record"]) == ("0.0", True)  # no plan is not full marks


def test_a_provisional_year_lists_running_periods_and_does_not_count_them(
    world: SimpleNamespace,
    year: SimpleNamespace,  # noqa: F811
) -> None:
    # 预评 on 15 August 2025: the mine's April–July are judged (July missed) and August runs (its inspection of
    # 30 August is after the cut-off: not on record as of that day); the station's Q1 met, Q2 missed.
    subjects = facts.gather(world.town, 2025, D(2025, 8, 15), closed=False)
    office = _subject(subjects, world.emergency)
    assert (office.facts.coverage_judged, office.facts.coverage_met, office.facts.coverage_open) == (6, 4, 1)
    # Q3 of the station is not the emergency office's (handed over on 1 July): nothing owed, not listed.
    assert [r["label"] for r in office.facts.records["supervision_coverage_open"]] == [
        "查干淖尔砂石料场 8月：尚未结束，应检查 1 次，已检查 0 次（未计分）"
    ]
    item = scoring.score(office.facts, _rules_with_coverage(20)).items[-1]
    assert item["points"] == str(Decimal("13.3"))  # 20 × 4 ÷ 6 = 13.33…
    assert "另有 1 期次尚未结束，未计入" in item["detail"]


def test_the_scheme_may_weigh_coverage_and_still_must_make_100() -> None:
    rules = _rules_with_coverage(20)
    scoring.validate(rules)
    rules["indicators"][-1]["weight"] = 25
    with pytest.raises(ValidationError, match="合计须为 100"):
        scoring.validate(rules)
    assert "supervision_coverage" not in [i["key"] for i in scoring.DEFAULT_RULES["indicators"]]
