"""Regulation texts as they are copied from government sites (issue 22, point 6).

The fixtures are short excerpts shaped on real pages: the 国办发〔2016〕64号 notice that opens with
"《…》已经国务院同意，现印发给你们", town notices that open with "各…：现将《…》印发给你们", the metadata rows of
county sites ("发布日期 … 生效日期 …", "索 引 号 : … | 发布机构: … | 成文日期: … |"), and a page of a longer
document with "（二）" headings and "1、" items.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from yigang.regulations.parser import parse_source, parse_text

FIXTURES = Path(__file__).parent / "fixtures"
D = datetime.date


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_a_notice_without_its_heading_gives_title_issuers_and_date() -> None:
    parsed = parse_text(_fixture("notice_without_heading.txt"))
    assert parsed.title == "查干镇安全生产“党政同责、一岗双责”制度"
    assert parsed.issuer == "查干镇党委、查干镇人民政府"  # two signing lines above the date
    assert parsed.issued_on == D(2021, 3, 15)
    assert parsed.effective_on == D(2021, 3, 15)  # 自印发之日起施行
    assert parsed.recipients == "各嘎查村（社区）、镇直各部门、驻镇各单位"
    assert parsed.reason == "为进一步压实安全生产责任，经镇党委、政府研究"
    assert parsed.preamble.startswith("各嘎查村（社区）")
    assert [a.number for a in parsed.articles] == [1, 2, 3]
    assert [(d.article, d.item, d.period) for d in parsed.duties] == [(2, 1, "quarter"), (2, 2, "two_months")]
    assert parsed.warnings == []


def test_a_notice_that_says_it_was_approved_and_is_issued() -> None:
    parsed = parse_text(_fixture("approved_notice.txt"))
    assert (parsed.title, parsed.issuer, parsed.issued_on, parsed.document_number) == (
        "省级政府安全生产工作考核办法",
        "国务院办公厅",
        D(2016, 8, 12),
        "国办发〔2016〕64号",
    )
    assert parsed.recipients == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
    assert [a.number for a in parsed.articles] == [1, 2]


def test_a_town_notice_issued_on_approval_without_recipients() -> None:
    parsed = parse_text(_fixture("approved_town_notice.txt"))
    assert (parsed.title, parsed.issuer, parsed.issued_on) == (
        "巴音镇安全生产工作责任制",
        "中共巴音镇委员会、巴音镇人民政府",
        D(2019, 5, 8),
    )
    assert parsed.recipients == ""
    assert [(d.article, d.post, d.period) for d in parsed.duties] == [
        (1, "party_secretary", "half_year"),
        (2, "mayor", "month"),
    ]


def test_metadata_lines_give_dates_number_and_issuer() -> None:
    parsed = parse_text(_fixture("metadata_lines.txt"))
    assert parsed.title == "某县乡镇安全生产责任制规定"
    assert parsed.issued_on == D(2010, 6, 21)
    assert parsed.effective_on == D(2010, 7, 1)  # the text names no day: the metadata's 生效日期
    assert parsed.document_number == "某政发〔2010〕12号"
    assert parsed.issuer == "某县人民政府"
    assert [a.number for a in parsed.articles] == [1, 2]


def test_piped_metadata_fields_of_a_county_site() -> None:
    parsed = parse_text(_fixture("metadata_piped.txt"))
    assert parsed.title == "中子镇安全生产“一岗双责”制度"
    assert (parsed.issued_on, parsed.document_number, parsed.issuer) == (
        D(2021, 9, 15),
        "中子府发〔2021〕18号",
        "中子镇",
    )
    assert parsed.effective_on == D(2021, 9, 15)  # 自发布之日起施行 → the issue date


def test_metadata_after_the_title_and_the_text_s_own_day_stands() -> None:
    parsed = parse_text(
        "某镇安全生产责任制度\n发布日期：2018-03-02 | 生效日期：2018-03-02\n"
        "第一条 本制度自2018年4月1日起施行。\n第二条 镇长每月至少组织一次检查。"
    )
    assert (parsed.title, parsed.issued_on, parsed.effective_on) == (
        "某镇安全生产责任制度",
        D(2018, 3, 2),
        D(2018, 4, 1),
    )


def test_a_title_that_begins_like_a_label_is_still_a_title() -> None:
    parsed = parse_text("分类分级监管安全生产责任制度\n第一条 镇长每月至少组织一次检查。")
    assert parsed.title == "分类分级监管安全生产责任制度"


def test_traditional_metadata_labels_with_spaces() -> None:
    parsed = parse_text(
        "發 文 號:安委辦函〔2015〕2號\n發布單位:國務院安委會辦公室\n發布日期:2015-01-06\n"
        "某鎮安全生產責任制度\n第一條 鎮長每月至少組織一次檢查。"
    )
    assert (parsed.document_number, parsed.issuer, parsed.issued_on) == (
        "安委辦函〔2015〕2號",
        "國務院安委會辦公室",
        D(2015, 1, 6),
    )
    assert parsed.title == "某鎮安全生產責任制度"


def test_a_page_of_a_longer_document_is_parsed_as_far_as_it_goes() -> None:
    parsed = parse_text(_fixture("page_of_longer.txt"))
    assert parsed.title == ""
    # The parts keep the page's own numbers: （二） is part 2, （三） part 3.
    assert [(a.number, a.heading, len(a.items)) for a in parsed.articles] == [
        (2, "加强隐患排查治理", 3),
        (3, "强化宣传教育培训", 2),
    ]
    assert [(d.article, d.item, d.min_count, d.period) for d in parsed.duties] == [
        (2, 1, 1, "month"),
        (2, 2, 1, "ten_days"),
        (2, 3, 1, "half_month"),
        (3, 1, 1, "quarter"),
        (3, 2, None, None),
    ]
    [warning] = parsed.warnings
    assert "较长文件中的一页" in warning and "从“（二）”开始" in warning


def test_a_page_without_frequencies_is_not_refused() -> None:
    text = "（三）强化宣传教育\n1、组织开展安全生产月活动。\n2、开展安全知识进村入户。\n"
    parsed = parse_source(text.encode(), "page.txt")
    assert [(a.number, len(a.items)) for a in parsed.articles] == [(3, 2)]
    assert len(parsed.warnings) == 1


@pytest.mark.parametrize("text", ["（一）检查。\n（二）会议。", "1、检查\n2、会议"])
def test_plain_lists_stay_as_they_were(text: str) -> None:
    # A list of （一）（二） with nothing under them is no page of parts.
    assert parse_text(text).articles == []
