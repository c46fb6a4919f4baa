"""The 责令限期整改通知书 as Word: the red 版头 and its line, the 文号, the title, the addressee, the body with the
finding, the items, the deadline and the basis, the 署名 and 成文日期 at the right, and the 送达回证 below a cut line,
each in the font GB/T 9704 gives it."""

from __future__ import annotations

import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from yigang.exports.word import BODY_FONT, CUT_LINE, TITLE_FONT
from yigang.places import actions
from yigang.places.order_document import order_docx

from .conftest import D

pytestmark = pytest.mark.django_db


def _font(paragraph: Any) -> tuple[str, float]:
    run = paragraph.runs[0]
    return run._element.rPr.rFonts.get(qn("w:eastAsia")), run.font.size.pt


def _order(world: SimpleNamespace, place: Any, order_data: Callable[..., Any]) -> Any:
    return actions.issue_order(
        place=place,
        data=order_data(
            issued_on=D(2026, 3, 5),
            found_on=D(2026, 3, 4),
            deadline=D(2026, 3, 20),
            finding="采场边坡未按设计分台阶开采。\n爆破器材库未设置防雷设施。",
        ),
        actor=world.users["officer"],
    )


def test_the_notice_has_every_part_in_its_font(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any]
) -> None:
    order = _order(world, enterprise_place, order_data)
    doc = Document(io.BytesIO(order_docx(order)))
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    texts = [p.text for p in paragraphs]
    organ, number, title, addressee = paragraphs[:4]
    assert organ.text == "乌审召镇应急管理办公室"
    assert _font(organ) == (TITLE_FONT, 22) and str(organ.runs[0].font.color.rgb) == "FF0000"
    assert organ.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert number.text == "乌审召镇〔2026〕应急责改1号" and _font(number) == (BODY_FONT, 16)
    line = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == "FF0000"  # the 版头's red line under the 文号
    assert title.text == "责令限期整改通知书" and _font(title) == (TITLE_FONT, 22)
    assert addressee.text == "查干淖尔砂石料场（法定代表人（负责人）：王建国）："
    assert addressee.paragraph_format.first_line_indent is None  # 主送机关: flush left
    body = "\n".join(texts)
    assert "2026年3月4日，乌审召镇应急管理办公室在乌审召嘎查查干淖尔对你单位进行安全生产检查时" in body
    assert "采场边坡未按设计分台阶开采。\n爆破器材库未设置防雷设施。" in body
    assert "依据《中华人民共和国安全生产法》第四十一条第二款" in body
    assert "现责令你单位于2026年3月20日前完成下列整改：\n1. 按设计削坡分台阶\n2. 设置安全警示标志" in body
    assert "逾期未整改的，将依法处理。" in texts
    signed = texts.index("乌审召镇应急管理办公室（盖章）")
    assert texts[signed + 1] == "2026年3月5日"  # 成文日期 in Arabic numerals, no leading zero
    for p in paragraphs[signed : signed + 2]:
        assert p.alignment == WD_ALIGN_PARAGRAPH.RIGHT and _font(p) == (BODY_FONT, 16)
    cut = texts.index(CUT_LINE)
    assert cut > signed and texts[cut + 1] == "送达回证"
    receipt = texts[cut + 2 :]
    assert "文    号：乌审召镇〔2026〕应急责改1号" in receipt and "受送达单位：查干淖尔砂石料场" in receipt
    assert any(t.startswith("签收人（签字）：") for t in receipt) and "签收日期：    年  月  日" in receipt
    assert all(_font(p)[0] == BODY_FONT for p in paragraphs[4:signed])


def test_the_receipt_and_a_withdrawal_show_on_the_document(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any]
) -> None:
    order = _order(world, enterprise_place, order_data)
    actions.record_receipt(order=order, received_by="王建国", received_on=D(2026, 3, 6), actor=None)
    actions.withdraw_order(order=order, reason="整改期限有误", actor=None)
    texts = [p.text for p in Document(io.BytesIO(order_docx(order))).paragraphs]
    assert "签收人（签字）：王建国" in texts and "签收日期：2026年3月6日" in texts
    assert any(t.startswith("（本通知书已于") and t.endswith("撤销：整改期限有误）") for t in texts)


def test_stored_text_with_control_characters_still_prints(
    world: SimpleNamespace, enterprise_place: Any, order_data: Callable[..., Any]
) -> None:
    order = _order(world, enterprise_place, order_data)
    order.finding = "灭火器\x01过期"  # stored before the edge refused such characters
    texts = [p.text for p in Document(io.BytesIO(order_docx(order))).paragraphs]
    assert "灭火器过期" in texts
