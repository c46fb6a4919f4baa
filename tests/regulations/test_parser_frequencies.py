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
        # 定期 between the period and the count is an adverb (a real county text: 每季定期组织召开一次)
        ("每季定期组织召开一次安全生产工作会议。", [(1, "quarter", "每季定期组织召开一次")]),
        ("每年定期开展两次检查。", [(2, "year", "每年定期开展两次")]),
        ("每年定期开展安全检查。", [(None, None, "定期")]),
        ("定期召开安全生产工作会议。", [(None, None, "定期")]),
    ],
)
def test_it_reads_the_form(sentence: str, expected: list[tuple[int | None, str | None, str]]) -> None:
    assert _read(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # 旬, 半月, 两个月 and 两周 are periods of their own (issue 22, point 1), read without a warning. The
        # wordings are those of real texts: "每旬组织各采区和部门召开安全例会", "每半月至少召开一次调度会",
        # "每两个月开展一次", "每两周开展一次检查", "每隔一周巡查", "1次/旬".
        ("每旬检查一次。", [(1, "ten_days", "每旬检查一次")]),
        ("每一旬至少开展一次安全巡查。", [(1, "ten_days", "每一旬至少开展一次")]),
        ("每旬至少召开2次调度会。", [(2, "ten_days", "每旬至少召开2次")]),
        ("检查1次/旬。", [(1, "ten_days", "1次/旬")]),
        ("上、中、下旬各开展一次巡查。", [(1, "ten_days", "上、中、下旬各开展一次")]),
        ("每半月检查一次。", [(1, "half_month", "每半月检查一次")]),
        ("每半个月召开调度会2次。", [(2, "half_month", "每半个月召开调度会2次")]),
        ("半月一次安全生产调度会。", [(1, "half_month", "半月一次")]),
        ("每半月至少召开一次调度会。", [(1, "half_month", "每半月至少召开一次")]),
        ("开展巡查1次/半月。", [(1, "half_month", "1次/半月")]),
        ("每两个月检查1次。", [(1, "two_months", "每两个月检查1次")]),
        ("每2个月开展一次检查。", [(1, "two_months", "每2个月开展一次")]),
        ("每二个月听取一次汇报。", [(1, "two_months", "每二个月听取一次")]),
        ("每两周开展一次检查。", [(1, "two_weeks", "每两周开展一次")]),
        ("每隔一周巡查1次。", [(1, "two_weeks", "每隔一周巡查1次")]),
        ("每两个星期至少召开一次例会。", [(1, "two_weeks", "每两个星期至少召开一次")]),
        ("每2周检查一次。", [(1, "two_weeks", "每2周检查一次")]),
    ],
)
def test_a_real_period_is_read_as_its_own_kind(
    sentence: str, expected: list[tuple[int | None, str | None, str]]
) -> None:
    parsed = _parse(sentence)
    assert [(d.min_count, d.period, d.phrase) for d in parsed.duties] == expected
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("sentence", "count", "period", "note"),
    [
        # a count per written period × how many such periods the counted period holds
        ("每三个月召开一次会议。", 1, "quarter", "按每季度1次统计"),
        ("每四个月检查1次。", 3, "year", "按每年3次统计"),
        ("每六个月检查2次。", 2, "half_year", "按每半年2次统计"),
        # every ten days is not quite a 旬 (a 下旬 has 8 to 11 days): read as one, and said
        ("每十天开展一次巡查。", 1, "ten_days", "按每旬（上旬1—10日、中旬11—20日、下旬21日至月末）1次统计"),
        ("每10天检查1次。", 1, "ten_days", "按每旬"),
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


def test_a_window_inside_a_month_is_a_note() -> None:
    parsed = _parse("每月上旬召开一次安全生产例会。")
    [duty] = parsed.duties
    assert (duty.min_count, duty.period) == (1, "month")
    [warning] = parsed.warnings
    assert "上旬" in warning and "请核对" in warning


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
