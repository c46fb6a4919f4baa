"""The pure scoring function on facts worked by hand, each veto rule, and the scheme's validation."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yigang.assessment.scoring import DEFAULT_RULES, Facts, score, validate


def test_score_worked_by_hand() -> None:
    facts = Facts(
        compliance_required=20,
        compliance_done=18,
        hazards_due=8,
        hazards_on_time=7,
        overdue_hazards=1,
        trainings=2,
        targets_total=4,
        targets_met=3,
        accidents=1,
        late_reports=1,
    )
    result = score(facts, DEFAULT_RULES, [{"points": "2.0", "reason": "获县级表彰"}])
    # 履职 40 × 18/20 = 36.0
    # 隐患 25 × 7/8 = 21.875 → 21.9 (one decimal, half up)
    # 目标 20 × 3/4 = 15.0
    # 培训 15 × 2/4 = 7.5
    # indicators: 36.0 + 21.9 + 15.0 + 7.5 = 80.4
    # deductions: 迟报 1 × 5 = 5 (cap 10); 事故 1 × 3 = 3 (cap 9); 逾期隐患 1 × 1 = 1 (cap 5) → 80.4 − 9 = 71.4
    # adjustment +2.0 → 73.4, 合格 (60 ≤ 73.4 < 80)
    assert [i["points"] for i in result.items] == ["36.0", "21.9", "15.0", "7.5"]
    assert [d["points"] for d in result.deductions] == ["-5", "-3", "-1"]
    assert result.score == Decimal("73.4")
    assert result.grade == "合格"
    assert not result.vetoed
    assert not result.eligible


# Every indicator fully met: 1 of 1 duty, 1 of 1 hazard on time, 1 of 1 target, 4 of 4 trainings → 100.
FULL = {
    "compliance_required": 1,
    "compliance_done": 1,
    "hazards_due": 1,
    "hazards_on_time": 1,
    "targets_total": 1,
    "targets_met": 1,
    "trainings": 4,
}


def test_caps() -> None:
    # Every indicator met: 40 + 25 + 20 + 15 = 100.
    # 迟报 3 × 5 = 15, capped at 10; 逾期 7 × 1 = 7, capped at 5; total 100 − 10 − 5 − 0 = 85 → 良好.
    facts = Facts(**{**FULL, "trainings": 5}, late_reports=3, overdue_hazards=7)
    result = score(facts, DEFAULT_RULES)
    assert [d["points"] for d in result.deductions] == ["-10", "-5"]
    assert result.score == Decimal("85.0")
    assert result.grade == "良好"
    # Without deductions: 100 → 优秀, and may be proposed 先进.
    best = score(Facts(**FULL), DEFAULT_RULES)
    assert best.score == Decimal("100.0") and best.grade == "优秀" and best.eligible


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"deaths": 1}, "辖区或监管行业领域发生生产安全死亡事故"),
        ({"concealed_or_false": 1}, "事故瞒报或谎报"),
        ({"larger_accidents": 1}, "发生较大及以上生产安全事故"),
    ],
)
def test_each_veto_sets_fail_whatever_the_score(given: dict[str, int], reason: str) -> None:
    result = score(Facts(**FULL, **given), DEFAULT_RULES)
    assert result.score == Decimal("100.0")  # the score stays as worked …
    assert result.grade == "不合格"  # … but the grade is 不合格
    assert result.vetoed and result.veto_reasons == [reason]
    assert not result.eligible  # and no 先进


def test_a_scheme_without_a_veto_rule_does_not_apply_it() -> None:
    rules = copy.deepcopy(DEFAULT_RULES)
    rules["vetoes"] = ["death"]
    result = score(Facts(**FULL, larger_accidents=1), rules)
    assert not result.vetoed and result.grade == "优秀"


def test_validate() -> None:
    validate(DEFAULT_RULES)
    bad = copy.deepcopy(DEFAULT_RULES)
    bad["indicators"][0]["weight"] = 30
    bad["vetoes"] = ["weather"]
    with pytest.raises(ValidationError) as err:
        validate(bad)
    text = " ".join(err.value.messages)
    assert "合计须为 100 分（现为 90 分）" in text and "未知的否决情形" in text
