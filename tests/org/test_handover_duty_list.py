"""After a split, a body's 责任清单 no longer lists the sectors it handed over (issue 8, point 6)."""

from __future__ import annotations

import datetime

import pytest

from yigang.org import actions
from yigang.org.models import Supervision, Unit
from yigang.org.profile import build_profile

from .conftest import Register

pytestmark = pytest.mark.django_db
D = datetime.date
EFFECTIVE = D(2024, 7, 1)


def _split(register: Register) -> None:
    source = Unit.objects.get(town=register.town, name="平安建设办公室")
    fireworks = Supervision.objects.get(unit=source, sector__name="烟花爆竹")
    hazchem = Supervision.objects.get(unit=source, sector__name="危险化学品")
    actions.reorganise(
        town=register.town,
        kind="split",
        effective=EFFECTIVE,
        sources=[source],
        results=["平安建设办公室", "应急管理办公室"],
        allocation={fireworks.pk: "应急管理办公室", hazchem.pk: "应急管理办公室"},
        actor=register.officer,
    )


def _own_item(register: Register, holder: str, day: datetime.date) -> list[tuple[str, str]]:
    [duty_list] = build_profile(register.person(holder), day).duty_lists
    return [(line.place, line.text) for line in duty_list.lines if line.place.startswith("第十二条")]


def test_before_the_split_the_body_lists_every_sector_of_its_item(register: Register) -> None:
    [(place, text)] = _own_item(register, "平安建设办公室主任", EFFECTIVE - datetime.timedelta(days=1))
    _split(register)  # a later change does not rewrite the list as of an earlier day
    assert place == "第十二条第7项"
    assert "烟花鞭炮" in text and "危险化学品" in text
    again = _own_item(register, "平安建设办公室主任", EFFECTIVE - datetime.timedelta(days=1))
    assert again == [(place, text)]


def test_after_the_split_the_body_no_longer_lists_what_it_handed_over(register: Register) -> None:
    _split(register)
    [(place, text)] = _own_item(register, "平安建设办公室主任", EFFECTIVE)
    assert place == "第十二条第7项"
    assert "负责生产经营企业、非煤矿山、易燃易爆、道路交通等方面的安全监管" in text
    assert "烟花鞭炮" not in text.split("（机构改革")[0]
    assert "危险化学品" not in text.split("（机构改革")[0]
    assert "负责推进安全生产法治政府工作" in text  # its other work stays as written
    assert text.endswith(
        "（机构改革：危险化学品自2024-07-01起移交应急管理办公室；烟花爆竹自2024-07-01起移交应急管理办公室）"
    )


def test_the_new_body_lists_what_it_took_over_and_not_every_bodys_item(register: Register) -> None:
    _split(register)
    head = actions.add_person(town=register.town, name="应急办主任", actor=register.officer)
    seat = Unit.objects.get(town=register.town, name="应急管理办公室").posts.get()
    actions.appoint(post=seat, person=head, start=EFFECTIVE, actor=register.officer)
    [duty_list] = build_profile(head, EFFECTIVE).duty_lists
    assert duty_list.unit_name == "应急管理办公室"
    art12 = [(line.place, line.text) for line in duty_list.lines if "安全监管" in line.text]
    assert art12 == [
        ("第十二条第7项", "负责危险化学品方面的安全监管（机构改革：自2024-07-01起由平安建设办公室移交）"),
        ("第十二条第7项", "负责烟花爆竹方面的安全监管（机构改革：自2024-07-01起由平安建设办公室移交）"),
    ]
    assert not any(
        line.place.startswith("第十二条第") and "交警中队" in line.text for line in duty_list.lines
    )
