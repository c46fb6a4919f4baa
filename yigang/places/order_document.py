"""A 责令限期整改通知书 as .docx in the official layout (yigang/exports/word.py): the red 版头 of the issuing body,
the 文号, the addressee, what was found, what to fix by when and on what basis, the 署名 and 成文日期, and below a
cut line the 送达回证 the place signs and returns. Everything printed is what the order kept on issue."""

from __future__ import annotations

import datetime

from yigang.exports.word import OfficialDocument, Section, render_docx

from .models import RectificationOrder


def cn_day(day: datetime.date | None) -> str:
    """成文日期 in Arabic numerals, without leading zeros (GB/T 9704-2012 §7.3.5.1): 2026年12月7日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "    年  月  日"


def _addressee(order: RectificationOrder) -> str:
    rep = f"（法定代表人（负责人）：{order.legal_representative}）" if order.legal_representative else ""
    return f"{order.addressee}{rep}："


def _body(order: RectificationOrder) -> list[str]:
    found = (
        f"{cn_day(order.found_on)}，{order.organ}在{order.found_at}对你单位进行安全生产检查时，"
        f"发现你单位存在下列事故隐患（问题）："
    )
    finding = [line.strip() for line in order.finding.splitlines() if line.strip()]
    basis = order.legal_basis.rstrip("。；;，, ")
    items = [f"{n}. {item}" for n, item in enumerate(order.items, start=1)]
    return [
        found,
        *finding,
        f"依据{basis}的规定，现责令你单位于{cn_day(order.deadline)}前完成下列整改：",
        *items,
        f"整改期间应当采取有效的安全防范措施，确保安全。整改完成后，请将整改情况书面报告{order.organ}。",
        "逾期未整改的，将依法处理。",
    ]


def _receipt(order: RectificationOrder) -> Section:
    received = order.received_by if order.received_on else "                "
    return Section(
        heading="送达回证",
        paragraphs=[
            f"文书名称：{order.organ}《责令限期整改通知书》",
            f"文    号：{order.number}",
            f"受送达单位：{order.addressee}",
            f"送达日期：{cn_day(order.issued_on)}",
            f"签收人（签字）：{received}",
            f"签收日期：{cn_day(order.received_on)}",
            "备    注：请签收后将本回证交回下达单位。",
        ],
    )


def _withdrawn(order: RectificationOrder) -> str:
    """A withdrawn order still prints (it is on record), and says so under its title."""
    if order.withdrawn_at is None:
        return ""
    from django.utils import timezone

    day = cn_day(timezone.localtime(order.withdrawn_at).date())
    return f"（本通知书已于{day}撤销：{order.withdrawn_reason}）"


def order_docx(order: RectificationOrder) -> bytes:
    return render_docx(
        OfficialDocument(
            title="责令限期整改通知书",
            subtitle=_withdrawn(order),
            organ=order.organ,
            doc_number=order.number,
            addressee=_addressee(order),
            sections=[Section(paragraphs=_body(order))],
            sign_off=[f"{order.organ}（盖章）", cn_day(order.issued_on)],
            tear_off=_receipt(order),
        )
    )


def filename(order: RectificationOrder) -> str:
    from yigang.exports import sanitise

    return sanitise.filename(f"{order.number}-{order.addressee}-责令限期整改通知书") + ".docx"
