"""Dates a regulation states (issue 8, point 8): the effective date, every zero, a date above the title."""

from __future__ import annotations

import datetime

import pytest

from yigang.regulations.parser import parse_text, to_json_dict

D = datetime.date


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("二〇二二年八月四日", D(2022, 8, 4)),  # 〇 U+3007
        ("二○二二年八月四日", D(2022, 8, 4)),  # ○ U+25CB
        ("二O二二年八月四日", D(2022, 8, 4)),  # Latin capital O
        ("二Ｏ二二年八月四日", D(2022, 8, 4)),  # full-width O
        ("二0二二年八月四日", D(2022, 8, 4)),  # the digit 0
        ("二零二二年十月十日", D(2022, 10, 10)),
        ("2022年8月4日", D(2022, 8, 4)),
    ],
)
def test_a_date_with_any_zero(written: str, day: datetime.date) -> None:
    parsed = parse_text(f"某镇安全生产责任制度\n{written}\n第一条 总则。")
    assert (parsed.title, parsed.issued_on) == ("某镇安全生产责任制度", day)


def test_a_date_above_the_title() -> None:
    parsed = parse_text("二〇二二年八月四日\n某镇安全生产责任制度\n第一条 总则。")
    assert (parsed.title, parsed.issued_on) == ("某镇安全生产责任制度", D(2022, 8, 4))
    assert [a.number for a in parsed.articles] == [1]


@pytest.mark.parametrize(
    ("closing", "day"),
    [
        ("本制度自2022年9月1日起施行。", D(2022, 9, 1)),
        ("本制度自二O二二年九月一日起执行。", D(2022, 9, 1)),
        ("本办法自 2023 年 1 月 1 日起实施，原制度同时废止。", D(2023, 1, 1)),
        ("本制度自印发之日起施行。", D(2022, 8, 4)),  # the issue date
        ("本制度自发布之日起执行。", D(2022, 8, 4)),
        ("本制度由镇应急管理办负责解释。", None),
    ],
)
def test_the_effective_date(closing: str, day: datetime.date | None) -> None:
    parsed = parse_text(f"某镇安全生产责任制度\n2022年8月4日\n第一条 总则。\n第二条 {closing}")
    assert parsed.effective_on == day
    assert to_json_dict(parsed)["effective_on"] == (day.isoformat() if day else None)


def test_from_the_day_of_issue_without_an_issue_date_is_unknown() -> None:
    assert parse_text("第一条 总则。\n第二条 本制度自印发之日起施行。").effective_on is None


def test_a_fragment_without_articles_is_parsed_as_far_as_it_goes_with_a_warning() -> None:
    parsed = parse_text("镇长每月至少组织检查1次。\n分管领导每季度召开会议一次。")
    assert [(d.article, d.min_count, d.period) for d in parsed.duties] == [
        (None, 1, "month"),
        (None, 1, "quarter"),
    ]
    assert parsed.warnings == [
        "文本中没有“第X条”这样的条文编号，可能是较长文件的片段；已按现有内容解析，请核对"
    ]


def test_a_fragment_of_items_without_articles_keeps_its_warning() -> None:
    parsed = parse_text("1．经常开展检查（每年至少4次）。\n2．研究解决重大问题。")
    assert [(d.item, d.min_count) for d in parsed.duties] == [(1, 4)]
    assert parsed.warnings == ["文本中有编号的项，但没有识别出条（文本可能不完整）"]
