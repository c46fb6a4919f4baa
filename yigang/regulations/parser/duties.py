"""Frequency duties: every phrase saying how often something must be done.

Phrases found (on the Simplified copy; one duty per phrase, never two for one phrase):

* a period word, then up to 30 characters of the same sentence, then a count and 次:
  ``每年至少4次``, ``（每月至少一次）``, ``每季度至少召开一次``, ``每季度组织开展…检查不少于1次``,
  ``不少于 2 次``, ``一年不少于2次``, ``每半年…``, ``年内…12次以上``, ``每周…两次``. Period words:
  每周/每星期, 每月, 每季(度), 每半年/半年, 每年/一年/年内/全年. The gap never crosses another period word,
  and a count after 第 ("第2次") or before 性 ("一次性") is no count;
* a count with a period after a slash: ``2次/月``;
* ``按周`` / ``按月`` / ``按季度``: once per period;
* ``定期`` (not ``不定期``): a duty with no count and no period.

按…/定期 yield nothing in a sentence that already holds a counted phrase.

The kind of act is read from the clause holding the phrase (between ，；。： and line breaks, brackets
included), then its sentence, then the whole item (or the article's lead-in). The first rule that
matches wins, in this order:

1. meeting — 会议, 召开, 例会, 专题会/调度会/推进会/现场会/座谈会/分析会/总结会/协调会/部署会
2. campaign — 专项行动, 专项整治, 专项治理, 攻坚行动, 集中整治
3. hearing — 听取…汇报/报告
4. supervision — 监督 (so "监督和检查…", "检查监督工作" are supervision)
5. inspection — 检查, 排查, 整治, 督查, 巡查, 抽查, 督导, 暗访
6. research — 调研, 走访
7. training — 培训, 宣传, 教育, 演练, 演习
8. other
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..choices import DutyKind, Period
from .document import Doc
from .model import ParsedDuty
from .numerals import cn_to_int

_PERIOD_WORDS = (
    r"每个?(?:星期|礼拜|周)|每个?月度?|每个?季度?|每半年度?|(?<![上下])半年度?内?|每一?年度?"
    r"|(?<![\d〇○零一二三四五六七八九十])一年(?:内|中|度)?|年内|全年|年度内"
)
_WEAK_WORDS = r"按(?:周|星期|月|季度?)(?![份底末初])|(?<!不)定期(?![存限])"
_IN_SENTENCE = r"[^。；;！!？?\n]"
_COUNT = r"(?<![第\d一二两三四五六七八九十])(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*次(?![性数])"
_STRONG = re.compile(
    rf"(?P<p>{_PERIOD_WORDS})(?:(?!{_PERIOD_WORDS}|{_WEAK_WORDS}){_IN_SENTENCE}){{0,30}}?{_COUNT}(?:以上)?"
)
_SLASH = re.compile(rf"{_COUNT}\s*[/／]\s*(?P<p>半年|年|季度?|月|周)")
_WEAK = re.compile(_WEAK_WORDS)
_SENTENCE_END = "。；;！!？?\n"
_CLAUSE_END = "，,。；;！!？?：:\n"

_KINDS: list[tuple[str, re.Pattern[str]]] = [
    (DutyKind.MEETING.value, re.compile(r"会议|召开|例会|[题度进场谈析结调署]会")),
    (DutyKind.CAMPAIGN.value, re.compile(r"专项行动|专项整治|专项治理|攻坚行动|集中整治")),
    (DutyKind.HEARING.value, re.compile(r"听取[^。；]{0,20}?(?:汇报|报告)")),
    (DutyKind.SUPERVISION.value, re.compile(r"监督")),
    (DutyKind.INSPECTION.value, re.compile(r"检查|排查|整治|督查|巡查|抽查|督导|暗访")),
    (DutyKind.RESEARCH.value, re.compile(r"调研|走访")),
    (DutyKind.TRAINING.value, re.compile(r"培训|宣传|教育|演练|演习")),
]


@dataclass(frozen=True)
class Where:
    """Where an offset stands: its article and item, the article's post, and the text to quote."""

    article: int | None
    item: int | None
    post: str | None
    scope: tuple[int, int] | None  # the item's text, else the article's lead-in


def period_of(word: str) -> str:
    if "周" in word or "星期" in word or "礼拜" in word:
        return Period.WEEK.value
    if "半年" in word:
        return Period.HALF_YEAR.value
    if "季" in word:
        return Period.QUARTER.value
    if "月" in word:
        return Period.MONTH.value
    return Period.YEAR.value


def kind_of(*texts: str) -> str:
    """The DutyKind value of the first text that names an act (see the module docstring)."""
    for text in texts:
        for kind, pattern in _KINDS:
            if pattern.search(text):
                return kind
    return DutyKind.OTHER.value


def find_duties(doc: Doc, lo: int, hi: int, where: Callable[[int], Where]) -> list[ParsedDuty]:
    """Every frequency phrase between offsets ``lo`` and ``hi``, in text order."""
    found: list[tuple[int, int, int | None, str | None]] = []  # start, end, count, period
    for m in _STRONG.finditer(doc.simp, lo, hi):
        found.append((m.start(), m.end(), cn_to_int(m["n"]), period_of(m["p"])))
    for m in _SLASH.finditer(doc.simp, lo, hi):
        if not _overlaps(found, m.start(), m.end()):
            found.append((m.start(), m.end(), cn_to_int(m["n"]), period_of(m["p"])))
    counted = list(found)
    for m in _WEAK.finditer(doc.simp, lo, hi):
        first, last = _bounds(doc.simp, m.start(), m.end(), _SENTENCE_END)
        if _overlaps(counted, first, last):
            continue
        word = m.group()
        if word.endswith("定期"):
            found.append((m.start(), m.end(), None, None))
        else:
            found.append((m.start(), m.end(), 1, period_of(word)))
    return [
        _duty(doc, start, end, count, period, where(start)) for start, end, count, period in sorted(found)
    ]


def _duty(doc: Doc, start: int, end: int, count: int | None, period: str | None, at: Where) -> ParsedDuty:
    clause = doc.simp[slice(*_bounds(doc.simp, start, end, _CLAUSE_END))]
    s_first, s_last = _bounds(doc.simp, start, end, _SENTENCE_END)
    scope = doc.simp[slice(*at.scope)] if at.scope else ""
    if at.item is not None and at.scope:
        text = doc.text[slice(*at.scope)].strip()
    else:
        # The sentence, with its closing mark.
        if s_last < len(doc.text) and doc.text[s_last] in "。；;！!？?":
            s_last += 1
        text = doc.text[s_first:s_last].strip()
    return ParsedDuty(
        article=at.article,
        item=at.item,
        post=at.post,
        kind=kind_of(clause, doc.simp[s_first:s_last], scope),
        min_count=count,
        period=period,
        text=text,
        phrase=doc.text[start:end],
    )


def _bounds(text: str, start: int, end: int, stops: str) -> tuple[int, int]:
    """The run around ``start:end`` up to (not including) the nearest stop characters either side."""
    first = start
    while first > 0 and text[first - 1] not in stops:
        first -= 1
    last = end
    while last < len(text) and text[last] not in stops:
        last += 1
    return first, last


def _overlaps(spans: list[tuple[int, int, int | None, str | None]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _, _ in spans)
