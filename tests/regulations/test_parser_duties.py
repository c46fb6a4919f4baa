"""Frequency duties in every wording, and the kind of act each asks for."""

from __future__ import annotations

from pathlib import Path

import pytest

from yigang.regulations.parser import parse_text
from yigang.regulations.parser.duties import kind_of

FIXTURES = Path(__file__).parent / "fixtures"


def _duties(sentence: str) -> list[tuple[int | None, str | None, str]]:
    parsed = parse_text(f"第一条 镇长履行以下职责：\n1．{sentence}")
    return [(d.min_count, d.period, d.phrase) for d in parsed.duties]


def test_every_phrasing_in_the_fixture() -> None:
    parsed = parse_text((FIXTURES / "frequencies.txt").read_text(encoding="utf-8"))
    got = [(d.item, d.min_count, d.period, d.kind, d.phrase) for d in parsed.duties]
    assert got == [
        (1, 4, "year", "inspection", "每年至少4次"),
        (2, 1, "quarter", "meeting", "每季度至少召开一次"),
        (3, 1, "quarter", "inspection", "每季度组织开展重点行业领域安全检查不少于1次"),
        (4, 2, "year", "training", "每年组织开展安全生产培训不少于 2 次"),
        (5, 2, "year", "hearing", "一年不少于2次"),
        (6, 1, "half_year", "research", "每半年至少开展1次"),
        (7, 12, "year", "inspection", "年内开展隐患排查整治12次以上"),
        (8, 1, "month", "other", "按月"),
        (9, 1, "quarter", "other", "按季度"),
        (10, 1, "week", "inspection", "按周"),
        (11, None, None, "training", "定期"),
        (12, 2, "week", "inspection", "每周至少两次"),
        (13, 1, "month", "campaign", "每月开展专项整治行动不少于1次"),
        (14, 1, "year", "supervision", "每年组织开展监督检查一次"),
    ]
    assert all(d.article == 1 and d.post is None for d in parsed.duties)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("开展检查（每年至少4次）。", [(4, "year", "每年至少4次")]),
        ("开展检查(每月至少一次)。", [(1, "month", "每月至少一次")]),
        ("每季度至少召开一次会议。", [(1, "quarter", "每季度至少召开一次")]),
        ("每月检查不少于 2 次。", [(2, "month", "每月检查不少于 2 次")]),
        ("一年不少于2次。", [(2, "year", "一年不少于2次")]),
        ("每半年至少1次。", [(1, "half_year", "每半年至少1次")]),
        ("半年内至少开展两次。", [(2, "half_year", "半年内至少开展两次")]),
        ("年内开展检查12次以上。", [(12, "year", "年内开展检查12次以上")]),
        ("每周至少1次。", [(1, "week", "每周至少1次")]),
        ("每星期巡查一次。", [(1, "week", "每星期巡查一次")]),
        ("每个月检查十次。", [(10, "month", "每个月检查十次")]),
        ("每年度至少二十次。", [(20, "year", "每年度至少二十次")]),
        ("检查2次/月。", [(2, "month", "2次/月")]),
        ("按月报送。", [(1, "month", "按月")]),
        ("按季度报送。", [(1, "quarter", "按季度")]),
        ("按周报送。", [(1, "week", "按周")]),
        ("定期开展检查。", [(None, None, "定期")]),
        ("不定期开展检查。", []),
        ("一次性告知。", []),
        ("每年第2次会议。", []),
        ("按月份统计。", []),
        # the count must stand in the same sentence, within 30 characters
        ("每年开展。检查4次。", []),
        ("每年" + "安全" * 16 + "检查4次。", []),
        # no double counting; each phrase once, with its own period
        ("定期检查，每月至少1次。", [(1, "month", "每月至少1次")]),
        ("按月调度（每月至少1次）。", [(1, "month", "每月至少1次")]),
        ("每月检查1次，每年考核2次。", [(1, "month", "每月检查1次"), (2, "year", "每年考核2次")]),
        ("每月对每个企业检查1次。", [(1, "month", "每月对每个企业检查1次")]),
    ],
)
def test_phrasings(sentence: str, expected: list[tuple[int | None, str | None, str]]) -> None:
    assert _duties(sentence) == expected


def test_a_duty_outside_any_item_quotes_its_sentence() -> None:
    parsed = parse_text("第一条 镇长对安全生产负责。每季度至少召开一次专题会议，研究部署工作。其他。")
    [duty] = parsed.duties
    assert (duty.article, duty.item, duty.post, duty.kind) == (1, None, "mayor", "meeting")
    assert duty.text == "每季度至少召开一次专题会议，研究部署工作。"


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (("召开专项整治推进会",), "meeting"),  # meeting before campaign
        (("开展专项整治行动",), "campaign"),  # campaign before inspection
        (("听取检查情况汇报",), "hearing"),  # hearing before inspection
        (("监督和检查各部门",), "supervision"),  # supervision before inspection
        (("重点检查监督工作",), "supervision"),
        (("开展隐患排查",), "inspection"),
        (("深入企业调研走访",), "research"),
        (("组织应急演练",), "training"),
        (("报送材料",), "other"),
        (("作好应急工作", "适时听取安全工作情况汇报，作好应急工作"), "hearing"),  # clause first, then item
        (("召开会议", "开展检查"), "meeting"),
        # a body studies its work in a meeting: the record kinds file 研究/部署 as 会议
        (("研究安全生产工作",), "meeting"),
        (("专题研究部署安全生产工作",), "meeting"),
        (("研究解决安全生产中的突出问题",), "meeting"),
        (("听取汇报，研究解决问题",), "hearing"),  # hearing before 研究
        (("深入企业调研检查",), "inspection"),  # 调研检查 is an inspection, as the record kinds say
    ],
)
def test_kind_precedence(texts: tuple[str, ...], kind: str) -> None:
    assert kind_of(*texts) == kind


def test_the_clause_decides_before_the_item() -> None:
    text = "第一条 镇长履行以下职责：\n1．组织召开会议，开展安全检查（每月至少1次）。"
    assert [d.kind for d in parse_text(text).duties] == ["inspection"]
