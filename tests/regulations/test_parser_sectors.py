"""Sector lists ("BODY：负责X、Y等方面的安全监管") and the post each article governs."""

from __future__ import annotations

from pathlib import Path

import pytest

from yigang.regulations.parser import ParsedSector, parse_text
from yigang.regulations.parser.posts import post_of

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_sector_list_is_found_by_its_shape_not_its_number() -> None:
    parsed = parse_text((FIXTURES / "sectors.txt").read_text(encoding="utf-8"))
    claims = [(c.item, c.unit, c.note, c.sectors) for c in parsed.sector_claims]
    assert claims == [
        (
            1,
            "应急管理办公室",
            "加挂安委会办公室牌子",
            [ParsedSector("危险化学品"), ParsedSector("烟花爆竹"), ParsedSector("非煤矿山")],
        ),
        (
            2,
            "交通管理站",
            "",
            [ParsedSector("道路交通"), ParsedSector("危险化学品", "运输"), ParsedSector("农村客运")],
        ),
        (
            3,
            "派出所",
            "",
            [ParsedSector("消防", "九小场所"), ParsedSector("民爆物品"), ParsedSector("大型活动")],
        ),
        # the town's own offices: limited to 机关内部, not town-wide sectors
        (4, "综合办公室", "", [ParsedSector("机关内部", "机关食堂"), ParsedSector("机关内部", "公务车辆")]),
        (5, "其他部门", "", []),
    ]
    assert parsed.sector_claims[3].text == "综合办公室；负责机关食堂与公务车辆安全工作。"
    assert parsed.articles[1].post == "department_head"


def test_items_of_duties_are_no_sector_list() -> None:
    text = "第一条 镇长履行以下职责：\n1．检查：每月至少1次。\n2．会议：每年至少4次。\n3．负责全镇安全生产。"
    assert parse_text(text).sector_claims == []


@pytest.mark.parametrize(
    ("line", "sectors"),
    [
        ("甲办：负责危化品等方面的安全监管。", [ParsedSector("危险化学品")]),
        ("甲办：负责危化运输等道路安全监管。", [ParsedSector("危险化学品", "运输")]),
        (
            "甲办：负责烟花鞭炮、道路交通及危险化学品等方面的安全监管。",
            [ParsedSector("烟花爆竹"), ParsedSector("道路交通"), ParsedSector("危险化学品")],
        ),
        ("甲办：负责消防（九小场所）安全监管和事故抢险。", [ParsedSector("消防", "九小场所")]),
        (
            "甲办：负责水利、电力以及通讯等行业领域的安全生产工作。",
            [ParsedSector("水利"), ParsedSector("电力"), ParsedSector("通讯")],
        ),
        ("甲办：负责加强党建在安全生产工作方面的领导作用。", []),
        ("甲办：负责全镇乡村振兴中涉及安全生产及应急救援方面的规划。", []),
        ("甲办：负责镇区除交管部门负责的车辆安全工作。", [ParsedSector("车辆")]),
    ],
)
def test_sector_enumerations(line: str, sectors: list[ParsedSector]) -> None:
    text = f"第一条 各机构职责：\n1．{line}\n2．乙办：负责消防等方面的安全监管。"
    claim = parse_text(text).sector_claims[0]
    assert claim.unit == "甲办"
    assert claim.sectors == sectors


@pytest.mark.parametrize(
    ("lead_in", "chapter", "post"),
    [
        ("镇党委书记对本镇安全生产工作负总责，并履行以下职责：", None, "party_secretary"),
        ("苏木党委书记对本苏木安全生产工作负总责：", None, "party_secretary"),
        ("镇长为本镇安全生产工作第一责任人：", None, "mayor"),
        ("乡长为本乡安全生产工作第一责任人：", None, "mayor"),
        ("苏木达为本苏木安全生产工作第一责任人：", None, "mayor"),
        ("镇人大主席安全生产监督职责", None, "congress_chair"),
        ("镇党委副书记、政法委员，协助书记对本镇安全生产工作负责：", None, "deputy_party_secretary"),
        ("镇纪委书记，对本镇安全生产工作负有监督职责：", None, "discipline_secretary"),
        ("镇分管安全生产工作的副职领导，为第二责任人：", None, "safety_deputy"),
        ("按照“谁主管，谁负责”的原则，镇政府其它党政副职对分管工作负责：", None, "other_deputy"),
        ("其他副镇长对分管工作负责：", None, "other_deputy"),
        ("镇政府各部门及驻镇各单位，根据职能职责：", None, "department_head"),
        ("按照“谁主管，谁负责”，镇其他机构在各自职责范围内进行监管。", None, "department_head"),
        ("各行政村（社区）居民委员会支部书记，为本辖区第一责任人：", None, "village_secretary"),
        ("嘎查党支部书记为本嘎查第一责任人：", None, "village_secretary"),
        ("村党支部书记为本村第一责任人：", None, "village_secretary"),
        ("为加强安全生产工作，制定本制度。", None, None),
        ("本制度适用于镇属各部门。", None, None),
        ("分管安全生产的负责人是安全生产工作综合监督管理的责任人。", "总则", None),
        ("负责以下工作：", "各主管部门负责人职责", "department_head"),  # the chapter title tells
        ("负责以下工作：", None, None),
    ],
)
def test_posts(lead_in: str, chapter: str | None, post: str | None) -> None:
    assert post_of(lead_in, chapter) == post


def _claims(*items: str) -> tuple[list[tuple[str, list[tuple[str, str]], list[str]]], list[str]]:
    lines = [f"{n}．{text}" for n, text in enumerate(items, start=1)]
    parsed = parse_text("\n".join(["第一条 各部门职责如下：", *lines]))
    got = [(c.unit, [(s.name, s.scope) for s in c.sectors], c.tasks) for c in parsed.sector_claims]
    return got, parsed.warnings


def test_claims_limited_to_the_towns_own_offices_stay_limited() -> None:
    got, warnings = _claims(
        "党政办：负责机关内部消防、用电等方面的安全监管。",
        "派出所：负责消防（九小场所）、民爆器材等方面的安全监管。",
    )
    assert got[0] == ("党政办", [("机关内部", "消防"), ("机关内部", "用电")], [])
    assert got[1][1] == [("消防", "九小场所"), ("民爆器材", "")]
    assert warnings == []


def test_every_sentence_has_a_home_or_a_warning() -> None:
    got, warnings = _claims(
        "应急办：负责危险化学品等方面的安全监管；配合上级开展执法检查；户外广告等设施安全检查。",
        "交警中队：负责道路交通等方面的安全监管。年度考核由镇党委统一组织。",
    )
    assert got[0] == (
        "应急办",
        [("危险化学品", ""), ("户外广告", "")],
        ["配合上级开展执法检查"],
    )
    assert got[1][1] == [("道路交通", "")]
    assert warnings == ["第一条第2项“年度考核由镇党委统一组织”未能归入行业领域或工作职责，请核对"]


def test_an_item_without_the_sectors_its_body_handed_over() -> None:
    from yigang.regulations.parser.sectors import without_sectors

    item = "交警中队：负责道路交通、查超治违、危化运输等道路安全监管；配合开展宣传。"
    assert (
        without_sectors(item, {("危险化学品", "运输")})
        == "交警中队：负责道路交通、查超治违等道路安全监管；配合开展宣传。"
    )
    assert without_sectors(item, {("道路交通", ""), ("查超治违", ""), ("危险化学品", "运输")}) == (
        "交警中队：配合开展宣传。"
    )
    assert without_sectors(item, set()) == item
    own = "党政办：负责机关设施、消防、用电等方面的安全监管。"
    assert without_sectors(own, {("机关内部", "用电")}) == "党政办：负责机关设施、消防等方面的安全监管。"
