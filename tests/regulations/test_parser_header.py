"""Title, document number, recipients, reason, issuer and date around the body."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from yigang.regulations.parser import parse_text
from yigang.regulations.parser.numerals import parse_date

FIXTURES = Path(__file__).parent / "fixtures"
BODY = "第一条 镇长每月至少组织检查1次。"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2022年8月4日", datetime.date(2022, 8, 4)),
        ("2022 年 08 月 04 日", datetime.date(2022, 8, 4)),
        ("２０２２年８月４日", datetime.date(2022, 8, 4)),
        ("二〇〇九年七月十四日", datetime.date(2009, 7, 14)),  # 〇 U+3007
        ("二○○九年七月十四日", datetime.date(2009, 7, 14)),  # ○ U+25CB
        ("二OO九年七月十四日", datetime.date(2009, 7, 14)),  # Latin O
        ("二零零九年七月十四日", datetime.date(2009, 7, 14)),
        ("二ＯＯ九年七月十四日", datetime.date(2009, 7, 14)),  # full-width Ｏ
        ("二〇二二年十二月三十一日", datetime.date(2022, 12, 31)),
        ("二〇二二年二月三十日", None),
        ("今年八月", None),
    ],
)
def test_dates(written: str, expected: datetime.date | None) -> None:
    assert parse_date(written) == expected


@pytest.mark.parametrize("zero", ["〇", "○", "O", "零", "Ｏ"])
def test_a_chinese_date_signing_the_text(zero: str) -> None:
    text = f"某镇安全生产责任制度\n{BODY}\n某镇人民政府\n二{zero}{zero}九年七月十四日"
    parsed = parse_text(text)
    assert parsed.issued_on == datetime.date(2009, 7, 14)
    assert parsed.issuer == "某镇人民政府"
    assert parsed.articles[0].text == "镇长每月至少组织检查1次。"  # the signature is not part of it


def test_a_text_signed_at_its_end() -> None:
    parsed = parse_text((FIXTURES / "signed_at_end.txt").read_text(encoding="utf-8"))
    assert parsed.title == "某镇安全生产责任制度（试行）"
    assert (parsed.issuer, parsed.issued_on) == ("某镇人民政府", datetime.date(2009, 7, 14))
    assert (parsed.recipients, parsed.preamble, parsed.reason) == ("", "", "")
    assert [a.text for a in parsed.articles][-1] == "镇长每月至少组织检查1次。"


def test_a_notice_with_a_document_number() -> None:
    parsed = parse_text((FIXTURES / "notice_docno.txt").read_text(encoding="utf-8"))
    assert parsed.title == "乌审召镇安全生产责任制度"
    assert parsed.document_number == "乌召政发〔2022〕45号"
    assert parsed.recipients == "各嘎查村（社区）、镇直各部门"
    assert parsed.reason == "根据《中华人民共和国安全生产法》，结合我镇实际"
    assert parsed.issuer == "乌审召镇人民政府"
    assert parsed.issued_on == datetime.date(2022, 12, 31)
    assert parsed.preamble.split("\n")[0] == "乌审召镇人民政府关于印发《乌审召镇安全生产责任制度》的通知"
    assert [a.number for a in parsed.articles] == [1, 2]


@pytest.mark.parametrize("number", ["乌召政发〔2022〕45号", "乌召政发[2022]45号", "乌召政发（2022）45号"])
def test_document_number_brackets(number: str) -> None:
    parsed = parse_text(f"{number}\n某镇安全生产责任制度\n{BODY}")
    assert parsed.document_number == number
    assert parsed.title == "某镇安全生产责任制度"


def test_a_notice_without_brackets_names_the_regulation_after_yinfa() -> None:
    text = (
        "某镇人民政府关于印发某镇安全生产责任制度的通知\n各村：\n"
        "因工作需要，现将某镇安全生产责任制度印发给你们。\n某镇人民政府\n2023年1月2日\n" + BODY
    )
    parsed = parse_text(text)
    assert parsed.title == "某镇安全生产责任制度"
    assert parsed.reason == "因工作需要"
    assert parsed.recipients == "各村"
    assert parsed.issued_on == datetime.date(2023, 1, 2)


def test_a_title_over_several_lines_is_joined() -> None:
    text = "乌审召镇安全生产“党政同责\n一岗双责”制度\n第一章 总则\n" + BODY
    assert parse_text(text).title == "乌审召镇安全生产“党政同责一岗双责”制度"


def test_a_fragment_has_no_title() -> None:
    parsed = parse_text("镇长为本镇安全生产工作第一责任人，并履行以下职责：\n1．每月至少组织检查1次。")
    assert (parsed.title, parsed.recipients, parsed.preamble) == ("", "", "")
    assert [(d.item, d.min_count) for d in parsed.duties] == [(1, 1)]
