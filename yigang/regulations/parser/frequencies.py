"""How often: every way a regulation writes a frequency, read into a minimum count and a period.

Phrases are matched on the Simplified copy. Each match gives a :class:`Phrase`: its span, the minimum count
per period, the period (a :class:`~yigang.regulations.choices.Period` value, ``None`` for 定期) and, when the
written period is not one the system counts over, a note saying how it was converted.

Forms read (the longest, most specific first; a later form never takes characters an earlier one took):

1. ``上下半年各N次``, ``上、下半年各N次``, ``上半年和下半年各N次`` — N per half-year; ``上、中、下旬各N次`` —
   N per 旬;
2. ``汛期前、汛期中各N次``, ``节前、节后各N次`` — N in each named window, counted as N×windows per year
   (with a note: the windows themselves are not checked);
3. a period word, then up to 30 characters of the same sentence (定期 among them is an adverb:
   ``每季定期组织召开一次`` is once a quarter), then a count and 次: ``每年至少4次``,
   ``（每月至少一次）``, ``每季度至少召开一次``, ``季度一次``, ``一年不少于2次``, ``年内…12次以上``.
   Period words: 每周/每星期, 每两周/每隔一周, 每旬, 每半月/半月, 每月, 每两个月, 每季(度)/季度,
   每半年/半年, 每年/一年/年内/全年; and, converted with a note: 每三个月 → 1 a quarter, 每四个月 → 3 a year,
   每六个月 → 1 a half-year, 每十天 → 1 a 旬 (a 下旬 runs from the 21st to the month's end).
   A window between the period word and the count (``每年第一季度1次``, ``每年上半年``, ``每年6月``) is kept
   in a note: the count is over the whole period;
4. a count with a period after a slash: ``2次/月``, ``1次/年``, ``1次/旬``, ``1次/半月``;
5. ``按周`` / ``按月`` / ``按季度``: once per period; ``定期`` (not ``不定期``): no count and no period.

A count is Arabic or Chinese (``4``, ``四``, ``十二``); a range gives its minimum (``2至3次``, ``一到两次``,
``一两次``, ``3-5次``); a count after 第 (``第2次``) or before 性/数 (``一次性``) is no count.

:func:`frequency_signals` finds words that state a frequency (``每天``, ``每年``, ``若干次``, ``4次`` …) so
that a sentence holding one and no read phrase becomes a warning rather than a silent miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..choices import Period
from .numerals import cn_to_int

_N = r"\d{1,3}|[一二两三四五六七八九十]{1,3}"
_COUNT = (
    rf"(?<![第\d一二两三四五六七八九十])(?P<n>{_N})"
    rf"(?:\s*(?:至|到|~|～|-|－|—|或)\s*(?:{_N}))?\s*次(?![性数])"
)
# Periods the system counts over, and the written periods converted into them.
_PERIOD_WORDS = (
    r"每隔?(?:两|二|三|四|六|[2346])个月"
    r"|每隔?(?:两|二|2)个?(?:星期|礼拜|周)|每隔一个?(?:星期|礼拜|周)"
    r"|每隔?(?:十|10)(?:天|日)|每一?个?旬|每半个?月|(?<![上下每个])半个?月(?=[内中]?[一二两三四五六七八九十\d])"
    r"|每一?个?(?:星期|礼拜|周)|每一?个?月度?|每一?个?季度?|每半年度?|(?<![上下])半年度?内?|每一?年度?"
    r"|(?<![第一二三四五六七八九上下本每个各该])季度"
    r"|(?<![\d〇○零一二三四五六七八九十])一年(?:内|中|度)?|年内|全年|年度内"
)
_BY_PERIOD = r"按(?:周|星期|月|季度?)(?![份底末初])"
_WEAK_WORDS = rf"{_BY_PERIOD}|(?<!不)定期(?![存限])"
_GAP = r"[^。；;！!？?\n]"
_STRONG = re.compile(
    # 定期 between a period word and its count is an adverb ("每季定期组织召开一次" is once a quarter).
    rf"(?P<p>{_PERIOD_WORDS})(?P<gap>(?:(?!{_PERIOD_WORDS}|{_BY_PERIOD}){_GAP}){{0,30}}?){_COUNT}(?:以上|左右)?"
)
_SLASH = re.compile(rf"{_COUNT}\s*[/／]\s*(?P<p>半年|年|季度?|两个?月|月|两周|周|旬|半个?月)")
_HALVES = re.compile(rf"上(?:半年)?\s*[、和及与]?\s*下半年{_GAP}{{0,20}}?各{_GAP}{{0,12}}?{_COUNT}(?:以上)?")
_THIRDS = re.compile(
    rf"上(?:旬)?\s*[、和及与]?\s*中(?:旬)?\s*[、和及与]?\s*下旬{_GAP}{{0,20}}?各{_GAP}{{0,12}}?{_COUNT}(?:以上)?"
)
_WINDOW = r"[\u4e00-\u9fff]{1,5}?(?:前|中|后|期间|期内)"
_SEASONS = re.compile(
    rf"(?P<w>{_WINDOW}(?:\s*[、和及与]\s*{_WINDOW})+){_GAP}{{0,20}}?各{_GAP}{{0,12}}?{_COUNT}(?:以上)?"
)
_WEAK = re.compile(_WEAK_WORDS)
# A window inside a period ("每年第一季度1次"): the count is over the period, the window is a note.
_WINDOW_IN_GAP = re.compile(
    r"第[一二三四1-4]季度|[上下]半年|[一二三四五六七八九十\d]{1,3}月份?(?:[底末初中]|[上中下]旬)?"
    r"|[上中下]旬|[上下]半月|年[初中底末]|汛期[前中后]?|[春冬夏秋]季|节假日[前中后]?|[春元]节[前中后]?"
)

# Words that state a frequency: a period word with 每, a vague count, or a count with 次.
_SIGNALS = re.compile(
    rf"每隔?[一二两三四五六七八九十\d]{{0,2}}个?(?:天|日|工作日|周|星期|旬|月|季|年)"
    rf"|若干次|(?!二次(?:事故|灾害|伤害|污染|供水))(?:{_COUNT})|(?<![第一二三四上下本每个各该])季度[一二两三四五六七八九十\d]"
)


@dataclass(frozen=True)
class Phrase:
    """One frequency phrase: where it stands, the minimum count per period, and how it was read."""

    start: int
    end: int
    count: int | None
    period: str | None
    note: str = ""


def read_count(word: str) -> int | None:
    """A count word: ``4``, ``十二``; ``一两``/``两三`` (a range written without 到) give the smaller."""
    if len(word) >= 2 and all(ch in "一二两三四五六七八九" for ch in word):
        return cn_to_int(word[0])
    return cn_to_int(word)


# The periods' names in warnings (plain strings: the parser runs without Django's settings).
_SAY = {
    Period.WEEK.value: "每周",
    Period.TWO_WEEKS.value: "每两周",
    Period.TEN_DAYS.value: "每旬",
    Period.HALF_MONTH.value: "每半月",
    Period.MONTH.value: "每月",
    Period.TWO_MONTHS.value: "每两个月",
    Period.QUARTER.value: "每季度",
    Period.HALF_YEAR.value: "每半年",
    Period.YEAR.value: "每年",
}


def convert(word: str) -> tuple[str, int, str]:
    """The counted period of a period word, the number of written periods in it, and how to say so.

    ``convert("每四个月") == ("year", 3, "每年")``: a count per four months is three times that count per
    year. A period the system counts over gives ``(period, 1, "")``: ``convert("每旬") == ("ten_days", 1, "")``.
    """
    months = re.search(r"([两二三四六2346])个月", word)
    if months:
        k = cn_to_int(months[1]) or 1
        if k == 2:
            return Period.TWO_MONTHS.value, 1, ""
        for period, length in ((Period.QUARTER, 3), (Period.HALF_YEAR, 6), (Period.YEAR, 12)):
            if length % k == 0:
                return period.value, length // k, _SAY[period.value]
    if re.search(r"[两二2]个?(?:星期|礼拜|周)|隔一个?(?:星期|礼拜|周)", word):
        return Period.TWO_WEEKS.value, 1, ""
    if re.search(r"(?:十|10)(?:天|日)", word):
        return Period.TEN_DAYS.value, 1, "每旬（上旬1—10日、中旬11—20日、下旬21日至月末）"
    if "旬" in word:
        return Period.TEN_DAYS.value, 1, ""
    if re.search(r"半个?月", word):
        return Period.HALF_MONTH.value, 1, ""
    return period_of(word), 1, ""


def period_of(word: str) -> str:
    """The Period value a plain period word names (每周 → week … 每年 → year)."""
    if "周" in word or "星期" in word or "礼拜" in word:
        return Period.WEEK.value
    if "半年" in word:
        return Period.HALF_YEAR.value
    if "季" in word:
        return Period.QUARTER.value
    if "月" in word:
        return Period.MONTH.value
    return Period.YEAR.value


def find_phrases(simp: str, lo: int, hi: int) -> list[Phrase]:
    """Every frequency phrase between offsets ``lo`` and ``hi`` of ``simp``, in text order."""
    found: list[Phrase] = []

    def add(phrase: Phrase) -> None:
        if not any(p.start < phrase.end and phrase.start < p.end for p in found):
            found.append(phrase)

    for m in _HALVES.finditer(simp, lo, hi):
        add(Phrase(m.start(), m.end(), read_count(m["n"]), Period.HALF_YEAR.value))
    for m in _THIRDS.finditer(simp, lo, hi):
        add(Phrase(m.start(), m.end(), read_count(m["n"]), Period.TEN_DAYS.value))
    for m in _SEASONS.finditer(simp, lo, hi):
        count = read_count(m["n"])
        windows = len(re.split(r"\s*[、和及与]\s*", m["w"]))
        if count is not None:
            note = f"“{m['w']}”各{count}次，按每年{count * windows}次统计（不核对各时段内是否完成）"
            add(Phrase(m.start(), m.end(), count * windows, Period.YEAR.value, note))
    for m in _STRONG.finditer(simp, lo, hi):
        count = read_count(m["n"])
        if count is None:
            continue
        period, times, label = convert(m["p"])
        notes = []
        if times != 1 or label:
            notes.append(f"按{label}{count * times}次统计")
        window = _WINDOW_IN_GAP.search(m["gap"])
        if window:
            notes.append(f"限定在“{window.group()}”完成，系统按整个周期统计次数，请核对")
        add(Phrase(m.start(), m.end(), count * times, period, "；".join(notes)))
    for m in _SLASH.finditer(simp, lo, hi):
        count = read_count(m["n"])
        if count is None:
            continue
        period, times, label = convert("每" + m["p"])
        add(
            Phrase(
                m.start(), m.end(), count * times, period, f"按{label}{count * times}次统计" if label else ""
            )
        )
    counted = list(found)
    for m in _WEAK.finditer(simp, lo, hi):
        first, last = bounds(simp, m.start(), m.end(), SENTENCE_END)
        if any(p.start < last and first < p.end for p in counted):
            continue
        word = m.group()
        if word.endswith("定期"):
            add(Phrase(m.start(), m.end(), None, None))
        else:
            add(Phrase(m.start(), m.end(), 1, period_of(word)))
    return sorted(found, key=lambda p: p.start)


def frequency_signals(simp: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans of words that state a frequency (see the module docstring)."""
    return [m.span() for m in _SIGNALS.finditer(simp, lo, hi)]


SENTENCE_END = "。；;！!？?\n"
CLAUSE_END = "，,。；;！!？?：:\n"


def bounds(text: str, start: int, end: int, stops: str) -> tuple[int, int]:
    """The run around ``start:end`` up to (not including) the nearest stop characters either side."""
    first = start
    while first > 0 and text[first - 1] not in stops:
        first -= 1
    last = end
    while last < len(text) and text[last] not in stops:
        last += 1
    return first, last
