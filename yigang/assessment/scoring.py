"""The scheme's rules and the pure scoring function: facts in, score, grade, vetoes and workings out.

Points are worked in `Decimal` to one decimal place, rounded half up: each indicator earns
`weight × ratio` (a ratio with nothing to measure earns the full weight), each deduction takes
`points × occurrences` up to its cap, documented manual adjustments are added, and the total is kept
between 0 and 100. Any veto (一票否决) sets the grade to 不合格 whatever the score and bars 先进.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError

EXCELLENT, GOOD, PASS, FAIL = "优秀", "良好", "合格", "不合格"

# The indicators a scheme may weigh, each read from Yigang's own data (facts.py).
INDICATORS = {
    "duty_compliance": "履职要求完成率（制度规定频次的履职事项）",
    "hazards_on_time": "隐患按期整改率（到期隐患中按期销号的比例）",
    "target_items": "目标责任书量化指标完成情况",
    "trainings": "安全生产培训宣传次数",
}
DEDUCTIONS = {
    "late_report": "事故迟报",
    "accident": "发生生产安全事故",
    "overdue_hazard": "隐患逾期未整改",
}
VETOES = {
    "death": "辖区或监管行业领域发生生产安全死亡事故",
    "concealed_or_false": "事故瞒报或谎报",
    "larger_accident": "发生较大及以上生产安全事故",
}

# Built from the seed regulation: Art. 4.1 (一票否决), Art. 9.7 (年度考核、奖惩), the duties of Art. 5–12 with
# their frequencies (履职), the 隐患排查治理 duties, and the 目标责任书 the town signs each year.
DEFAULT_RULES: dict[str, Any] = {
    "indicators": [
        {"key": "duty_compliance", "weight": 40},
        {"key": "hazards_on_time", "weight": 25},
        {"key": "target_items", "weight": 20},
        {"key": "trainings", "weight": 15, "target": 4},
    ],
    "deductions": [
        {"key": "late_report", "points": 5, "cap": 10},
        {"key": "accident", "points": 3, "cap": 9},
        {"key": "overdue_hazard", "points": 1, "cap": 5},
    ],
    "thresholds": {EXCELLENT: 90, GOOD: 80, PASS: 60},
    "vetoes": ["death", "concealed_or_false", "larger_accident"],
}

TENTH = Decimal("0.1")


def q(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def validate(rules: dict[str, Any]) -> None:
    """Refuse a scheme whose weights do not make 100 or which names what Yigang cannot measure."""
    errors: list[str] = []
    indicators = rules.get("indicators") or []
    keys = [i.get("key") for i in indicators]
    for key in keys:
        if key not in INDICATORS:
            errors.append(f"未知的考核指标：{key}")
    if len(set(keys)) != len(keys):
        errors.append("考核指标重复")
    try:
        total = sum(Decimal(str(i.get("weight", 0))) for i in indicators)
    except ArithmeticError:
        total = Decimal(-1)
    if total != 100:
        errors.append(f"各指标权重合计须为 100 分（现为 {total} 分）")
    for d in rules.get("deductions") or []:
        if d.get("key") not in DEDUCTIONS:
            errors.append(f"未知的扣分项：{d.get('key')}")
        elif not (0 < Decimal(str(d.get("points", 0))) <= Decimal(str(d.get("cap", 0))) <= 100):
            errors.append(f"扣分项“{DEDUCTIONS[d['key']]}”须满足 0 < 每次扣分 ≤ 封顶 ≤ 100")
    t = rules.get("thresholds") or {}
    try:
        if not (100 >= Decimal(str(t[EXCELLENT])) > Decimal(str(t[GOOD])) > Decimal(str(t[PASS])) > 0):
            errors.append("等次分数线须满足 100 ≥ 优秀 > 良好 > 合格 > 0")
    except (KeyError, ArithmeticError):
        errors.append("须给出优秀、良好、合格三条分数线")
    for v in rules.get("vetoes") or []:
        if v not in VETOES:
            errors.append(f"未知的否决情形：{v}")
    if errors:
        raise ValidationError(errors)


@dataclass
class Facts:
    """What the records say about one body, village or leader for the year (each list: the records behind it)."""

    compliance_required: int = 0
    compliance_done: int = 0  # done, counted up to what each period required
    hazards_due: int = 0
    hazards_on_time: int = 0
    overdue_hazards: int = 0
    trainings: int = 0
    targets_total: int = 0
    targets_met: int = 0
    accidents: int = 0
    late_reports: int = 0
    deaths: int = 0
    concealed_or_false: int = 0
    larger_accidents: int = 0
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class Score:
    score: Decimal
    grade: str
    vetoed: bool
    veto_reasons: list[str]
    items: list[dict[str, Any]]
    deductions: list[dict[str, Any]]
    adjustments: list[dict[str, Any]]

    @property
    def eligible(self) -> bool:
        """May be proposed 先进: graded 优秀 and not vetoed."""
        return not self.vetoed and self.grade == EXCELLENT


def _ratio(part: int, whole: int) -> Decimal:
    return Decimal(1) if whole <= 0 else Decimal(min(part, whole)) / Decimal(whole)


def _indicator(key: str, spec: dict[str, Any], f: Facts) -> tuple[Decimal, str]:
    if key == "duty_compliance":
        return _ratio(
            f.compliance_done, f.compliance_required
        ), f"应履职 {f.compliance_required} 次，完成 {f.compliance_done} 次"
    if key == "hazards_on_time":
        return _ratio(
            f.hazards_on_time, f.hazards_due
        ), f"到期隐患 {f.hazards_due} 条，按期销号 {f.hazards_on_time} 条"
    if key == "target_items":
        return _ratio(
            f.targets_met, f.targets_total
        ), f"量化指标 {f.targets_total} 项，完成 {f.targets_met} 项"
    target = int(spec.get("target", 4))
    return _ratio(f.trainings, target), f"开展培训宣传 {f.trainings} 次（目标 {target} 次）"


def _count(key: str, f: Facts) -> int:
    return {"late_report": f.late_reports, "accident": f.accidents, "overdue_hazard": f.overdue_hazards}[key]


def _vetoes(rules: dict[str, Any], f: Facts) -> list[str]:
    found = {
        "death": f.deaths > 0,
        "concealed_or_false": f.concealed_or_false > 0,
        "larger_accident": f.larger_accidents > 0,
    }
    return [VETOES[v] for v in rules.get("vetoes", []) if found.get(v)]


def grade_of(total: Decimal, thresholds: dict[str, Any]) -> str:
    for grade in (EXCELLENT, GOOD, PASS):
        if total >= Decimal(str(thresholds[grade])):
            return grade
    return FAIL


def score(facts: Facts, rules: dict[str, Any], adjustments: list[dict[str, Any]] = ()) -> Score:  # type: ignore[assignment]
    """Score one subject under `rules`; `adjustments` are {"points", "reason", ...} dicts."""
    items = []
    total = Decimal(0)
    for spec in rules["indicators"]:
        key = spec["key"]
        weight = Decimal(str(spec["weight"]))
        ratio, detail = _indicator(key, spec, facts)
        points = q(weight * ratio)
        total += points
        items.append(
            {
                "key": key,
                "label": INDICATORS[key],
                "weight": str(weight),
                "points": str(points),
                "detail": detail,
                "records": facts.records.get(key, []),
            }
        )
    deductions = []
    for spec in rules.get("deductions", []):
        key = spec["key"]
        n = _count(key, facts)
        if not n:
            continue
        taken = min(Decimal(str(spec["points"])) * n, Decimal(str(spec["cap"])))
        total -= taken
        deductions.append(
            {
                "key": key,
                "label": DEDUCTIONS[key],
                "count": n,
                "points": str(-taken),
                "detail": f"{n} 次 × {spec['points']} 分，封顶 {spec['cap']} 分",
                "records": facts.records.get(key, []),
            }
        )
    for adj in adjustments:
        total += Decimal(str(adj["points"]))
    total = max(Decimal(0), min(Decimal(100), q(total)))
    reasons = _vetoes(rules, facts)
    grade = FAIL if reasons else grade_of(total, rules["thresholds"])
    return Score(
        score=total,
        grade=grade,
        vetoed=bool(reasons),
        veto_reasons=reasons,
        items=items,
        deductions=deductions,
        adjustments=list(adjustments),
    )
