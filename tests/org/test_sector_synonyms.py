"""Sector synonyms (issue 8, point 6): two bodies over the same ground under two names are flagged by the lint."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from yigang.audit.models import AuditEntry
from yigang.org import actions
from yigang.org.lint import lint_town
from yigang.org.models import Sector, Unit

pytestmark = pytest.mark.django_db


def _flagged(town: Any) -> dict[str, set[str]]:
    return {o.sector: {b["unit"] for b in o.bodies} for o in lint_town(town).synonym_overlaps}


def test_the_seed_flags_roads_inside_road_traffic(regulation: Any, town: Any) -> None:
    # 乡村振兴办 supervises 道路 (Art. 12 item 4); 平安建设办 and 交警中队 supervise 道路交通.
    assert _flagged(town)["道路 ⊂ 道路交通"] == {"乡村振兴办公室", "平安建设办公室", "交警中队"}


def test_the_seed_keeps_the_town_offices_own_fire_safety_apart(regulation: Any, town: Any) -> None:
    own = Sector.objects.get(town=town, name="机关内部")
    assert set(own.supervisions.values_list("unit__name", "scope")) == {
        ("镇党政综合办公室", "机关设施"),
        ("镇党政综合办公室", "消防"),
        ("镇党政综合办公室", "用电"),
        ("镇党政综合办公室", "公务用车"),
    }
    assert not Sector.objects.filter(town=town, name__in=["用电", "公务用车", "机关设施"]).exists()
    assert not any("机关内部" in label for label in _flagged(town))


def test_built_in_synonyms_are_flagged(regulation: Any, town: Any, users: dict[str, Any]) -> None:
    officer = users["officer"]
    firecrackers = actions.add_sector(town=town, name="烟花鞭炮", actor=officer)
    police = Unit.objects.get(town=town, name="公安派出所")
    actions.add_supervision(sector=firecrackers, unit=police, actor=officer)
    [label] = [k for k in _flagged(town) if "烟花鞭炮" in k]
    assert "烟花爆竹" in label and "＝" in label
    assert _flagged(town)[label] == {"公安派出所", "平安建设办公室"}


def test_the_same_body_under_both_names_is_no_overlap(
    regulation: Any, town: Any, users: dict[str, Any]
) -> None:
    officer = users["officer"]
    firecrackers = actions.add_sector(town=town, name="烟花鞭炮", actor=officer)
    safety = Unit.objects.get(town=town, name="平安建设办公室")
    actions.add_supervision(sector=firecrackers, unit=safety, actor=officer)
    assert not [k for k in _flagged(town) if "烟花鞭炮" in k]


def test_the_towns_own_synonyms_and_wider_sectors(regulation: Any, town: Any, users: dict[str, Any]) -> None:
    officer = users["officer"]
    rural = Unit.objects.get(town=town, name="乡村振兴办公室")
    city = Unit.objects.get(town=town, name="城市管理办公室")
    solar = actions.add_sector(town=town, name="光伏电站", actor=officer)
    pv = actions.add_sector(town=town, name="分布式光伏", synonyms="屋顶光伏", actor=officer)
    actions.add_supervision(sector=solar, unit=city, actor=officer)
    actions.add_supervision(sector=pv, unit=rural, actor=officer)
    assert not [k for k in _flagged(town) if "光伏" in k]  # nothing says they are the same ground

    actions.set_sector_words(sector=solar, synonyms="屋顶光伏、 光伏电站", broader=None, actor=officer)
    solar.refresh_from_db()
    assert solar.synonyms == "屋顶光伏"  # its own name and blanks are dropped
    assert _flagged(town)["光伏电站 ＝ 分布式光伏"] == {"城市管理办公室", "乡村振兴办公室"}

    power = Sector.objects.get(town=town, name="电力")  # 乡村振兴办, Art. 12 item 4
    actions.set_sector_words(sector=solar, synonyms="", broader=power, actor=officer)
    flagged = _flagged(town)
    assert flagged["光伏电站 ⊂ 电力"] == {"城市管理办公室", "乡村振兴办公室"}
    assert "光伏电站 ＝ 分布式光伏" not in flagged
    entry = AuditEntry.objects.filter(event="org.sector.words").latest("id")
    assert entry.changes["broader"] == [None, "电力"]


def test_a_sector_cannot_be_part_of_itself(regulation: Any, town: Any, users: dict[str, Any]) -> None:
    road = Sector.objects.get(town=town, name="道路")
    traffic = Sector.objects.get(town=town, name="道路交通")
    actions.set_sector_words(sector=road, synonyms="", broader=traffic, actor=users["officer"])
    with pytest.raises(ValidationError, match="不能反过来设置"):
        actions.set_sector_words(sector=traffic, synonyms="", broader=road, actor=users["officer"])
    traffic.refresh_from_db()
    assert traffic.broader is None


def test_the_officer_sets_synonyms_on_the_sectors_page(
    regulation: Any, town: Any, users: dict[str, Any], login: Any
) -> None:
    client = login(users["officer"])
    sector = Sector.objects.get(town=town, name="天然气")
    page = client.get(reverse("org:sectors"))
    assert reverse("org:sector_words", args=[sector.pk]) in page.content.decode()
    response = client.post(reverse("org:sector_words", args=[sector.pk]), {"synonyms": "燃气、液化气"})
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.synonyms == "燃气、液化气"
    lint = client.get(reverse("org:lint")).content.decode()
    assert "道路 ⊂ 道路交通" in lint
