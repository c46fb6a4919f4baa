"""The chain: who answered for a sector at a place on a day, level by level, with its gaps."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from yigang.org import actions
from yigang.org.chain import Role, build_chain
from yigang.org.models import Sector, Tenure, Unit

from .conftest import MAYOR_CHANGE, Register

pytestmark = pytest.mark.django_db
D = datetime.date


def _chain(reg: Register, sector: str, place: str | None, at: datetime.date) -> Any:
    return build_chain(
        sector=Sector.objects.get(town=reg.town, name=sector),
        place=Unit.objects.get(town=reg.town, name=place) if place else None,
        at=at,
    )


def test_it_lists_every_level_in_order_with_the_holder_of_the_day(register: Register) -> None:
    chain = _chain(register, "烟花爆竹", "巴音敖包嘎查", D(2024, 6, 1))
    assert [(link.role, link.level, link.post, link.person) for link in chain.links] == [
        (Role.TERRITORY, "第一责任人", "巴音敖包嘎查党支部书记", "巴特尔"),
        # Art. 3: a body's principal head bears 全面领导责任 for the body and its sectors.
        (Role.SECTOR, "全面领导责任", "平安建设办公室负责人", "平安建设办公室主任"),
        (Role.PORTFOLIO, "直接领导责任", "分管安全生产副镇长", "赵永军"),
        (Role.SAFETY, "第二责任人", "分管安全生产副镇长", "赵永军"),
        (Role.LEADERSHIP, "第一责任人", "镇长", "巴图"),
        (Role.LEADERSHIP, "负总责", "镇党委书记", "乌力吉"),
        (Role.OVERSIGHT, "监督", "镇人大主席", "萨仁"),
        (Role.OVERSIGHT, "监督", "镇纪委书记", "白玉梅"),
    ]
    assert chain.warnings == []
    data = chain.as_dict()
    assert set(data) == {"sector", "place", "at", "chain", "warnings", "place_kind"}
    assert data["at"] == "2024-06-01" and data["place"] == "巴音敖包嘎查"
    assert data["chain"][0] == {
        "level": "第一责任人",
        "post": "巴音敖包嘎查党支部书记",
        "unit": "巴音敖包嘎查",
        "person": "巴特尔",
        "role": "territory",
        "role_label": "属地管理",
        "scope": "",
    }


def test_the_mayor_is_the_one_in_office_on_the_day(register: Register) -> None:
    def mayor(day: datetime.date) -> str | None:
        return next(
            link.person for link in _chain(register, "烟花爆竹", None, day).links if link.post == "镇长"
        )

    assert mayor(MAYOR_CHANGE - datetime.timedelta(days=1)) == "张建华"
    assert mayor(MAYOR_CHANGE) == "巴图"
    assert mayor(D(2021, 12, 31)) is None  # before anyone was recorded


def test_a_vacant_post_shows_no_person_and_a_warning(register: Register) -> None:
    tenure = Tenure.objects.get(post=register.posts["巴音敖包嘎查党支部书记"], end__isnull=True)
    actions.end_tenure(tenure=tenure, end=D(2024, 5, 31), actor=register.officer)
    before = _chain(register, "烟花爆竹", "巴音敖包嘎查", D(2024, 5, 31))
    after = _chain(register, "烟花爆竹", "巴音敖包嘎查", D(2024, 6, 1))
    assert before.links[0].person == "巴特尔"
    assert after.links[0].person is None
    assert after.as_dict()["chain"][0]["person"] is None
    assert "“巴音敖包嘎查党支部书记”（巴音敖包嘎查）在2024-06-01空缺。" in after.warnings


def test_a_sector_claimed_by_two_bodies_lists_both_and_flags_the_overlap(register: Register) -> None:
    chain = _chain(register, "道路交通", "乌审召嘎查", D(2024, 6, 1))
    heads = [link.unit for link in chain.links if link.role == Role.SECTOR]
    assert heads == ["平安建设办公室", "交警中队"]
    assert any("多头监管" in w and "平安建设办公室、交警中队" in w for w in chain.warnings)


def test_a_sector_no_body_supervises_falls_to_the_territory(register: Register) -> None:
    actions.add_sector(town=register.town, name="光伏电站", actor=register.officer)
    chain = _chain(register, "光伏电站", "乌审召嘎查", D(2024, 6, 1))
    assert [link.role for link in chain.links][:2] == [Role.TERRITORY, Role.SAFETY]
    assert chain.links[0].person == "其其格"
    assert "“光伏电站”无主管部门，由属地负责（乌审召嘎查）。" in chain.warnings


def test_the_whole_town_has_no_village_level(register: Register) -> None:
    chain = _chain(register, "烟花爆竹", None, D(2024, 6, 1))
    assert chain.place_label == "乌审召镇"
    assert Role.TERRITORY not in {link.role for link in chain.links}


def test_a_leader_in_charge_of_the_sector_itself_is_listed(register: Register) -> None:
    fireworks = Sector.objects.get(town=register.town, name="烟花爆竹")
    actions.assign_portfolio(
        post=register.posts["副镇长"], sector=fireworks, start=D(2024, 1, 1), actor=register.officer
    )
    in_charge = [
        link.post
        for link in _chain(register, "烟花爆竹", None, D(2024, 6, 1)).links
        if link.role == Role.PORTFOLIO
    ]
    assert in_charge == ["分管安全生产副镇长", "副镇长"]
    earlier = _chain(register, "烟花爆竹", None, D(2023, 6, 1))
    assert [link.post for link in earlier.links if link.role == Role.PORTFOLIO] == ["分管安全生产副镇长"]


def test_a_body_without_a_leader_in_charge_is_flagged(register: Register) -> None:
    from yigang.org.models import Portfolio

    portfolio = Portfolio.objects.get(unit=register.units["平安建设办公室"])
    actions.end_portfolio(portfolio=portfolio, end=D(2024, 2, 29), actor=register.officer)
    chain = _chain(register, "烟花爆竹", None, D(2024, 3, 1))
    assert Role.PORTFOLIO not in {link.role for link in chain.links}
    assert "“平安建设办公室”在2024-03-01没有分管领导。" in chain.warnings


def test_before_any_regulation_was_in_force_the_answer_says_so(register: Register) -> None:
    chain = _chain(register, "烟花爆竹", None, D(2022, 3, 1))
    assert chain.regulation is None
    assert any("尚无施行中的制度" in w for w in chain.warnings)
    assert next(link for link in chain.links if link.post == "镇长").level == "第一责任人"


def test_the_chain_takes_a_bounded_number_of_queries(
    register: Register, django_assert_max_num_queries: Any
) -> None:
    sector = Sector.objects.get(town=register.town, name="消防")
    village = Unit.objects.get(town=register.town, name="乌审召嘎查")
    with django_assert_max_num_queries(8):
        chain = build_chain(sector=sector, place=village, at=D(2024, 6, 1))
    # 消防: 派出所 (九小场所) is the one 行业 supervisor — 党政综合办's 消防 is 机关内部, not town-wide — and the
    # 安委办 holds 综合监管.
    assert len([link for link in chain.links if link.role == Role.SECTOR]) == 1
    assert [link.unit for link in chain.links if link.role == Role.COORDINATION] == [
        "镇安全生产委员会及其办公室"
    ]
