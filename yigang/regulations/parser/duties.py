"""Frequency duties: every phrase saying how often something must be done, and the kind of act it asks for.

The phrases themselves are read by :mod:`.frequencies` (every written form, and the conversions of periods
the system does not count over). Here they become duties:

* the same duty stated twice in one sentence ("每年组织开展一次检查（每年至少1次）") is one duty: two
  phrases of one sentence with the same period and kind merge, keeping the larger count (and a warning when
  the counts differ);
* a sentence that states a frequency (每天, 每年, 若干次, 4次 …) but holds no phrase that could be read
  becomes a warning, never a silent miss; so does every converted period and every window inside a period.

The kind of act is read from the clause holding the phrase (between ，；。： and line breaks, brackets
included), then its sentence, then the whole item (or the article's lead-in). The first rule that
matches wins, in this order:

1. meeting — 会议, 召开, 例会, 专题会/调度会/推进会/现场会/座谈会/分析会/总结会/协调会/部署会
2. campaign — 专项行动, 专项整治, 专项治理, 攻坚行动, 集中整治
3. hearing — 听取…汇报/报告
4. meeting — 研究/部署 …工作 ("研究安全生产工作", "研究部署", "专题研究"): a body studies its work in a
   meeting, and the record kinds file such acts as meetings (会议)
5. supervision — 监督 (so "监督和检查…", "检查监督工作" are supervision)
6. inspection — 检查, 排查, 整治, 督查, 巡查, 抽查, 督导, 暗访
7. research — 调研, 走访
8. training — 培训, 宣传, 教育, 演练, 演习
9. other
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from yigang.words import chinese_number as int_to_cn

from ..choices import DutyKind
from .document import Doc
from .frequencies import CLAUSE_END, SENTENCE_END, Phrase, bounds, find_phrases, frequency_signals
from .model import ParsedDuty

_KINDS: list[tuple[str, re.Pattern[str]]] = [
    (DutyKind.MEETING.value, re.compile(r"会议|召开|例会|[题度进场谈析结调署]会")),
    (DutyKind.CAMPAIGN.value, re.compile(r"专项行动|专项整治|专项治理|攻坚行动|集中整治")),
    (DutyKind.HEARING.value, re.compile(r"听取[^。；]{0,20}?(?:汇报|报告)")),
    (DutyKind.MEETING.value, re.compile(r"研究|部署")),
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

    @property
    def label(self) -> str:
        """ "第五条第3项", "第五条", "第3项" or "条文之外", for warnings."""
        article = f"第{int_to_cn(self.article)}条" if self.article is not None else ""
        item = f"第{self.item}项" if self.item is not None else ""
        return article + item or "条文之外"


def kind_of(*texts: str) -> str:
    """The DutyKind value of the first text that names an act (see the module docstring)."""
    for text in texts:
        for kind, pattern in _KINDS:
            if pattern.search(text):
                return kind
    return DutyKind.OTHER.value


def find_duties(
    doc: Doc, lo: int, hi: int, where: Callable[[int], Where]
) -> tuple[list[ParsedDuty], list[str]]:
    """Every frequency duty between offsets ``lo`` and ``hi`` in text order, and the warnings about them."""
    warnings: list[str] = []
    duties: list[tuple[Phrase, ParsedDuty, tuple[int, int]]] = []
    for phrase in find_phrases(doc.simp, lo, hi):
        at = where(phrase.start)
        duty = _duty(doc, phrase, at)
        sentence = bounds(doc.simp, phrase.start, phrase.end, SENTENCE_END)
        same = next(
            (
                i
                for i, (p, d, s) in enumerate(duties)
                if s == sentence and d.period == duty.period and d.kind == duty.kind and d.period is not None
            ),
            None,
        )
        if same is not None:
            kept = duties[same][1]
            if kept.min_count != duty.min_count:
                warnings.append(
                    f"{at.label}“{kept.phrase}”与“{duty.phrase}”是同一项职责的两种写法，但次数不同，"
                    f"已按较多的{max(kept.min_count or 0, duty.min_count or 0)}次统计，请核对"
                )
                if (duty.min_count or 0) > (kept.min_count or 0):
                    duties[same] = (duties[same][0], duty, sentence)
            continue
        duties.append((phrase, duty, sentence))
        if phrase.note:
            warnings.append(f"{at.label}“{duty.phrase}”：{phrase.note}")
    warnings.extend(_unread(doc, lo, hi, [p for p, _, _ in duties], where))
    return [d for _, d, _ in duties], warnings


def _unread(doc: Doc, lo: int, hi: int, phrases: list[Phrase], where: Callable[[int], Where]) -> list[str]:
    """A warning for each clause that states a frequency but holds no phrase that was read."""
    all_phrases = find_phrases(doc.simp, lo, hi)  # merged duplicates still cover their clause
    warned: set[tuple[int, int]] = set()
    warnings = []
    for start, end in frequency_signals(doc.simp, lo, hi):
        clause = bounds(doc.simp, start, end, CLAUSE_END)
        if clause in warned or any(p.start < clause[1] and clause[0] < p.end for p in all_phrases):
            continue
        warned.add(clause)
        at = where(start)
        first = max(clause[0], at.scope[0]) if at.scope and at.scope[0] <= start else clause[0]
        words = doc.text[first : clause[1]].strip()
        if len(words) > 40:
            words = words[:40] + "…"
        warnings.append(f"{at.label}“{words}”写有频次，但未能读出次数和周期，请核对后手工补充")
    return warnings


def _duty(doc: Doc, phrase: Phrase, at: Where) -> ParsedDuty:
    start, end = phrase.start, phrase.end
    clause = doc.simp[slice(*bounds(doc.simp, start, end, CLAUSE_END))]
    s_first, s_last = bounds(doc.simp, start, end, SENTENCE_END)
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
        min_count=phrase.count,
        period=phrase.period,
        text=text,
        phrase=doc.text[start:end],
    )
