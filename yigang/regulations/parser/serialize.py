"""The parse as plain JSON-ready data (the shape documented for users and the API)::

{"title", "issuer", "issued_on": "YYYY-MM-DD" | null, "effective_on": "YYYY-MM-DD" | null, "document_number", "recipients", "reason",
 "chapters": [{"number": int, "title"}],
 "articles": [{"number": int, "chapter": int | null, "heading", "post": str | null,
               "items": [{"number": int, "text"}]}],
 "duties": [{"article": int | null, "item": int | null, "post": str | null, "kind",
             "min_count": int | null, "period": "week" | "month" | "quarter" | "half_year" | "year" | null,
             "text", "phrase"}],
 "sectors": [{"item", "unit", "note", "sectors": [{"name", "scope"}], "tasks": [str]}],
 "warnings": [str]}
"""

from __future__ import annotations

from typing import Any

from .model import ParsedRegulation


def to_json_dict(parsed: ParsedRegulation) -> dict[str, Any]:
    """``parsed`` as a dict of str/int/None/lists, ready for ``json.dumps``."""
    return {
        "title": parsed.title,
        "issuer": parsed.issuer,
        "issued_on": parsed.issued_on.isoformat() if parsed.issued_on else None,
        "effective_on": parsed.effective_on.isoformat() if parsed.effective_on else None,
        "document_number": parsed.document_number,
        "recipients": parsed.recipients,
        "reason": parsed.reason,
        "chapters": [{"number": c.number, "title": c.title} for c in parsed.chapters],
        "articles": [
            {
                "number": a.number,
                "chapter": a.chapter,
                "heading": a.heading,
                "post": a.post,
                "items": [{"number": i.number, "text": i.text} for i in a.items],
            }
            for a in parsed.articles
        ],
        "duties": [
            {
                "article": d.article,
                "item": d.item,
                "post": d.post,
                "kind": d.kind,
                "min_count": d.min_count,
                "period": d.period,
                "text": d.text,
                "phrase": d.phrase,
            }
            for d in parsed.duties
        ],
        "sectors": [
            {
                "item": c.item,
                "unit": c.unit,
                "note": c.note,
                "sectors": [{"name": s.name, "scope": s.scope} for s in c.sectors],
                "tasks": list(c.tasks),
            }
            for c in parsed.sector_claims
        ],
        "warnings": list(parsed.warnings),
    }
