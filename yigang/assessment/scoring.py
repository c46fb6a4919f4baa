"""The scheme's rules and the pure scoring function: facts in, score, grade, vetoes and workings out.

Points are worked in `Decimal` to one decimal place, rounded half up: each indicator earns
`weight × ratio`; an indicator with nothing on record earns what its rule's `no_record` says (0 in the
default scheme: no record is not full marks); an indicator the 安委办 marked 不适用 for the subject (with a
reason) is left out and the others are scaled to the full 100 (Σ points × 100 ÷ Σ applicable weights). Each
deduction takes `points × occurrences` up to its cap, documented manual adjustments are added, and the total
is kept between 0 and 100. Any veto (一票否决) sets the grade to 不合格 whatever the score and bars 先进.
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
    # Not in the default scheme (the regulation names no supervision plan); a town adds it to its own 考核办法.
    "supervision_coverage": "监管对象检查覆盖率（监管计划中各场所各期按计划检查的比例）",
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
# `no_record`: the points an indicator gives when nothing is on record for the subject (no duty owed, no
# hazard due, no target letter signed, no training logged) — 0 in the default scheme, so a blank record never
# reads as full marks; the 安委办 marks an indicator 不适用 for a subject instead, with a reason.
# `advanced_share`: at most this percentage of each list (units, leaders) may be proposed 先进 (a ceiling).
DEFAULT_RULES: dict[str, Any] = {
    "indicators": [
        {"key": "duty_compliance", "weight": 40, "no_record": 0},
        {"key": "hazards_on_time", "weight": 25, "no_record": 0},
        {"key": "target_items", "weight": 20, "no_record": 0},
        {"key": "trainings", "weight": 15, "target": 4, "no_record": 0},
    ],
    "deductions": [
        {"key": "late_report", "points": 5, "cap": 10},
        {"key": "accident", "points": 3, "cap": 9},
        {"key": "overdue_hazard", "points": 1, "cap": 5},
    ],
    "thresholds": {EXCELLENT: 90, GOOD: 80, PASS: 60},
    "vetoes": ["death", "concealed_or_false", "larger_accident"],
    "advanced_share": 20,
}

# Where each default comes from (shown beside a rule that still has its default value).
DEFAULT_SOURCES: dict[str, str] = {
    "indicators": "制度第九条第7项（年终目标考核）与第五至十二条的履职频次、隐患排查治理职责、年度目标责任书；"
    "权重为本系统默认，制度未规定",
    "no_record": "本系统默认：无记录不得分（以记录为凭，空白不视为完成）；确实不适用的，由安委办逐项标注并说明理由",
    "deductions": "本系统默认（制度未规定扣分标准）；迟报按《生产安全事故报告和调查处理条例》第九条的报告时限认定",
    "thresholds": "本系统默认（制度未规定分数线）：百分制 90/80/60 四档",
    "vetoes": "制度第四条第1项（落实“一票否决制”）与《地方党政领导干部安全生产责任制规定》第二十条",
    "advanced_share": "本系统默认（制度第九条第7项只规定组织研究审查先进单位、先进个人，未规定比例）：至多五分之一",
}
DEFAULT_ADVANCED_SHARE = 20

# How each indicator is worked, in words (the workings and `yigang assess --json` print it with the figures).
RULE_TEXT = {
    "duty_compliance": "{w} 分 × 完成次数 ÷ 应履职次数（各期完成数计至该期应完成数；期末在截止日及以前的各期）",
    "hazards_on_time": "{w} 分 × 按期销号条数 ÷ 到期隐患条数",
    "target_items": "{w} 分 × 完成项数 ÷ 量化指标项数（已签目标责任书中有数据指标的条目）",
    "trainings": "{w} 分 × min(开展次数, {t}) ÷ {t}",
    "supervision_coverage": "{w} 分 × 已覆盖期次 ÷ 应检查期次（本单位监管计划中各场所各期；期末在截止日以前的各期）",
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
    for i in indicators:
        if "no_record" not in i:
            label = INDICATORS.get(i.get("key"), i.get("key"))
            errors.append(f"指标“{label}”须写明无记录时的得分（no_record）")
            continue
        try:
            ok = 0 <= Decimal(str(i["no_record"])) <= Decimal(str(i.get("weight", 0)))
        except ArithmeticError:
            ok = False
        if not ok:
            label = INDICATORS.get(i.get("key"), i.get("key"))
            errors.append(f"指标“{label}”无记录时的得分须在 0 到该指标权重之间")
        if i.get("key") == "trainings":
            target = i.get("target", 4)
            if isinstance(target, bool) or not isinstance(target, int) or target < 1:
                errors.append("培训宣传次数的目标须为不小于 1 的整数")
    share = rules.get("advanced_share", DEFAULT_ADVANCED_SHARE)
    try:
        share_ok = not isinstance(share, bool) and 0 <= Decimal(str(share)) <= 100
    except ArithmeticError:
        share_ok = False
    if not share_ok:
        errors.append(f"先进名额比例须在 0% 到 100% 之间（现为 {share}%）")
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
    compliance_open: int = 0  # periods not yet ended on the cut-off day (预评 only): listed, not counted
    hazards_due: int = 0
    hazards_on_time: int = 0
    overdue_hazards: int = 0
    trainings: int = 0
    coverage_judged: int = 0  # periods of the body's plan lines judged (ended before the day judged on)
    coverage_met: int = 0
    coverage_open: int = 0  # periods still running (预评 only): listed, not counted
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
    scaled: dict[str, str] | None = None  # the scaling when items are 不适用

    @property
    def eligible(self) -> bool:
        """May be proposed 先进: graded 优秀 and not vetoed."""
        return not self.vetoed and self.grade == EXCELLENT


def _ratio(part: int, whole: int) -> Decimal:
    return Decimal(min(part, whole)) / Decimal(whole)


def _figures(key: str, spec: dict[str, Any], f: Facts) -> tuple[dict[str, int], int, int, str]:
    """(figures, part, whole, detail): what the indicator is scored on; `whole` 0 or `part` 0 for trainings
    means nothing is on record."""
    if key == "duty_compliance":
        detail = f"应履职 {f.compliance_required} 次，完成 {f.compliance_done} 次"
        if f.compliance_open:
            detail += f"；另有 {f.compliance_open} 期尚未结束，未计入"
        figures = {"required": f.compliance_required, "done": f.compliance_done, "open": f.compliance_open}
        return figures, f.compliance_done, f.compliance_required, detail
    if key == "hazards_on_time":
        detail = f"到期隐患 {f.hazards_due} 条，按期销号 {f.hazards_on_time} 条"
        return {"due": f.hazards_due, "on_time": f.hazards_on_time}, f.hazards_on_time, f.hazards_due, detail
    if key == "target_items":
        detail = f"量化指标 {f.targets_total} 项，完成 {f.targets_met} 项"
        return {"total": f.targets_total, "met": f.targets_met}, f.targets_met, f.targets_total, detail
    if key == "supervision_coverage":
        detail = f"监管计划应检查 {f.coverage_judged} 期次，已覆盖 {f.coverage_met} 期次"
        if f.coverage_open:
            detail += f"；另有 {f.coverage_open} 期次尚未结束，未计入"
        figures = {"judged": f.coverage_judged, "met": f.coverage_met, "open": f.coverage_open}
        return figures, f.coverage_met, f.coverage_judged, detail
    target = int(spec.get("target", 4))
    detail = f"开展培训宣传 {f.trainings} 次（目标 {target} 次）"
    # Nothing logged is "no record"; a target of 0 cannot be missed.
    return {"held": f.trainings, "target": target}, f.trainings, (target if f.trainings else 0), detail


def rule_text(spec: dict[str, Any]) -> str:
    """The indicator's rule in words, with what it gives when nothing is on record."""
    key = spec["key"]
    text = RULE_TEXT[key].format(w=spec["weight"], t=spec.get("target", 4))
    return f"{text}；无记录时得 {no_record_points(spec)} 分"


def no_record_points(spec: dict[str, Any]) -> Decimal:
    """What the indicator gives with nothing on record. A scheme saved before issue 21 did not say: it gave the
    full weight then, and is read as it was written (a published year never changes)."""
    return q(Decimal(str(spec.get("no_record", spec["weight"]))))


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


def score(
    facts: Facts,
    rules: dict[str, Any],
    adjustments: list[dict[str, Any]] = (),  # type: ignore[assignment]
    not_applicable: dict[str, dict[str, Any]] | None = None,
) -> Score:
    """Score one subject under `rules`; `adjustments` are {"points", "reason", ...} dicts; `not_applicable`
    maps an indicator key to the 安委办's marking ({"reason", "by", "at", ...}): that indicator is left out and the
    others are scaled to the full weight."""
    not_applicable = not_applicable or {}
    items = []
    earned = Decimal(0)
    full = Decimal(0)
    applicable = Decimal(0)
    for spec in rules["indicators"]:
        key = spec["key"]
        weight = Decimal(str(spec["weight"]))
        full += weight
        figures, part, whole, detail = _figures(key, spec, facts)
        marked = not_applicable.get(key)
        no_record = whole <= 0
        if marked is not None:
            points: Decimal | None = None
        elif no_record:
            points = no_record_points(spec)
        else:
            points = q(weight * _ratio(part, whole))
        if points is not None:
            earned += points
            applicable += weight
        items.append(
            {
                "key": key,
                "label": INDICATORS[key],
                "weight": str(weight),
                "points": None if points is None else str(points),
                "detail": detail,
                "rule": rule_text(spec),
                "figures": figures,
                "no_record": no_record and marked is None,
                "not_applicable": marked,
                "records": facts.records.get(key, []),
                "open": facts.records.get(f"{key}_open", []),
            }
        )
    # Items marked 不适用 are left out: the applicable ones are scaled to the scheme's full weight (100).
    scaled: dict[str, str] | None = None
    if applicable == full:
        total = earned
    elif applicable > 0:
        total = q(earned * full / applicable)
        scaled = {
            "earned": str(earned),
            "applicable": str(applicable),
            "full": str(full),
            "total": str(total),
        }
    else:
        total = Decimal(0)
        scaled = {"earned": "0", "applicable": "0", "full": str(full), "total": "0"}
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
        scaled=scaled,
    )
