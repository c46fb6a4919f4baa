"""Regulation text → structure: chapters, articles, items, posts, frequency duties and sector claims.

Plain Python (no database, no settings), deterministic, no network::

    from yigang.regulations.parser import parse_source, to_json_dict

    parsed = parse_source(upload.read(), upload.name)   # SourceError(.message) for the user
    data = to_json_dict(parsed)

Modules: ``source`` (bytes → text), ``docx_text``, ``normalise``, ``document`` (Simplified matching copy),
``numerals``, ``header``, ``structure``, ``posts``, ``duties``, ``sectors``, ``serialize``, ``parse``.
"""

from .errors import SourceError
from .model import (
    ParsedArticle,
    ParsedChapter,
    ParsedDuty,
    ParsedItem,
    ParsedRegulation,
    ParsedSector,
    ParsedSectorClaim,
)
from .parse import parse_source, parse_text
from .serialize import to_json_dict
from .source import MAX_SOURCE_BYTES, read_source

__all__ = [
    "MAX_SOURCE_BYTES",
    "ParsedArticle",
    "ParsedChapter",
    "ParsedDuty",
    "ParsedItem",
    "ParsedRegulation",
    "ParsedSector",
    "ParsedSectorClaim",
    "SourceError",
    "parse_source",
    "parse_text",
    "read_source",
    "to_json_dict",
]
