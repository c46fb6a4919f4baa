"""Text → :class:`ParsedRegulation`: header, structure, posts, duties and sectors put together."""

from __future__ import annotations

from .document import Doc, simplify
from .duties import Where, find_duties
from .errors import SourceError
from .header import effective_date, parse_header
from .model import ParsedArticle, ParsedChapter, ParsedItem, ParsedRegulation, ParsedSectorClaim
from .normalise import normalise
from .posts import post_of
from .sectors import is_sector_article, sector_claims
from .source import read_source
from .structure import ArticleSpan, ItemSpan, first_structural_line, parse_structure

NOTHING_FOUND = (
    "未能从文本中识别出制度的章、条、项或履职频次，"
    "请确认文件是制度全文（例如含“第一条”“1．”或“每年至少4次”等内容）。"
)


def parse_text(text: str) -> ParsedRegulation:
    """Parse a regulation text; never raises on odd text, may return an empty structure."""
    doc = Doc.build(normalise(text))
    first = first_structural_line(doc, 0, len(doc))
    head = parse_header(doc, len(doc) if first is None else first)
    lo, hi = head.body_start, max(head.body_start, head.body_end)
    structure = parse_structure(doc, lo, hi)
    chapter_titles = dict(structure.chapters)

    articles: list[ParsedArticle] = []
    posts: dict[int, str | None] = {}
    for index, span in enumerate(structure.articles):
        title = chapter_titles.get(span.chapter) if span.chapter is not None else None
        lead_in = doc.simp[span.text_start : span.lead_in_end(doc)]
        posts[index] = post_of(lead_in, simplify(title) if title else None)
        articles.append(_article(doc, span, posts[index], structure.outline))

    # Which article/item each body line belongs to, for locating duties.
    owner: dict[int, tuple[int | None, ArticleSpan, ItemSpan | None]] = {}
    spans: list[tuple[int | None, ArticleSpan]] = [(None, structure.pre)] if structure.pre else []
    spans.extend(enumerate(structure.articles))
    for at, span in spans:
        for line in range(span.first, span.last + 1):
            owner[line] = (at, span, None)
        for item in span.items:
            for line in range(item.first, item.last + 1):
                owner[line] = (at, span, item)

    def where(offset: int) -> Where:
        found = owner.get(doc.line_at(offset))
        if found is None:
            return Where(None, None, None, None)
        index, span, item = found
        article = span.number if index is not None else None
        post = posts[index] if index is not None else None
        if item is not None:
            return Where(article, item.number, post, (item.text_start, doc.ends[item.last]))
        if index is None:
            return Where(None, None, None, None)
        return Where(article, None, post, (span.text_start, span.lead_in_end(doc)))

    start = doc.starts[lo] if lo < len(doc) else len(doc.text)
    end = doc.ends[hi - 1] if hi > lo else start
    duties, duty_warnings = find_duties(doc, start, end, where)

    claims: list[ParsedSectorClaim] = []
    claim_warnings: list[str] = []
    for span in structure.articles:
        if is_sector_article(doc, span):
            found, unplaced = sector_claims(doc, span)
            claims.extend(found)
            claim_warnings.extend(unplaced)

    warnings = list(structure.warnings) + duty_warnings + claim_warnings
    if doc.converted:
        warnings.append("繁体转简体时个别词语的长度发生变化，解析结果中的文字已统一转为简体")
    return ParsedRegulation(
        title=head.title,
        issuer=head.issuer,
        issued_on=head.issued_on,
        effective_on=effective_date(doc.simp, head.issued_on) or head.effective_on,
        document_number=head.document_number,
        recipients=head.recipients,
        reason=head.reason,
        preamble=head.preamble,
        text=doc.text,
        chapters=[ParsedChapter(number, title) for number, title in structure.chapters],
        articles=articles,
        duties=duties,
        sector_claims=claims,
        warnings=warnings,
    )


def parse_source(data: bytes, filename: str) -> ParsedRegulation:
    """Read an uploaded file and parse it; SourceError when it is unreadable or holds no regulation."""
    parsed = parse_text(read_source(data, filename))
    if not (parsed.chapters or parsed.articles or parsed.duties or any(a.items for a in parsed.articles)):
        raise SourceError(NOTHING_FOUND)
    return parsed


def _article(doc: Doc, span: ArticleSpan, post: str | None, outline: bool) -> ParsedArticle:
    text = doc.text[span.text_start : doc.ends[span.last]].strip()
    if outline:
        heading = doc.text[span.text_start : doc.ends[span.first]].strip()
    else:
        heading = doc.text[span.text_start : span.lead_in_end(doc)].strip()
    items = [
        ParsedItem(item.number, doc.text[item.text_start : doc.ends[item.last]].strip())
        for item in span.items
    ]
    return ParsedArticle(
        number=span.number, chapter=span.chapter, heading=heading, text=text, post=post, items=items
    )
