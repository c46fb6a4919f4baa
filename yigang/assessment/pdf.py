"""The accountability file as PDF, from the same sections as the page and the .docx (file_paper.py).

The Chinese text is set in a real TrueType font embedded in the file (a subset, as FontFile2), so every viewer
— a phone's included — shows the glyphs: WenQuanYi Zen Hei from Debian's `fonts-wqy-zenhei` (installed by
`make install`, see docs/dependencies.md), or the TrueType font named by the `YIGANG_PDF_FONT` environment
variable (`path` or `path#index` for a collection). ReportLab's built-in STSong-Light is not used: it is never
embedded, and viewers without Adobe's Asian font pack draw nothing.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.core.exceptions import ImproperlyConfigured
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import file_paper

FONT = "YigangCJK"
# Debian's fonts-wqy-zenhei (TrueType outlines: ReportLab embeds TrueType, not the CFF outlines of Noto CJK).
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0",
    "/usr/share/fonts/truetype/arphic/uming.ttc#0",
)
MISSING = (
    "PDF 所需的中文字体未安装：请运行 make install（安装 Debian 软件包 fonts-wqy-zenhei），"
    "或用环境变量 YIGANG_PDF_FONT 指定一个 TrueType 中文字体文件。"
)


def font_file() -> tuple[str, int]:
    """The TrueType file (and index in a collection) the PDF embeds; ImproperlyConfigured if there is none."""
    configured = os.environ.get("YIGANG_PDF_FONT", "").strip()
    for candidate in ([configured] if configured else []) + list(CANDIDATES):
        path, _sep, index = candidate.partition("#")
        if Path(path).is_file():
            return path, int(index or 0)
        if configured:
            break
    raise ImproperlyConfigured(MISSING)


def _register() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        path, index = font_file()
        pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=index))


def _styles() -> dict[str, ParagraphStyle]:
    _register()
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=1),
        "subtitle": ParagraphStyle("subtitle", parent=body, alignment=1),
        "heading": ParagraphStyle("heading", parent=body, fontSize=13, leading=20, spaceBefore=8),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12),
    }


def file_pdf(data: dict[str, Any], issued: dict[str, Any] | None = None) -> bytes:
    s = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=file_paper.TITLE,
    )

    def p(text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), s[style])

    story: list[object] = [
        p(file_paper.TITLE, "title"),
        p(file_paper.subtitle(data), "subtitle"),
        Spacer(1, 6 * mm),
    ]
    for section in file_paper.sections(data, issued):
        if section.heading:
            story.append(p(section.heading, "heading"))
        story.extend(p(text) for text in section.paragraphs)
        if section.table is not None:
            widths = list(section.table.widths_mm)
            scale = (160 / sum(widths)) if widths else 1
            rows = [[p(str(c), "cell") for c in section.table.columns]]
            rows += [[p(str(c), "cell") for c in row] for row in section.table.rows]
            table = Table(rows, colWidths=[w * scale * mm for w in widths] or None, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
                )
            )
            story.append(table)
    doc.build(story)
    return out.getvalue()
