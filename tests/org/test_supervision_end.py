"""A supervision is never deleted: it is ended on a date, after a confirmation, and past chains stay as they were."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from yigang.audit.models import AuditEntry
from yigang.org import actions
from yigang.org.chain import Role, build_chain
from yigang.org.models import Sector, Supervision, Unit

from .conftest import Register

pytestmark = pytest.mark.django_db
D = datetime.date


def _heads(reg: Register, sector: str, day: datetime.date) -> list[str]:
    chain = build_chain(sector=Sector.objects.get(town=reg.town, name=sector), place=None, at=day)
    return [link.unit for link in chain.links if link.role == Role.SECTOR]


def test_ending_keeps_the_record_and_every_earlier_chain(
    register: Register, users: dict[str, Any], login: Any
) -> None:
    road = Supervision.objects.get(sector__name="道路交通", unit__name="交警中队")
    before = {day: _heads(register, "道路交通", day) for day in (D(2023, 1, 1), D(2024, 6, 30))}
    assert before[D(2024, 6, 30)] == ["平安建设办公室", "交警中队"]
    client = login(users["officer"])
    url = reverse("org:supervision_end", args=[road.pk])

    # The ✕ is gone: the table links to a confirmation page, which asks for a date and a tick.
    table = client.get(reverse("org:sectors")).content.decode()
    assert url in table and "supervision_remove" not in table and "✕" not in table
    page = client.get(url).content.decode()
    assert "交警中队" in page and "不能删除" in page
    refused = client.post(url, {"end": "2024-06-30"})
    assert refused.status_code == 200 and "请勾选确认后再终止" in refused.content.decode()
    assert Supervision.objects.get(pk=road.pk).end is None

    done = client.post(url, {"end": "2024-06-30", "confirm": "on"})
    assert done.status_code == 302
    road.refresh_from_db()
    assert road.end == D(2024, 6, 30)  # still there, ended
    for day, heads in before.items():
        assert _heads(register, "道路交通", day) == heads  # the chain of every day up to the end is unchanged
    assert _heads(register, "道路交通", D(2024, 7, 1)) == ["平安建设办公室"]
    entry = AuditEntry.objects.filter(event="org.supervision.end").latest("id")
    assert entry.changes["end"] == "2024-06-30" and entry.changes["unit"] == "交警中队"
    # Once ended it cannot be ended again.
    again = client.post(url, {"end": "2024-07-30", "confirm": "on"}, follow=True)
    assert "已于2024-06-30终止" in again.content.decode()
    assert Supervision.objects.get(pk=road.pk).end == D(2024, 6, 30)


def test_an_end_before_the_start_is_refused_with_a_message(register: Register, login: Any) -> None:
    unit = Unit.objects.get(town=register.town, name="乡村振兴办公室")
    fireworks = Sector.objects.get(town=register.town, name="烟花爆竹")
    sup = actions.add_supervision(sector=fireworks, unit=unit, start=D(2024, 3, 1), actor=register.officer)
    with pytest.raises(ValidationError, match="不能早于起始日期"):
        actions.end_supervision(supervision=sup, end=D(2024, 2, 28), actor=register.officer)
    client = login(register.officer)
    page = client.post(reverse("org:supervision_end", args=[sup.pk]), {"end": "2024-02-28", "confirm": "on"})
    assert "不能早于起始日期" in page.content.decode()
    assert Supervision.objects.get(pk=sup.pk).end is None


def test_a_supervision_added_on_the_page_starts_on_its_date(register: Register, login: Any) -> None:
    """Adding a body today does not put it into the chain of days before it started."""
    unit = Unit.objects.get(town=register.town, name="乡村振兴办公室")
    fireworks = Sector.objects.get(town=register.town, name="烟花爆竹")
    before = _heads(register, "烟花爆竹", D(2024, 5, 31))
    client = login(register.officer)
    client.post(
        reverse("org:supervision_add"),
        {"sector": fireworks.pk, "unit": unit.pk, "scope": "", "start": "2024-06-01"},
    )
    assert Supervision.objects.get(sector=fireworks, unit=unit).start == D(2024, 6, 1)
    assert _heads(register, "烟花爆竹", D(2024, 5, 31)) == before
    assert _heads(register, "烟花爆竹", D(2024, 6, 1)) == [*before, "乡村振兴办公室"]
    missing = client.post(
        reverse("org:supervision_add"),
        {"sector": fireworks.pk, "unit": unit.pk, "scope": "运输"},
        follow=True,
    )
    assert "请填写起始日期" in missing.content.decode()


def test_the_table_counts_only_the_sector_bodies_as_an_overlap(register: Register, login: Any) -> None:
    """The 安委办 coordinates 消防 and a county body sits above: neither makes a sector 多头监管 on the table."""
    county = actions.add_unit(town=register.town, name="乌审旗应急管理局", kind="county", actor=None)
    mines = Sector.objects.get(town=register.town, name="非煤矿山")
    actions.add_supervision(sector=mines, unit=county, start=D(2024, 1, 1), actor=None)
    page = login(register.officer).get(reverse("org:sectors")).content.decode()
    row = page[page.index(f'id="sector-{mines.pk}"') :].split("</tr>")[0]
    assert "乌审旗应急管理局" in row and "旗县级" in row and "多头监管" not in row
    fire = Sector.objects.get(town=register.town, name="消防")
    row = page[page.index(f'id="sector-{fire.pk}"') :].split("</tr>")[0]
    assert "综合监管" in row and "多头监管" not in row  # 派出所 alone: 综合办's 消防 is 机关内部
    road = Sector.objects.get(town=register.town, name="道路交通")
    row = page[page.index(f'id="sector-{road.pk}"') :].split("</tr>")[0]
    assert "多头监管" in row  # 平安建设办 and 交警中队


def test_the_unit_page_offers_the_same_end_and_shows_ended_ones(register: Register, login: Any) -> None:
    police = register.units["交警中队"]
    road = Supervision.objects.get(sector__name="道路交通", unit=police)
    client = login(register.officer)
    url = reverse("org:supervision_end", args=[road.pk])
    assert url in client.get(reverse("org:unit", args=[police.pk])).content.decode()
    client.post(url, {"end": "2024-06-30", "confirm": "on"})
    page = client.get(reverse("org:unit", args=[police.pk])).content.decode()
    assert url not in page and "已终止" in page and "道路交通" in page
