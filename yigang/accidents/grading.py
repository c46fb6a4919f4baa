"""The grade of an accident by 《生产安全事故报告和调查处理条例》(国务院令第493号) Art. 3, and money in 元.

Art. 3 states each grade as "N 人以上" or "N 元以上" and the next one up as "N 人以下"; the article's own note says
"以上" includes the number and "以下" excludes it. So 30 deaths is 特别重大 and 29 is 重大; 5000万元 is 重大 and
4999.99万元 is 较大. An accident takes the highest grade that any one criterion (deaths, serious injuries
including acute industrial poisoning, direct economic loss) reaches. Pure Python: no database, no float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation


class Grade:
    """The four grades, lowest first; `rank` orders them."""

    GENERAL = "一般"
    LARGER = "较大"
    MAJOR = "重大"
    EXTRAORDINARY = "特别重大"

    ORDER = (GENERAL, LARGER, MAJOR, EXTRAORDINARY)

    @classmethod
    def rank(cls, grade: str) -> int:
        return cls.ORDER.index(grade)


WAN = 10_000
YI = 100_000_000

# The lower bound ("以上", inclusive) of each grade above 一般, per criterion.
DEATHS = ((Grade.EXTRAORDINARY, 30), (Grade.MAJOR, 10), (Grade.LARGER, 3))
SERIOUS_INJURIES = ((Grade.EXTRAORDINARY, 100), (Grade.MAJOR, 50), (Grade.LARGER, 10))
DIRECT_LOSS = (
    (Grade.EXTRAORDINARY, Decimal(YI)),
    (Grade.MAJOR, Decimal(5000 * WAN)),
    (Grade.LARGER, Decimal(1000 * WAN)),
)


@dataclass(frozen=True)
class Grading:
    grade: str
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"grade": self.grade, "reasons": list(self.reasons)}


def _yuan_label(amount: Decimal) -> str:
    if amount % YI == 0:
        return f"{amount // YI}亿元"
    return f"{amount // WAN}万元"


def _reached(value: Decimal, bounds: tuple[tuple[str, Decimal | int], ...]) -> str:
    for grade, bound in bounds:
        if value >= bound:
            return grade
    return Grade.GENERAL


def grade(*, deaths: int, serious_injuries: int, direct_loss: Decimal | int) -> Grading:
    """The grade and, for each criterion that reached it, why (in the words of Art. 3).

    Raises ValueError on a negative count or loss, or a float loss (money is never a float).
    """
    if isinstance(deaths, bool) or isinstance(serious_injuries, bool):
        raise ValueError("人数须为整数。")
    if isinstance(direct_loss, float):
        raise ValueError("直接经济损失须为精确的元金额，不能是浮点数。")
    loss = Decimal(direct_loss)
    if deaths < 0 or serious_injuries < 0:
        raise ValueError("人数不能为负数。")
    if loss < 0:
        raise ValueError("直接经济损失不能为负数。")
    by_deaths = _reached(Decimal(deaths), DEATHS)
    by_injuries = _reached(Decimal(serious_injuries), SERIOUS_INJURIES)
    by_loss = _reached(loss, DIRECT_LOSS)
    top = max((by_deaths, by_injuries, by_loss), key=Grade.rank)
    if top == Grade.GENERAL:
        return Grading(
            Grade.GENERAL,
            [
                f"死亡{deaths}人，在一般事故“3人以下”",
                f"重伤（包括急性工业中毒）{serious_injuries}人，在一般事故“10人以下”",
                f"直接经济损失{format_yuan(loss)}元，在一般事故“1000万元以下”",
            ],
        )
    reasons = []
    if by_deaths == top:
        bound = dict(DEATHS)[top]
        reasons.append(f"死亡{deaths}人，达到{top}事故“{bound}人以上”")
    if by_injuries == top:
        bound = dict(SERIOUS_INJURIES)[top]
        reasons.append(f"重伤（包括急性工业中毒）{serious_injuries}人，达到{top}事故“{bound}人以上”")
    if by_loss == top:
        money = dict(DIRECT_LOSS)[top]
        reasons.append(f"直接经济损失{format_yuan(loss)}元，达到{top}事故“{_yuan_label(money)}以上”")
    return Grading(top, reasons)


def format_yuan(amount: Decimal) -> str:
    """12000 → "12,000"; 1234.5 → "1,234.50"."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


_YUAN = re.compile(r"^\d+(\.\d{1,2})?$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d{1,2})?$")
MAX_LOSS = Decimal("99999999999999.99")


def parse_yuan(text: str | int | Decimal) -> Decimal:
    """A loss in 元 as typed: "12000", "12,000", "12，000.50" are accepted; "1.2万", "12k", "-5" are refused.

    Raises ValueError with a message in Chinese.
    """
    if isinstance(text, bool | float):
        raise ValueError("直接经济损失须以元为单位填写整数或两位小数。")
    if isinstance(text, int | Decimal):
        value = Decimal(text)
    else:
        raw = text.strip().replace("，", ",").replace(" ", "")
        if raw.endswith("元"):
            raw = raw[:-1]
        if raw.startswith("-"):
            raise ValueError("直接经济损失不能为负数。")
        if "万" in raw or "亿" in raw:
            raise ValueError(
                f"直接经济损失“{text}”须以元为单位填写（如 12000 或 12,000），不能用万元或亿元。"
            )
        if not (_YUAN.match(raw) or _GROUPED.match(raw)):
            raise ValueError(
                f"直接经济损失“{text}”不是以元为单位的金额：只能填写数字，可用千位分隔符（如 12,000）。"
            )
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"直接经济损失“{text}”不是有效的金额。") from None
    if value < 0:
        raise ValueError("直接经济损失不能为负数。")
    if value > MAX_LOSS:
        raise ValueError("直接经济损失超出可记录的范围。")
    return value.quantize(Decimal("0.01"))


def parse_count(text: str | int, label: str) -> int:
    """A number of people as typed; refuses negatives, fractions and letters with a message naming the field."""
    if isinstance(text, bool):
        raise ValueError(f"{label}须为不小于 0 的整数。")
    if isinstance(text, int):
        value = text
    else:
        raw = text.strip()
        if not re.fullmatch(r"\d{1,6}", raw):
            if raw.startswith("-") and raw[1:].isdigit():
                raise ValueError(f"{label}不能为负数。")
            raise ValueError(f"{label}须为不小于 0 的整数，收到“{text}”。")
        value = int(raw)
    if value < 0:
        raise ValueError(f"{label}不能为负数。")
    if value > 100_000:
        raise ValueError(f"{label}超出可记录的范围。")
    return value
