"""Handing a written file to the browser: the content types of the exports and one Content-Disposition rule.

The name a person sees (Chinese, e.g. 乌审召镇2026年隐患统计.xlsx) goes in `filename*` (RFC 6266/5987); `fallback`
is the plain ASCII name for old clients. Evidence files have their own verified download (evidence/download.py).
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def disposition(filename: str, fallback: str, kind: str = "attachment") -> str:
    """`attachment; filename="fallback"; filename*=UTF-8''<the real name>`."""
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def export_file(body: bytes, mime: str, filename: str, fallback: str) -> HttpResponse:
    """A finished export as a download: `filename` shown, `fallback` for clients that cannot read it."""
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = disposition(filename, fallback)
    return response
