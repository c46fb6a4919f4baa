"""The chain as the regulation writes it: Art. 3's levels, the 安委办's 综合监管, an enterprise's 主体责任,
Art. 7's 政法委员 where his portfolios put him, and an optional county body at the top."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from yigang.org import actions
from yigang.org.chain import Role, build_chain
from yigang.org.models import ENTERPRISE_HEAD, Sector, Unit, UnitKind

from .conftest import TERM, Register

pytestmark = pytest.mark.django_db
D = datetime.date


def _chain(reg: Register, sector: str, place: Any, at: datetime.date) -> Any:
    return build_chain(sector=Sector.objects.get(town=reg.town, name=sector), place=place, at=at)


def _rows(chain: Any) -> list[tuple[str, str, str, str | None]]:
    return [(link.role, link.level, link.unit, link.person) for link in chain.links]


def test_a_body_head_bears_overall_responsibility_and_the_safety_office_coordinates(
    register: Register,
) -> None:
    chain = _chain(register, "消防", None, D(2024, 6, 1))
    heads = [(r[0], r[1], r[2]) for r in _rows(chain) if r[0] in (Role.SECTOR, Role.COORDINATION)]
    assert heads == [
        # 党政综合办's 消防 is 机关内部 (its own offices), not town-wide: 派出所 is the one 行业 supervisor.
        (Role.SECTOR, "全面领导责任", "公安派出所"),
        (Role.COORDINATION, "全面领导责任", "镇安全生产委员会及其办公室"),
    ]
    assert next(link for link in chain.links if link.role == Role.COORDINATION).role_label == "综合监管"
    # The 安委办's 综合监管 is not one more 行业 supervisor: one 行业 body and the 安委办 are no overlap.
    assert not [w for w in chain.warnings if "多头监管" in w]
    road = _chain(register, "道路交通", None, D(2024, 6, 1))
    overlap = next(w for w in road.warnings if "多头监管" in w)
    assert "由2个单位监管" in overlap and "安全生产委员会" not in overlap
    # 分管领导 keep 直接领导责任.
    assert {r[1] for r in _rows(chain) if r[0] == Role.PORTFOLIO} == {"直接领导责任"}


def _enterprise(reg: Register, *, head: str | None) -> Unit:
    fireworks = Sector.objects.get(town=reg.town, name="烟花爆竹")
    village = reg.units["巴音敖包嘎查"]
    shop = actions.add_unit(
        town=reg.town,
        name="巴音烟花销售部",
        kind=UnitKind.ENTERPRISE,
        sector=fireworks,
        village=village,
        actor=reg.officer,
    )
    if head is not None:
        post = actions.add_post(unit=shop, title="法定代表人", kind=ENTERPRISE_HEAD, actor=reg.officer)
        person = actions.add_person(town=reg.town, name=head, actor=reg.officer)
        actions.appoint(post=post, person=person, start=D(2023, 1, 1), actor=reg.officer)
    return shop


def test_an_enterprise_chain_starts_with_its_own_legal_representative(register: Register) -> None:
    shop = _enterprise(register, head="苏和")
    chain = _chain(register, "烟花爆竹", shop, D(2024, 6, 1))
    assert _rows(chain)[:3] == [
        (Role.ENTERPRISE, "全面领导责任", "巴音烟花销售部", "苏和"),
        (Role.TERRITORY, "第一责任人", "巴音敖包嘎查", "巴特尔"),  # the village it lies in
        (Role.SECTOR, "全面领导责任", "平安建设办公室", "平安建设办公室主任"),
    ]
    assert chain.links[0].role_label == "主体责任"
    assert chain.as_dict()["place_kind"] == "enterprise"
    assert chain.warnings == []
    # Before the representative took office the seat is shown vacant, as it was.
    before = _chain(register, "烟花爆竹", shop, D(2022, 6, 1))
    assert before.links[0].person is None


def test_an_enterprise_without_a_legal_representative_is_flagged(register: Register) -> None:
    shop = _enterprise(register, head=None)
    chain = _chain(register, "烟花爆竹", shop, D(2024, 6, 1))
    assert chain.links[0].role == Role.TERRITORY
    assert any("未登记法定代表人" in w for w in chain.warnings)


def test_the_legal_representative_seat_belongs_to_enterprises_only(register: Register) -> None:
    with pytest.raises(ValidationError, match="只能设在生产经营单位"):
        actions.add_post(
            unit=register.units["平安建设办公室"], title="法定代表人", kind=ENTERPRISE_HEAD, actor=None
        )


def test_an_enterprise_is_a_place_on_the_page_and_the_command_line(
    register: Register, users: dict[str, Any], login: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    shop = _enterprise(register, head="苏和")
    fireworks = Sector.objects.get(town=register.town, name="烟花爆竹")
    page = login(users["leader"]).get(
        reverse("org:chain"), {"sector": fireworks.pk, "place": shop.pk, "at": "2024-06-01"}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "主体责任" in text and "苏和" in text
    out = StringIO()
    call_command(
        "who", "--town", "wushenzhao", "--sector", "烟花爆竹", "--place", "巴音烟花销售部", stdout=out
    )
    assert "1. 主体责任 · 全面领导责任 · 巴音烟花销售部 法定代表人：苏和" in out.getvalue()


def test_the_political_commissar_appears_for_the_sectors_his_portfolios_give_him(register: Register) -> None:
    commissar = register.posts["镇党委副书记、政法委员"]
    actions.assign_portfolio(
        post=commissar, unit=register.units["公安派出所"], start=D(2024, 1, 1), actor=register.officer
    )

    def in_charge(sector: str, day: datetime.date) -> list[str]:
        chain = _chain(register, sector, None, day)
        return [link.person or "" for link in chain.links if link.role == Role.PORTFOLIO]

    assert "刘志刚" in in_charge("消防", D(2024, 6, 1))  # 公安派出所 supervises 消防（九小场所）
    assert "刘志刚" in in_charge("民爆器材", D(2024, 6, 1))
    assert "刘志刚" not in in_charge("烟花爆竹", D(2024, 6, 1))  # not his portfolio
    assert "刘志刚" not in in_charge("消防", D(2023, 12, 31))  # before it was given him
    link = next(li for li in _chain(register, "民爆器材", None, D(2024, 6, 1)).links if li.person == "刘志刚")
    assert (link.level, link.role_label) == ("直接领导责任", "分管领导")


def test_a_county_body_entered_in_the_register_appears_at_the_top(register: Register) -> None:
    county = actions.add_unit(town=register.town, name="乌审旗应急管理局", kind=UnitKind.COUNTY, actor=None)
    post = actions.add_post(unit=county, title="局长", actor=None)
    actions.appoint(
        post=post,
        person=actions.add_person(town=register.town, name="王刚", actor=None),
        start=TERM,
        actor=None,
    )
    fireworks = Sector.objects.get(town=register.town, name="烟花爆竹")
    actions.add_supervision(sector=fireworks, unit=county, start=D(2024, 6, 1), actor=None)

    chain = _chain(register, "烟花爆竹", None, D(2024, 6, 1))
    assert _rows(chain)[-1] == (Role.COUNTY, "行业监管", "乌审旗应急管理局", "王刚")
    assert chain.links[-1].role_label == "旗县级行业主管部门"
    assert not any("多头监管" in w for w in chain.warnings)  # the county is above the town, not beside it
    # The day before it was entered the chain is as it was.
    assert Role.COUNTY not in {link.role for link in _chain(register, "烟花爆竹", None, D(2024, 5, 31)).links}


def test_past_chains_do_not_change_when_the_register_moves_on(register: Register) -> None:
    """The chain of a past day, taken before and after a year of changes, is the same."""
    day = D(2024, 3, 15)
    shop = _enterprise(register, head="苏和")
    places = [None, register.units["巴音敖包嘎查"], shop]
    sectors = ["烟花爆竹", "消防", "道路交通"]
    before = {
        (s, p.pk if p else None): _chain(register, s, p, day).as_dict() for s in sectors for p in places
    }

    later = D(2024, 7, 1)
    fireworks = Sector.objects.get(town=register.town, name="烟花爆竹")
    from yigang.org.models import Portfolio, Supervision, Tenure

    actions.end_supervision(
        supervision=Supervision.objects.get(sector=fireworks, unit__name="平安建设办公室"),
        end=later - datetime.timedelta(days=1),
        actor=None,
    )
    actions.add_supervision(sector=fireworks, unit=register.units["交警中队"], start=later, actor=None)
    actions.end_tenure(
        tenure=Tenure.objects.get(post=register.posts["镇党委书记"], end__isnull=True),
        end=later - datetime.timedelta(days=1),
        actor=None,
    )
    actions.end_portfolio(
        portfolio=Portfolio.objects.get(unit=register.units["交警中队"], end__isnull=True),
        end=later - datetime.timedelta(days=1),
        actor=None,
    )
    actions.reorganise(
        town=register.town,
        kind="rename",
        effective=later,
        sources=[register.units["巴音敖包嘎查"]],
        results=["巴音敖包社区"],
        actor=None,
    )
    shop.refresh_from_db()
    assert shop.village is not None and shop.village.name == "巴音敖包社区"  # the reorganisation moved it
    places = [None, register.units["巴音敖包嘎查"], shop]
    after = {(s, p.pk if p else None): _chain(register, s, p, day).as_dict() for s in sectors for p in places}
    assert after == before
    assert _chain(register, "烟花爆竹", None, later).as_dict() != before[("烟花爆竹", None)]


def test_a_county_body_does_not_dirty_the_register_check(register: Register) -> None:
    from yigang.org.lint import lint_town

    before = lint_town(register.town, D(2024, 6, 1))
    county = actions.add_unit(town=register.town, name="乌审旗应急管理局", kind=UnitKind.COUNTY, actor=None)
    fireworks = Sector.objects.get(town=register.town, name="烟花爆竹")
    actions.add_supervision(sector=fireworks, unit=county, start=D(2024, 1, 1), actor=None)
    after = lint_town(register.town, D(2024, 6, 1))
    assert after.overlaps == before.overlaps
    assert "乌审旗应急管理局" not in after.bodies_without_head + after.bodies_without_portfolio


def test_the_whole_town_chain_links_to_each_enterprise_s_own_chain(
    register: Register, users: dict[str, Any], login: Any
) -> None:
    shop = _enterprise(register, head="苏和")
    fireworks = Sector.objects.get(town=register.town, name="烟花爆竹")
    page = login(users["county_viewer"]).get(
        reverse("org:chain"), {"sector": fireworks.pk, "at": "2024-06-01"}
    )
    assert f"?sector={fireworks.pk}&amp;place={shop.pk}&amp;at=2024-06-01" in page.content.decode()
