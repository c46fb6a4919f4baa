"""The demo town shows the whole chain: an enterprise's legal representative first, the county body at the top."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_demo_chain_runs_from_the_enterprise_to_the_county() -> None:
    from yigang.org.chain import Role, build_chain
    from yigang.org.lint import lint_town
    from yigang.org.models import Sector, Unit

    call_command("demo", "--quiet", stdout=StringIO())
    shop = Unit.objects.get(name="巴音敖包烟花爆竹零售点")
    fireworks = Sector.objects.get(town=shop.town, name="烟花爆竹")
    chain = build_chain(sector=fireworks, place=shop, at=D(2024, 9, 1))
    roles = [link.role for link in chain.links]
    assert roles[0] == Role.ENTERPRISE and chain.links[0].person == "苏和"
    assert roles[1] == Role.TERRITORY and chain.links[1].person == "巴特尔"
    assert roles[-1] == Role.COUNTY and chain.links[-1].unit == "乌审旗应急管理局"
    assert next(link for link in chain.links if link.role == Role.SECTOR).unit == "应急管理办公室"
    # The 政法委员's portfolios put him in the chain of 消防 (公安派出所, 镇党政综合办公室) and not of 烟花爆竹.
    fire = build_chain(sector=Sector.objects.get(town=shop.town, name="消防"), place=None, at=D(2024, 9, 1))
    assert "刘志刚" in [link.person for link in fire.links if link.role == Role.PORTFOLIO]
    assert "刘志刚" not in [link.person for link in chain.links]
    solar = Unit.objects.get(name="敖包图光伏电站")
    unrecorded = build_chain(sector=solar.sector, place=solar, at=D(2024, 9, 1))  # type: ignore[arg-type]
    assert any("未登记法定代表人" in w for w in unrecorded.warnings)
    report = lint_town(shop.town)
    assert (report.vacant_posts, report.bodies_without_head, report.bodies_without_portfolio) == ([], [], [])
