"""Indicators a target item (目标责任书) can be measured by, as data: the assessment issue scores them.

Each key names a figure Yigang has or will have (the hazards register is being built separately, so its key is
declared here without importing it). `comparison` says how the target is read: "eq" the figure must equal the
target, "gte" be at least the target, "lte" at most.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    comparison: str
    unit: str
    source: str


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator("deaths", "生产安全事故死亡人数", "eq", "人", "accidents"),
        Indicator("duty_compliance_rate", "履职要求完成率", "gte", "%", "duties.compliance"),
        Indicator("hazards_closed_on_time_rate", "隐患按期整改率", "gte", "%", "hazards"),
        Indicator("trainings_held", "安全培训宣传次数", "gte", "次", "duties.records:training"),
    )
}

COMPARISON_LABELS = {"eq": "＝", "gte": "≥", "lte": "≤"}

# The template a new year starts from: (text, indicator key or "", target).
DEFAULT_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("全年不发生生产安全死亡事故", "deaths", "0"),
    ("按制度规定的频次履行安全生产职责", "duty_compliance_rate", "100"),
    ("排查发现的事故隐患按期整改", "hazards_closed_on_time_rate", "95"),
    ("组织开展安全生产培训宣传", "trainings_held", "4"),
    ("落实“三管三必须”，本单位（本村）安全生产责任体系健全", "", ""),
)


def describe(key: str, target: str) -> str:
    """The measurable part of an item, e.g. "履职要求完成率 ≥ 100%"."""
    indicator = INDICATORS.get(key)
    if indicator is None:
        return ""
    return f"{indicator.label} {COMPARISON_LABELS[indicator.comparison]} {target}{indicator.unit}"
