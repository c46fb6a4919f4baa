"""Every way a frequency is written (issue 8, point 8): one test per form, and warnings instead of silent misses."""

from __future__ import annotations

import pytest

from yigang.regulations.parser import ParsedRegulation, parse_text


def _parse(*items: str) -> ParsedRegulation:
    lines = [f"{n}．{text}" for n, text in enumerate(items, start=1)]
    return parse_text("\n".join(["第一条 镇长履行以下职责：", *lines]))


def _read(sentence: str) -> list[tuple[int | None, str | None, str]]:
    return [(d.min_count, d.period, d.phrase) for d in _parse(sentence).duties]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # periods the system counts over, written in new ways
        ("季度一次安全生产工作会议。", [(1, "quarter", "季度一次")]),
        ("每季度一次召开分析会。", [(1, "quarter", "每季度一次")]),
        ("检查1次/年。", [(1, "year", "1次/年")]),
        ("开展检查2次/季度。", [(2, "quarter", "2次/季度")]),
        ("上下半年各1次开展检查。", [(1, "half_year", "上下半年各1次")]),
        ("上、下半年各组织一次演练。", [(1, "half_year", "上、下半年各组织一次")]),
        ("上半年和下半年各开展2次检查。", [(2, "half_year", "上半年和下半年各开展2次")]),
        ("每一季度至少一次检查。", [(1, "quarter", "每一季度至少一次")]),
        ("每一个月检查一次。", [(1, "month", "每一个月检查一次")]),
        ("每个季度检查一次。", [(1, "quarter", "每个季度检查一次")]),
        # ranges: the minimum counts
        ("每年检查2至3次。", [(2, "year", "每年检查2至3次")]),
        ("每月检查一到两次。", [(1, "month", "每月检查一到两次")]),
        ("每月检查一两次。", [(1, "month", "每月检查一两次")]),
        ("每季度检查3-5次。", [(3, "quarter", "每季度检查3-5次")]),
        ("每周巡查两三次。", [(2, "week", "每周巡查两三次")]),
    ],
)
def test_it_reads_the_form(sentence: str, expected: list[tuple[int | None, str | None, str]]) -> None:
    assert _read(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "count", "period", "note"),
    [
        # a count per written period × how many such periods the counted period holds
        ("每两个月检查1次。", 3, "half_year", "按每半年3次统计"),  # Jan–Feb, Mar–Apr, May–Jun
        ("每2个月开展一次检查。", 3, "half_year", "按每半年3次统计"),
        ("每三个月召开一次会议。", 1, "quarter", "按每季度1次统计"),
        ("每四个月检查1次。", 3, "year", "按每年3次统计"),
        ("每六个月检查2次。", 2, "half_year", "按每半年2次统计"),
        ("每旬检查一次。", 3, "month", "按每月3次统计"),  # 上旬, 中旬, 下旬
        ("每半月检查一次。", 2, "month", "按每月2次统计"),
        ("每半个月召开调度会2次。", 4, "month", "按每月4次统计"),
        ("每两周开展一次检查。", 26, "year", "按每年26次统计"),  # 52 weeks ÷ 2
        ("每隔一周巡查1次。", 26, "year", "按每年26次统计"),
        ("检查1次/旬。", 3, "month", "按每月3次统计"),
    ],
)
def test_a_period_the_system_does_not_count_over_is_converted_and_said(
    sentence: str, count: int, period: str, note: str
) -> None:
    parsed = _parse(sentence)
    [duty] = parsed.duties
    assert (duty.min_count, duty.period) == (count, period)
    [warning] = parsed.warnings
    assert warning.startswith(f"第一条第1项“{duty.phrase}”")
    assert note in warning


def test_windows_before_and_during_the_flood_season_add_up_over_the_year() -> None:
    parsed = _parse("汛期前、汛期中各开展1次防汛安全检查。")
    [duty] = parsed.duties
    assert (duty.min_count, duty.period, duty.kind) == (2, "year", "inspection")
    assert duty.phrase == "汛期前、汛期中各开展1次"
    [warning] = parsed.warnings
    assert "按每年2次统计" in warning


def test_three_windows_with_two_each() -> None:
    parsed = _parse("每年汛期前、汛期中、汛期后各组织2次巡查。")
    assert [(d.min_count, d.period) for d in parsed.duties] == [(6, "year")]


def test_a_window_inside_the_year_is_kept_as_a_warning() -> None:
    parsed = _parse("每年第一季度组织开展1次安全生产大检查。")
    [duty] = parsed.duties
    assert (duty.min_count, duty.period, duty.phrase) == (1, "year", "每年第一季度组织开展1次")
    [warning] = parsed.warnings
    assert "第一季度" in warning and "请核对" in warning


def test_the_same_duty_stated_twice_in_one_item_is_one_duty() -> None:
    parsed = _parse("每年组织开展一次安全生产检查（每年至少1次）。")
    assert [(d.min_count, d.period, d.kind, d.phrase) for d in parsed.duties] == [
        (1, "year", "inspection", "每年组织开展一次")
    ]
    assert parsed.warnings == []


def test_a_restatement_with_another_count_keeps_the_larger_and_warns() -> None:
    parsed = _parse("每年组织一次安全培训（每年至少2次）。")
    assert [(d.min_count, d.phrase) for d in parsed.duties] == [(2, "每年至少2次")]
    [warning] = parsed.warnings
    assert "次数不同" in warning and "2次" in warning


def test_two_acts_in_one_sentence_stay_two_duties() -> None:
    parsed = _parse("每月开展一次检查，每月召开一次会议。")
    assert [(d.kind, d.min_count) for d in parsed.duties] == [("inspection", 1), ("meeting", 1)]


@pytest.mark.parametrize(
    "sentence",
    [
        "每天巡查重点部位。",
        "每个工作日报送值班情况。",
        "每三周开展一次巡查。",
        "每年开展若干次演练。",
        "检查不少于3次。",
        "每年年初签订安全生产责任书。",
    ],
)
def test_a_frequency_it_cannot_read_is_a_warning_never_a_silent_miss(sentence: str) -> None:
    parsed = _parse(sentence)
    assert parsed.duties == []
    [warning] = parsed.warnings
    assert warning.startswith(f"第一条第1项“{sentence.rstrip('。')}”")
    assert "未能读出次数和周期" in warning


def test_words_that_are_no_frequency_warn_about_nothing() -> None:
    parsed = _parse(
        "一次性告知企业整改要求。", "依次落实各项措施。", "对每个企业建立档案。", "防止发生二次事故。"
    )
    assert (parsed.duties, parsed.warnings) == ([], [])
