"""The seed regulation (乌审召镇 2022) parses to exactly what the acceptance criteria list."""

from __future__ import annotations

import io
import json
import time
from importlib import resources
from pathlib import Path

import docx
import pytest

from yigang.regulations.parser import (
    ParsedRegulation,
    ParsedSector,
    parse_source,
    parse_text,
    read_source,
    to_json_dict,
)

SEED = Path(str(resources.files("yigang.regulations").joinpath("data/wushenzhao-2022.txt")))

EXPECTED_DUTIES = [
    (4, 2, "party_secretary", 4, "year"),
    (4, 4, "party_secretary", 2, "year"),
    (5, 3, "mayor", 4, "year"),
    (5, 4, "mayor", 4, "year"),
    (6, 2, "congress_chair", 2, "year"),
    (6, 3, "congress_chair", 2, "year"),
    (6, 4, "congress_chair", 1, "month"),
    (7, 2, "deputy_party_secretary", 1, "month"),
    (8, 2, "discipline_secretary", 2, "year"),
    (9, 3, "safety_deputy", 1, "month"),
    (9, 4, "safety_deputy", 1, "month"),
    (10, 2, "other_deputy", 1, "month"),
]


@pytest.fixture(scope="module")
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="module")
def seed(seed_bytes: bytes) -> ParsedRegulation:
    return parse_source(seed_bytes, SEED.name)


def test_it_reads_the_header(seed: ParsedRegulation) -> None:
    assert seed.title == "乌审召镇安全生产“党政同责、一岗双责”制度（新修订）"
    assert seed.issuer == "乌审召镇人民政府"
    assert seed.issued_on is not None
    assert seed.issued_on.isoformat() == "2022-08-04"
    assert seed.recipients == "各嘎查村（社区）、相关单位"
    assert seed.reason == "因乡镇机构改革及乡镇领导职数调整"
    assert seed.document_number == ""
    assert seed.preamble.startswith(
        "乌审召镇人民政府关于印发《乌审召镇安全生产“党政同责、一岗双责”制度（新修订）》的通知\n"
    )
    assert seed.preamble.endswith("乌审召镇人民政府\n2022年8月4日")


def test_it_finds_four_chapters(seed: ParsedRegulation) -> None:
    assert [(c.number, c.title) for c in seed.chapters] == [
        (1, "总则"),
        (2, "镇党委政府有关负责人职责"),
        (3, "各主管部门负责人职责"),
        (4, "行政村（社区）负责人职责"),
    ]


def test_it_finds_thirteen_articles_in_their_chapters(seed: ParsedRegulation) -> None:
    chapters = {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2, 8: 2, 9: 2, 10: 2, 11: 3, 12: 3, 13: 4}
    assert [(a.number, a.chapter) for a in seed.articles] == list(chapters.items())


def test_it_finds_every_item(seed: ParsedRegulation) -> None:
    counts = {1: 0, 2: 0, 3: 0, 4: 5, 5: 5, 6: 4, 7: 5, 8: 5, 9: 7, 10: 4, 11: 5, 12: 13, 13: 4}
    assert {a.number: len(a.items) for a in seed.articles} == counts
    for article in seed.articles:
        assert [i.number for i in article.items] == list(range(1, len(article.items) + 1))


def test_it_keeps_texts_clean(seed: ParsedRegulation) -> None:
    art4 = seed.articles[3]
    assert art4.heading == "镇党委书记对本镇安全生产工作负总责，并履行以下职责："
    assert art4.items[1].text == (
        "经常了解安全生产工作情况，分析安全生产工作形势，有针对性地开展重大安全生产活动和重点检查指导工作"
        "（每年至少4次）。"
    )
    assert seed.articles[5].heading == "镇人大主席安全生产监督职责"
    assert seed.articles[12].items[3].text.startswith("所辖区发生伤亡及重大火灾事故")
    assert seed.articles[0].heading == seed.articles[0].text
    assert art4.text.startswith(art4.heading + "\n1．认真贯彻")
    for text in [seed.text, *(a.text for a in seed.articles)]:
        assert "bookmark" not in text
        assert "-2-" not in text
        assert "-8-" not in text
    assert "\n\n" not in seed.text


def test_it_reads_the_posts(seed: ParsedRegulation) -> None:
    assert {a.number: a.post for a in seed.articles} == {
        1: None,
        2: None,
        3: None,
        4: "party_secretary",
        5: "mayor",
        6: "congress_chair",
        7: "deputy_party_secretary",
        8: "discipline_secretary",
        9: "safety_deputy",
        10: "other_deputy",
        11: "department_head",
        12: "department_head",
        13: "village_secretary",
    }


def test_it_finds_exactly_the_twelve_frequency_duties(seed: ParsedRegulation) -> None:
    got = [(d.article, d.item, d.post, d.min_count, d.period) for d in seed.duties]
    assert got == EXPECTED_DUTIES


def test_it_names_the_kind_of_each_duty(seed: ParsedRegulation) -> None:
    kinds = {(d.article, d.item): d.kind for d in seed.duties}
    for key in [(4, 4), (5, 3), (9, 3)]:
        assert kinds[key] == "meeting", key
    for key in [(5, 4), (9, 4), (10, 2), (4, 2), (7, 2), (6, 4)]:
        assert kinds[key] == "inspection", key
    assert kinds[(6, 2)] == "supervision"
    assert kinds[(6, 3)] == "hearing"
    assert kinds[(8, 2)] in ("supervision", "inspection")


def test_each_duty_quotes_its_phrase_and_item(seed: ParsedRegulation) -> None:
    phrases = [d.phrase for d in seed.duties]
    assert phrases.count("每年至少4次") == 3
    assert "每月至少一次" in phrases
    by_key = {(d.article, d.item): d for d in seed.duties}
    items = {(a.number, i.number): i.text for a in seed.articles for i in a.items}
    for key, duty in by_key.items():
        assert duty.text == items[key]
        assert duty.phrase in duty.text


def test_it_reads_the_sector_list(seed: ParsedRegulation) -> None:
    claims = {c.item: c for c in seed.sector_claims}
    assert sorted(claims) == list(range(1, 14))
    assert claims[7].unit == "平安建设办公室"
    assert claims[7].note == "内设镇应急管理办及交通安全管理办"
    assert claims[8].unit == "综合保障和技术推广中心"  # "；" where "：" was meant
    assert claims[13].unit == "市场监督及其他相关部门"
    assert claims[13].sectors == []
    assert claims[11].sectors == [ParsedSector("民爆器材", ""), ParsedSector("消防", "九小场所")]
    assert ParsedSector("烟花爆竹", "") in claims[7].sectors
    items = {(i.number, i.text) for a in seed.articles if a.number == 12 for i in a.items}
    assert {(c.item, c.text) for c in seed.sector_claims} == items  # a claim quotes its item

    def claimed_by(name: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for claim in seed.sector_claims:
            for sector in claim.sectors:
                if sector.name == name:
                    found.setdefault(claim.unit, set()).add(sector.scope)
        return found

    assert set(claimed_by("道路交通")) == {"平安建设办公室", "交警中队"}
    assert claimed_by("危险化学品") == {"平安建设办公室": {""}, "交警中队": {"运输"}}
    assert set(claimed_by("消防")) == {"镇安全生产委员会及其办公室", "公安派出所"}
    # 机关设施、消防、用电、公务用车: the town's own offices, not town-wide 消防 and 用电
    assert claimed_by("机关内部") == {"镇党政综合办公室": {"机关设施", "消防", "用电", "公务用车"}}
    assert ParsedSector("户外广告", "") in claims[10].sectors  # a sentence without 负责 is read too


def test_every_sentence_of_the_sector_list_has_a_home(seed: ParsedRegulation) -> None:
    claims = {c.item: c for c in seed.sector_claims}
    assert claims[3].sectors == []
    assert claims[3].tasks == [
        "负责加强党建在安全生产工作方面的领导作用",
        "配合镇安委会办公室，加强安全生产工作实绩考核工作及干部学习、培训、宣传等方面的工作",
        "把学习习近平总书记相关论述纳入到党委中心组学习当中",
        "负责好本部门职能范围内的安全生产工作",
    ]
    assert claims[4].tasks == ["负责全镇乡村振兴中涉及安全生产及应急救援方面的规划"]
    assert claims[6].tasks == ["协助嘎查村社区开展居民小区安全应急工作", "同时作好其他管理领域的安全监管工作"]
    assert claims[13].tasks == ["负责本单位及所属行业和系统的安全监管"]
    assert seed.warnings == []  # an unplaced sentence would be a warning


def test_it_has_nothing_to_warn_about(seed: ParsedRegulation) -> None:
    assert seed.warnings == []


def test_it_parses_fast(seed_bytes: bytes) -> None:
    text = read_source(seed_bytes, "seed.txt")
    parse_text(text)  # warm up OpenCC's dictionaries
    started = time.perf_counter()
    parse_text(text)
    assert time.perf_counter() - started < 0.1


def test_the_json_shape(seed: ParsedRegulation) -> None:
    data = to_json_dict(seed)
    json.dumps(data)
    assert list(data) == [
        "title",
        "issuer",
        "issued_on",
        "effective_on",
        "document_number",
        "recipients",
        "reason",
        "chapters",
        "articles",
        "duties",
        "sectors",
        "warnings",
    ]
    assert data["issued_on"] == "2022-08-04"
    assert data["chapters"][0] == {"number": 1, "title": "总则"}
    assert set(data["articles"][3]) == {"number", "chapter", "heading", "post", "items"}
    assert data["articles"][3]["items"][0]["number"] == 1
    assert data["duties"][0] == {
        "article": 4,
        "item": 2,
        "post": "party_secretary",
        "kind": "inspection",
        "min_count": 4,
        "period": "year",
        "text": seed.duties[0].text,
        "phrase": "每年至少4次",
    }
    assert data["sectors"][10] == {
        "item": 11,
        "unit": "公安派出所",
        "note": "",
        "sectors": [{"name": "民爆器材", "scope": ""}, {"name": "消防", "scope": "九小场所"}],
        "tasks": [],
    }


def test_a_word_copy_of_the_seed_gives_the_same_parse(seed: ParsedRegulation) -> None:
    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_source(buffer.getvalue(), "乌审召镇制度.docx")
    assert parsed.duties == seed.duties
    assert parsed.articles == seed.articles
    assert parsed.sector_claims == seed.sector_claims
    assert (parsed.title, parsed.issued_on, parsed.issuer) == (seed.title, seed.issued_on, seed.issuer)


def test_the_seed_in_gbk_and_with_bom_gives_the_same_parse(seed: ParsedRegulation) -> None:
    text = SEED.read_text(encoding="utf-8")
    for data in (text.encode("gbk"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-16")):
        parsed = parse_source(data, "seed.txt")
        assert parsed.duties == seed.duties
        assert parsed.text == seed.text
