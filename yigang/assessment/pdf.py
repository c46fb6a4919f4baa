"""The accountability file as PDF, from the same content as the .docx, with ReportLab's built-in CJK CID font
STSong-Light (Adobe-GB1-UniGB-UCS2-H: the PDF viewer supplies the glyphs; no font file is shipped)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .accountability import File

FONT = "STSong-Light"


def _styles() -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=1),
        "subtitle": ParagraphStyle("subtitle", parent=body, alignment=1),
        "heading": ParagraphStyle("heading", parent=body, fontSize=13, leading=20, spaceBefore=8),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12),
    }


def file_pdf(file: File) -> bytes:
    s = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title="安全生产责任追究履职情况材料",
    )

    def p(text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), s[style])

    story: list[object] = [
        p("安全生产责任追究履职情况材料", "title"),
        p(f"{file.subject}（{file.at[:16].replace('T', ' ')}）", "subtitle"),
        Spacer(1, 6 * mm),
        p("一、责任链", "heading"),
    ]
    rows = [[p(h, "cell") for h in ("职责", "责任", "岗位", "单位", "时任人员")]]
    rows += [
        [
            p(str(c.get(k) or ("空缺" if k == "person" else "")), "cell")
            for k in ("role_label", "level", "post", "unit", "person")
        ]
        for c in file.chain
    ]
    table = Table(rows, colWidths=[24 * mm, 28 * mm, 42 * mm, 40 * mm, 22 * mm], repeatRows=1)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story.append(table)
    for n, e in enumerate(file.entries, start=2):
        story.append(p(f"{n}. {e.person}（{e.post}）", "heading"))
        story.append(p(f"责任：{e.role_label} {e.level}"))
        story.append(p(f"此前十二个月履职：应 {e.required} 次，完成 {e.done} 次。"))
        story.append(
            p(
                "履职记录："
                + (
                    "；".join(f"{r['on']} {r['kind']} {r['title']}（记录 {r['id']}）" for r in e.records)
                    or "无"
                )
            )
        )
        story.append(
            p(
                "知悉的隐患："
                + ("；".join(f"{h['number']} 期限 {h['deadline']}，{h['fate']}" for h in e.hazards) or "无")
            )
        )
        story.append(
            p("收到的提醒与督办：" + ("；".join(f"{r['at'][:10]} {r['title']}" for r in e.reminders) or "无"))
        )
        story.append(p(f"认定：{e.finding}" + ("（履职到位，可作为尽职免责的依据）" if not e.gaps else "")))
        for gap in e.gaps:
            story.append(p(f"未尽职事项：{gap}"))
    doc.build(story)
    return out.getvalue()
