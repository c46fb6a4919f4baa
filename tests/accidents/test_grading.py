"""Art. 3 of 国务院令第493号, bound by bound: "以上" includes the bound, "以下" excludes it; the highest grade any
single criterion reaches wins; money is counted in 元, never as a float."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yigang.accidents.grading import grade, parse_count, parse_yuan

WAN = 10_000


def _grade(deaths: int = 0, injuries: int = 0, loss: int | Decimal = 0) -> str:
    return grade(deaths=deaths, serious_injuries=injuries, direct_loss=loss).grade


@pytest.mark.parametrize(
    ("deaths", "expected"),
    [
        (0, "一般"),
        (1, "一般"),
        (2, "一般"),
        (3, "较大"),
        (9, "较大"),
        (10, "重大"),
        (29, "重大"),
        (30, "特别重大"),
        (300, "特别重大"),
    ],
)
def test_it_grades_by_deaths_alone(deaths: int, expected: str) -> None:
    assert _grade(deaths=deaths) == expected


@pytest.mark.parametrize(
    ("injuries", "expected"),
    [(9, "一般"), (10, "较大"), (49, "较大"), (50, "重大"), (99, "重大"), (100, "特别重大")],
)
def test_it_grades_by_serious_injuries_alone(injuries: int, expected: str) -> None:
    assert _grade(injuries=injuries) == expected


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        (Decimal("9999999.99"), "一般"),
        (1000 * WAN, "较大"),
        (Decimal("49999999.99"), "较大"),
        (5000 * WAN, "重大"),
        (Decimal("99999999.99"), "重大"),
        (10000 * WAN, "特别重大"),
    ],
)
def test_it_grades_by_direct_loss_alone(loss: int | Decimal, expected: str) -> None:
    assert _grade(loss=loss) == expected


def test_the_highest_criterion_wins_and_only_those_that_reach_it_are_reasons() -> None:
    result = grade(deaths=2, serious_injuries=50, direct_loss=1000 * WAN)
    assert result.grade == "重大"
    assert result.reasons == ["重伤（包括急性工业中毒）50人，达到重大事故“50人以上”"]
    result = grade(deaths=3, serious_injuries=10, direct_loss=1000 * WAN)
    assert result.grade == "较大"
    assert result.reasons == [
        "死亡3人，达到较大事故“3人以上”",
        "重伤（包括急性工业中毒）10人，达到较大事故“10人以上”",
        "直接经济损失10,000,000元，达到较大事故“1000万元以上”",
    ]
    assert _grade(deaths=30, injuries=9, loss=0) == "特别重大"
    assert _grade(deaths=9, injuries=49, loss=Decimal("49999999.99")) == "较大"
    assert _grade(deaths=2, injuries=9, loss=Decimal("9999999.99")) == "一般"
    assert _grade(deaths=0, injuries=0, loss=10000 * WAN) == "特别重大"


def test_a_general_accident_names_each_criterion_under_its_bound() -> None:
    assert grade(deaths=1, serious_injuries=0, direct_loss=12000).reasons == [
        "死亡1人，在一般事故“3人以下”",
        "重伤（包括急性工业中毒）0人，在一般事故“10人以下”",
        "直接经济损失12,000元，在一般事故“1000万元以下”",
    ]


def test_it_refuses_negative_numbers_and_floats() -> None:
    with pytest.raises(ValueError, match="负数"):
        grade(deaths=-1, serious_injuries=0, direct_loss=0)
    with pytest.raises(ValueError, match="负数"):
        grade(deaths=0, serious_injuries=0, direct_loss=-1)
    with pytest.raises(ValueError, match="浮点"):
        grade(deaths=0, serious_injuries=0, direct_loss=1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12000", Decimal("12000.00")),
        ("12,000", Decimal("12000.00")),
        ("12，000", Decimal("12000.00")),
        ("1,234,567.5", Decimal("1234567.50")),
        ("0", Decimal("0.00")),
        (" 800元 ", Decimal("800.00")),
    ],
)
def test_it_reads_a_loss_in_yuan_with_thousands_separators(text: str, expected: Decimal) -> None:
    assert parse_yuan(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.2万", "万元"),
        ("3亿", "万元"),
        ("12k", "以元为单位"),
        ("abc", "以元为单位"),
        ("-5", "负数"),
        ("12,00", "以元为单位"),
        ("1.234", "以元为单位"),
        ("", "以元为单位"),
    ],
)
def test_it_refuses_a_loss_in_another_unit_or_not_a_number(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_yuan(text)


def test_counts_are_whole_non_negative_numbers() -> None:
    assert parse_count("3", "死亡人数") == 3
    assert parse_count(0, "死亡人数") == 0
    with pytest.raises(ValueError, match="死亡人数不能为负数"):
        parse_count("-1", "死亡人数")
    with pytest.raises(ValueError, match="重伤人数须为"):
        parse_count("2.5", "重伤人数")
    with pytest.raises(ValueError, match="须为"):
        parse_count("三", "死亡人数")
