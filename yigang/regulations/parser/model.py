"""What the parser returns: plain frozen dataclasses, no Django.

Text fields keep the characters of the source (Traditional stays Traditional) unless the
Traditional→Simplified conversion changed the text's length, in which case the converted text is used
throughout (``ParsedRegulation.text`` then holds the converted text too, so offsets agree).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParsedChapter:
    """A ``第X章`` heading; ``title`` has the spaces inside the heading removed ("总 则" → "总则")."""

    number: int
    title: str


@dataclass(frozen=True)
class ParsedItem:
    """A numbered paragraph of an article; ``text`` is without its number mark.

    Deeper numbered lines (``1、`` under ``（一）``) are folded into the item's text verbatim.
    """

    number: int
    text: str


@dataclass(frozen=True)
class ParsedArticle:
    """A ``第X条`` (or, in outline-numbered texts, a top-level ``一、`` part).

    ``heading`` is the lead-in before the first item (the whole text when there are no items);
    ``text`` is the article as written without its ``第X条`` mark, items and their marks included.
    ``post`` is a :class:`~yigang.regulations.choices.PostKind` value or ``None``.
    """

    number: int
    chapter: int | None
    heading: str
    text: str
    post: str | None
    items: list[ParsedItem] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedDuty:
    """One frequency phrase ("每年至少4次", "按月", "定期") and where it stands.

    ``kind`` is a DutyKind value, ``period`` a Period value (``None`` for 定期), ``min_count`` the
    minimum number of acts per period (``None`` for 定期). ``text`` is the item's text, or the sentence
    holding the phrase when it stands outside any item; ``phrase`` is the matched words verbatim.
    """

    article: int | None
    item: int | None
    post: str | None
    kind: str
    min_count: int | None
    period: str | None
    text: str
    phrase: str


@dataclass(frozen=True)
class ParsedSector:
    """A 行业领域 under a canonical name; ``scope`` narrows it ("运输", "九小场所"), "" when none."""

    name: str
    scope: str = ""


@dataclass(frozen=True)
class ParsedSectorClaim:
    """One item of a "BODY：负责X、Y等方面的安全监管" list: the body and the sectors it supervises.

    ``tasks`` are the item's clauses that name work rather than sectors ("配合镇安委会办公室，加强…"), as written.
    """

    item: int
    unit: str
    note: str
    sectors: list[ParsedSector]
    text: str
    tasks: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedRegulation:
    """Everything read from one regulation text; ``warnings`` are Chinese notes for the reviewer.

    ``effective_on`` is the day the text says it takes effect (自…起施行; 自印发之日起 → ``issued_on``).
    """

    title: str = ""
    issuer: str = ""
    issued_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    document_number: str = ""
    recipients: str = ""
    reason: str = ""
    preamble: str = ""
    text: str = ""
    chapters: list[ParsedChapter] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    duties: list[ParsedDuty] = field(default_factory=list)
    sector_claims: list[ParsedSectorClaim] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
