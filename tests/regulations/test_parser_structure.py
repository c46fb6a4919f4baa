"""Chapters, articles and items in the shapes other towns write them."""

from __future__ import annotations

import datetime
import random
from importlib import resources
from pathlib import Path

import pytest

from yigang.regulations.parser import ParsedItem, parse_text
from yigang.regulations.parser import document as document_module
from yigang.regulations.parser.numerals import cn_to_int
from yigang.words import chinese_number as int_to_cn

FIXTURES = Path(__file__).parent / "fixtures"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("两", 2),
        ("12", 12),
        ("二〇二二", 2022),
        ("abc", None),
        ("", None),
    ],
)
def test_numerals(written: str, value: int | None) -> None:
    assert cn_to_int(written) == value
    if value is not None and value < 1000 and written not in ("两", "12", "二〇二二"):
        assert int_to_cn(value) == written


def test_article_marks_with_colon_alone_and_spaced_headings() -> None:
    parsed = parse_text(_fixture("article_marks.txt"))
    assert [(c.number, c.title) for c in parsed.chapters] == [(1, "总则"), (2, "镇长职责")]
    assert [(a.number, a.chapter) for a in parsed.articles] == [(1, 1), (2, 1), (3, 2), (4, 2)]
    first, second, third, fourth = parsed.articles
    assert first.heading == "为落实安全生产责任，制定本制度。"  # "第一条：" mark stripped
    assert second.heading == "本制度适用于全镇各部门。"  # "第二条" alone, its text on the next line
    assert second.text == "本制度适用于全镇各部门。"
    assert [i.number for i in third.items] == [1, 2]  # （一）（二）
    assert fourth.heading == "镇分管安全生产工作的副镇长履行以下职责："
    assert fourth.items[1] == ParsedItem(2, "按月调度安全生产工作。")  # glued after a bookmark
    assert fourth.items[2].text == "年内开展隐患排查12次以上。"  # page mark removed
    assert (third.post, fourth.post) == ("mayor", "safety_deputy")
    assert parsed.title == "某镇安全生产责任制度"
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("第一条 镇长每月至少检查1次。", 1),
        ("第十一条：镇长每月至少检查1次。", 11),
        ("第二十三条　镇长每月至少检查1次。", 23),
        ("第一百零五条镇长每月至少检查1次。", 105),
        ("第12条 镇长每月至少检查1次。", 12),
        ("第 3 条 镇长每月至少检查1次。", 3),
        ("第１２条 镇长每月至少检查1次。", 12),
    ],
)
def test_article_numbers(line: str, number: int) -> None:
    parsed = parse_text(line)
    assert [a.number for a in parsed.articles] == [number]
    assert parsed.articles[0].heading == "镇长每月至少检查1次。"
    assert parsed.duties[0].article == number


def test_a_reference_at_a_line_start_is_no_article() -> None:
    parsed = parse_text("第一条 镇长职责如下：\n1．组织检查。\n第三条规定的其他职责，由镇长负责。")
    assert [a.number for a in parsed.articles] == [1]
    assert parsed.articles[0].items[0].text == "组织检查。\n第三条规定的其他职责，由镇长负责。"


@pytest.mark.parametrize(
    "marks",
    [
        ("1．", "2．", "3．"),
        ("1.", "2.", "3."),
        ("1、", "2、", "3、"),
        ("1．", "2.", "3、"),  # one kind, written carelessly (as in the seed)
        ("（一）", "（二）", "（三）"),
        ("(一)", "(二)", "(三)"),
        ("一、", "二、", "三、"),
        ("（1）", "（2）", "（3）"),
        ("①", "②", "③"),
    ],
)
def test_item_marks(marks: tuple[str, str, str]) -> None:
    lines = ["第一条 镇长履行以下职责："] + [f"{mark}第{n}项内容。" for n, mark in enumerate(marks, 1)]
    article = parse_text("\n".join(lines)).articles[0]
    assert article.items == [ParsedItem(n, f"第{n}项内容。") for n in (1, 2, 3)]


def test_deeper_marks_fold_into_their_item() -> None:
    text = "第一条 镇长履行以下职责：\n（一）组织检查：\n1．企业；\n2．学校。\n（二）召开会议。"
    article = parse_text(text).articles[0]
    assert [i.number for i in article.items] == [1, 2]
    assert article.items[0].text == "组织检查：\n1．企业；\n2．学校。"


def test_traditional_text_is_matched_simplified_and_kept_traditional() -> None:
    parsed = parse_text(_fixture("traditional.txt"))
    assert [(c.number, c.title) for c in parsed.chapters] == [(1, "總則"), (2, "鎮領導職責")]
    assert [(a.number, a.chapter, a.post, len(a.items)) for a in parsed.articles] == [
        (1, 1, None, 0),
        (2, 2, "party_secretary", 2),
        (3, 2, "mayor", 2),
    ]
    assert parsed.title == "烏審召鎮安全生產責任制度"
    assert parsed.articles[1].heading == "鎮黨委書記對本鎮安全生產工作負總責，並履行以下職責："
    assert [(d.article, d.item, d.min_count, d.period, d.kind, d.phrase) for d in parsed.duties] == [
        (2, 1, None, None, "hearing", "定期"),
        (2, 2, 4, "year", "meeting", "每年至少4次"),
        (3, 1, 1, "quarter", "inspection", "每季度至少一次"),
        (3, 2, 1, "week", "inspection", "每週至少巡查1次"),
    ]
    assert parsed.warnings == []


def test_a_length_changing_conversion_outputs_converted_text(monkeypatch: pytest.MonkeyPatch) -> None:
    real = document_module.simplify
    monkeypatch.setattr(document_module, "simplify", lambda text: real(text).replace("镇长", "镇镇长"))
    parsed = parse_text("第一條 鎮長每月至少檢查1次。")
    assert parsed.text == "第一条 镇镇长每月至少检查1次。"
    assert parsed.articles[0].heading == "镇镇长每月至少检查1次。"
    assert parsed.duties[0].phrase == "每月至少检查1次"
    assert any("繁体转简体" in w for w in parsed.warnings)


def test_outline_numbered_text_without_articles() -> None:
    parsed = parse_text(_fixture("outline.txt"))
    assert parsed.title == "乌审召镇安全生产工作职责清单"
    assert parsed.issued_on == datetime.date(2023, 3, 15)
    assert [(a.number, a.heading, a.post, len(a.items)) for a in parsed.articles] == [
        (1, "镇党委书记安全生产职责", "party_secretary", 3),
        (2, "镇长安全生产职责", "mayor", 2),
        (3, "嘎查村党支部书记安全生产职责", "village_secretary", 1),
    ]
    assert parsed.articles[0].items[1].text == (
        "每季度至少主持召开1次党委会研究安全生产工作。\n1、听取安全生产工作汇报；\n2、部署重点工作。"
    )
    assert [(d.article, d.item, d.post, d.min_count, d.period, d.kind) for d in parsed.duties] == [
        (1, 2, "party_secretary", 1, "quarter", "meeting"),
        (1, 3, "party_secretary", 1, "half_year", "research"),
        (2, 1, "mayor", 2, "month", "inspection"),
        (2, 2, "mayor", None, None, "training"),
        (3, 1, "village_secretary", 1, "week", "inspection"),
    ]
    assert parsed.warnings == []


def test_a_chapter_written_as_a_numbered_heading() -> None:
    text = "一、总则\n第一条 为加强管理，制定本制度。\n二、镇长职责\n第二条 镇长每月至少检查1次。"
    parsed = parse_text(text)
    assert [(c.number, c.title) for c in parsed.chapters] == [(1, "总则"), (2, "镇长职责")]
    assert [(a.number, a.chapter, a.post) for a in parsed.articles] == [(1, 1, None), (2, 2, "mayor")]


def test_a_short_numbered_item_before_an_article_stays_an_item() -> None:
    text = "第一条 镇长履行以下职责：\n一、组织检查。\n二、其他\n第二条 镇党委书记负总责。"
    parsed = parse_text(text)
    assert parsed.chapters == []
    assert [(a.number, len(a.items)) for a in parsed.articles] == [(1, 2), (2, 0)]


def test_a_fragment_cut_mid_article_parses_as_far_as_it_goes() -> None:
    parsed = parse_text(_fixture("fragment.txt"))
    assert [(a.number, len(a.items)) for a in parsed.articles] == [(5, 1)]
    assert parsed.articles[0].items[0].text.endswith("通报")
    assert [(d.article, d.item, d.min_count, d.period) for d in parsed.duties] == [
        (None, 2, 4, "year"),  # before the first article: its item number is still known
        (5, 1, 4, "year"),
    ]
    assert parsed.warnings == [
        "第五条之前有不属于任何一条的编号内容（文本可能不是从头开始）",
        "文本从第五条开始，之前的条文缺失（文本可能不完整）",
        "第五条第1项在文本末尾中断（文本可能被截断）",
    ]


def test_warnings_for_gaps_repeats_and_empty_articles() -> None:
    lines = ["第一条 总体要求。", "第二条 镇长职责：", "1．检查。", "3．会议。"]
    lines += ["第二条 重复。", "第十三条 其他。", "第十四条"]
    text = "\n".join(lines)
    assert parse_text(text).warnings == [
        "条文编号重复：第二条出现了两次",
        "条文编号不连续：第二条之后是第十三条",
        "第二条的项编号不连续：第1项之后是第3项",
        "第十四条缺少内容（文本可能被截断）",
    ]


def test_a_last_article_ending_before_its_items() -> None:
    parsed = parse_text("第一条 总体要求。\n第二条 镇长履行以下职责：")
    assert parsed.warnings == ["第二条列出各项之前文本就结束了（文本可能被截断）"]


@pytest.mark.parametrize("text", ["", "\n\n", "   ", "。", "第", "第一条", "（一）", "1．", "每年", "-2-"])
def test_odd_text_never_raises(text: str) -> None:
    parsed = parse_text(text)
    assert parsed.text == text.strip() if text.strip() != "-2-" else parsed.text == ""


def test_random_text_never_raises() -> None:
    seed_file = resources.files("yigang.regulations").joinpath("data/wushenzhao-2022.txt")
    seed = seed_file.read_text(encoding="utf-8")
    pieces = [*"第一二三十百零〇章条（）()、．.：；，。\n 12", *"每年月周季度半至少不少于次"]
    pieces += [*"按定期负责等和及《》“”-", "\x00", "\u3000"]
    rng = random.Random(20220804)  # noqa: S311 - a fixed, reproducible sample, not a secret
    for _ in range(200):
        parse_text("".join(rng.choice(pieces) for _ in range(rng.randint(0, 200))))
        start = rng.randint(0, len(seed))
        parse_text(seed[start : start + rng.randint(0, 3000)])
