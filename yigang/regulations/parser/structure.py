"""Chapters, articles and items from the body lines.

Two shapes are read:

* ``第X章`` / ``第X条`` (Chinese or Arabic numerals, spaces allowed inside, ``第一条：``, ``第一条 text``,
  or ``第一条`` alone with its text on the next line). An article's items are the lines carrying the
  first kind of number mark met in it (``1．`` ``1.`` ``1、`` are one kind; ``（一）``, ``(1)``, ``一、``,
  ``①`` are others); lines with another kind of mark, or none, are folded into the item before them (or the
  lead-in when no item has started).
* No ``第X条`` at all: top-level ``一、`` parts are articles numbered 1..n by order, their first line the
  heading; inside them ``（一）`` (or whatever kind comes first) are items and deeper lines fold in.
* No ``第X条`` and no ``一、`` but ``（二）…`` headings with items of another kind under them (``1、…``): a page
  of a longer document. Each ``（X）`` heading is a part numbered as written (so ``（二）`` is part 2, as the
  page says), its ``1、`` lines its items; a warning says the text was read as such a page.

Everything is located by line index and character offset into :class:`Doc`, so duties and sectors can
find the article and item they stand in.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from yigang.words import chinese_number as int_to_cn

from .document import Doc
from .numerals import CN_NUM_CLASS, NUM_CLASS, cn_to_int

_NUM = rf"[{NUM_CLASS}]+"
CHAPTER_RE = re.compile(rf"^第\s*(?P<n>{_NUM})\s*章\s*[：:、.．]?\s*(?P<rest>.*)$")
# Not "第三条规定的…" / "第五条所列…": a reference at a line start is no heading.
ARTICLE_RE = re.compile(rf"^第\s*(?P<n>{_NUM})\s*条(?![规所之的中款项和至、])\s*[：:、.．]?\s*")

_MARKS: list[tuple[str, re.Pattern[str]]] = [
    ("paren_arabic", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*[、.．]?\s*")),
    ("paren_cn", re.compile(rf"^[（(]\s*([{CN_NUM_CLASS}]{{1,4}})\s*[）)]\s*[、.．]?\s*")),
    ("arabic", re.compile(r"^(\d{1,3})\s*(?:[．.](?!\d)|、)\s*")),
    ("cn", re.compile(r"^([一二三四五六七八九十百]{1,4})\s*[、．.]\s*")),
    ("circled", re.compile(r"^([\u2460-\u2473])\s*")),
]
_TERMINAL = re.compile(r"[。！？!?；;．.…”’」』）)]$")
_PUNCT = re.compile(r"[，。；：,;:！？]")


@dataclass(frozen=True)
class Mark:
    style: str
    number: int
    end: int  # length of the mark in the line


def mark_of(sline: str) -> Mark | None:
    """The item number mark at the start of a (Simplified) line, if any."""
    for style, pattern in _MARKS:
        m = pattern.match(sline)
        if m:
            raw = m.group(1)
            number = ord(raw) - 0x245F if style == "circled" else cn_to_int(raw)
            if number is not None:
                return Mark(style, number, m.end())
    return None


@dataclass
class ItemSpan:
    number: int
    first: int
    last: int
    text_start: int


@dataclass
class ArticleSpan:
    number: int
    chapter: int | None
    first: int
    last: int
    text_start: int
    written: int
    style: str | None = None
    items: list[ItemSpan] = field(default_factory=list)

    def add_line(self, index: int, mark: Mark | None, offset: int) -> None:
        self.last = index
        if mark and (self.style is None or mark.style == self.style):
            self.style = mark.style
            self.items.append(ItemSpan(mark.number, index, index, offset + mark.end))
        elif self.items:
            self.items[-1].last = index

    def lead_in_end(self, doc: Doc) -> int:
        return doc.starts[self.items[0].first] if self.items else doc.ends[self.last]


@dataclass
class Structure:
    chapters: list[tuple[int, str]] = field(default_factory=list)  # (number, title)
    articles: list[ArticleSpan] = field(default_factory=list)
    pre: ArticleSpan | None = None  # lines before the first chapter/article (a cut-off fragment's items)
    outline: bool = False
    top: str = "cn"  # the mark of an outline's parts: "cn" (一、), or "paren_cn" ((二)) on a page
    warnings: list[str] = field(default_factory=list)


def is_structural(sline: str) -> bool:
    return bool(ARTICLE_RE.match(sline) or _chapter(sline))


def _chapter(sline: str) -> tuple[int, str] | None:
    m = CHAPTER_RE.match(sline)
    if not m or "。" in m["rest"] or len(m["rest"]) > 40:
        return None
    number = cn_to_int(m["n"])
    return None if number is None else (number, m["rest"])


def _outline_top(doc: Doc, lo: int, hi: int) -> str:
    """The mark of an outline's parts: ``一、``, or ``（二）`` when no ``一、`` is written and a ``（X）`` line
    has items of another kind after it (a page of a longer document)."""
    styles = [m.style for m in (mark_of(doc.sline(i)) for i in range(lo, hi)) if m is not None]
    if "cn" in styles or "paren_cn" not in styles:
        return "cn"
    first = styles.index("paren_cn")
    return "paren_cn" if any(s != "paren_cn" for s in styles[first:]) else "cn"


def first_structural_line(doc: Doc, lo: int, hi: int) -> int | None:
    """Where the regulation's body starts: the first chapter or article (or ``一、`` part) line."""
    outline = not any(ARTICLE_RE.match(doc.sline(i)) for i in range(lo, hi))
    top = _outline_top(doc, lo, hi) if outline else "cn"
    for i in range(lo, hi):
        s = doc.sline(i)
        if is_structural(s):
            return i
        if outline:
            mark = mark_of(s)
            if mark and mark.style == top:
                return i
    return None


def parse_structure(doc: Doc, lo: int, hi: int) -> Structure:
    """Read lines ``lo``..``hi-1`` (the body, header and signature excluded)."""
    result = Structure()
    article_lines = [i for i in range(lo, hi) if ARTICLE_RE.match(doc.sline(i))]
    result.outline = not article_lines
    if result.outline:
        result.top = _outline_top(doc, lo, hi)
    # "一、总则" stands for 第一章 only in texts without 第X章 whose first article it heads.
    cn_chapters = (
        bool(article_lines)
        and article_lines[0] > lo
        and _chapter_like(doc, article_lines[0] - 1, hi) is not None
        and not any(_chapter(doc.sline(i)) for i in range(lo, hi))
    )
    chapter: int | None = None
    article: ArticleSpan | None = None
    started = False
    for i in range(lo, hi):
        s = doc.sline(i)
        start = doc.starts[i]
        found = _chapter(s) or (_chapter_like(doc, i, hi) if cn_chapters else None)
        mark = mark_of(s)
        if found is not None:
            chapter = found[0]
            title = re.sub(r"\s+", "", doc.text[start + len(s) - len(found[1]) : doc.ends[i]])
            result.chapters.append((chapter, title))
            article, started = None, True
            continue
        opened = _open_article(result, s, mark, chapter, i, start)
        if opened is not None:
            article, started = opened, True
            result.articles.append(article)
            continue
        if article is not None:
            article.add_line(i, mark, start)
        elif not started:
            if result.pre is None:
                result.pre = ArticleSpan(0, None, i, i, start, 0)
            result.pre.add_line(i, mark, start)
    _check(doc, result, hi)
    return result


def _open_article(
    result: Structure, sline: str, mark: Mark | None, chapter: int | None, index: int, start: int
) -> ArticleSpan | None:
    """A new article if line ``index`` starts one: ``第X条``, or a top-level ``一、`` in outline texts."""
    if not result.outline:
        art = ARTICLE_RE.match(sline)
        if art is None:
            return None
        number = cn_to_int(art["n"]) or 0
        return ArticleSpan(number, chapter, index, index, start + art.end(), number)
    if mark and mark.style == result.top:
        number = len(result.articles) + 1 if result.top == "cn" else mark.number
        return ArticleSpan(number, chapter, index, index, start + mark.end, mark.number)
    return None


def _chapter_like(doc: Doc, index: int, hi: int) -> tuple[int, str] | None:
    """``一、总则`` used as a chapter heading: short, unpunctuated, and a ``第X条`` follows at once."""
    s = doc.sline(index)
    mark = mark_of(s)
    if mark is None or mark.style != "cn":
        return None
    rest = s[mark.end :]
    heads_article = index + 1 < hi and ARTICLE_RE.match(doc.sline(index + 1))
    if 0 < len(rest) <= 16 and not _PUNCT.search(rest) and heads_article:
        return mark.number, rest
    return None


def _check(doc: Doc, result: Structure, hi: int) -> None:
    """Warnings for the reviewer: gaps, repeats, empty or cut-off articles, a fragment's loose items."""
    warn = result.warnings.append
    articles = result.articles
    if result.pre is not None and result.pre.items and articles:
        warn(f"第{int_to_cn(articles[0].number)}条之前有不属于任何一条的编号内容（文本可能不是从头开始）")
    elif result.pre is not None and result.pre.items:
        warn("文本中有编号的项，但没有识别出条（文本可能不完整）")
    elif result.pre is not None and not articles:
        warn("文本中没有“第X条”这样的条文编号，可能是较长文件的片段；已按现有内容解析，请核对")
    if articles and not result.outline and articles[0].number > 1:
        warn(f"文本从第{int_to_cn(articles[0].number)}条开始，之前的条文缺失（文本可能不完整）")
    for before, after in itertools.pairwise(articles):
        if result.outline:
            continue
        if after.number == before.number:
            warn(f"条文编号重复：第{int_to_cn(after.number)}条出现了两次")
        elif after.number != before.number + 1:
            warn(f"条文编号不连续：第{int_to_cn(before.number)}条之后是第{int_to_cn(after.number)}条")
    if result.outline and result.top == "paren_cn" and articles:
        begins = f"，从“（{int_to_cn(articles[0].written)}）”开始" if articles[0].written > 1 else ""
        warn(
            f"文本没有标题和“第X条”，可能是较长文件中的一页{begins}；已按“（X）”分部分、按原编号解析，请核对"
        )
    elif result.outline:
        for seq, art in enumerate(articles, 1):
            if art.written != seq:
                warn(f"第{seq}部分的编号写作“{int_to_cn(art.written)}、”，与顺序不符")
    for art in articles:
        name = _name(art, result.outline)
        for before_item, after_item in itertools.pairwise(art.items):
            if after_item.number != before_item.number + 1:
                warn(f"{name}的项编号不连续：第{before_item.number}项之后是第{after_item.number}项")
        body = doc.text[art.text_start : doc.ends[art.last]].strip()
        if not body:
            warn(f"{name}缺少内容（文本可能被截断）")
    if articles and articles[-1].last == hi - 1:
        last = articles[-1]
        name = _name(last, result.outline)
        lead = doc.simp[last.text_start : last.lead_in_end(doc)].strip()
        final = doc.sline(last.last)
        if not last.items and lead.endswith(("：", ":")):
            warn(f"{name}列出各项之前文本就结束了（文本可能被截断）")
        elif doc.text[last.text_start : doc.ends[last.last]].strip() and not _TERMINAL.search(final):
            where = f"第{last.items[-1].number}项" if last.items else ""
            warn(f"{name}{where}在文本末尾中断（文本可能被截断）")


def _name(art: ArticleSpan, outline: bool) -> str:
    return f"第{art.number}部分" if outline else f"第{int_to_cn(art.number)}条"
