"""No sector without a head: the register check names them, and the town's place-type table settles them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from yigang.org.lint import lint_town
from yigang.places import actions

from .conftest import D

pytestmark = pytest.mark.django_db


def _headless(world: SimpleNamespace) -> dict[str, object]:
    report = lint_town(world.town, D(2025, 6, 1))
    return {h.sector: (h.reason, h.covered) for h in report.headless_sectors}


def test_unsupervised_and_partly_supervised_sectors_are_errors(world: SimpleNamespace) -> None:
    found = _headless(world)
    # 危险化学品 and 道路交通: no body. 消防: the police station only for 九小场所, the rest the 安委办's alone.
    assert found == {
        "危险化学品": ("unsupervised", False),
        "道路交通": ("unsupervised", False),
        "消防": ("partial", False),
    }
    report = lint_town(world.town, D(2025, 6, 1))
    assert not report.clean
    fire = next(h for h in report.headless_sectors if h.sector == "消防")
    assert fire.reason_label == "仅部分范围有监管单位（公安派出所（九小场所）），其余无行业监管单位负责"


def test_a_body_without_a_head_seat_leaves_its_sector_headless(world: SimpleNamespace) -> None:
    from yigang.org import actions as org

    office = org.add_unit(town=world.town, name="交警中队", actor=None)
    org.add_supervision(sector=world.roads, unit=office, actor=None)
    assert _headless(world)["道路交通"] == ("no_head", False)


def test_a_route_of_every_place_type_settles_the_sector_a_type_route_does_not(world: SimpleNamespace) -> None:
    officer = world.users["officer"]
    actions.add_route(
        sector=world.fire, kind="small_venue", unit=world.police, start=D(2025, 1, 1), actor=officer
    )
    report = lint_town(world.town, D(2025, 6, 1))
    fire = next(h for h in report.headless_sectors if h.sector == "消防")
    assert (fire.covered, [r["unit"] for r in fire.routes]) == (False, ["公安派出所"])
    actions.add_route(sector=world.fire, kind="", unit=world.police, start=D(2025, 1, 1), actor=officer)
    assert _headless(world)["消防"] == ("partial", True)
    # Before the route's start it is still an error.
    early = lint_town(world.town, D(2024, 12, 31))
    assert any(h.sector == "消防" for h in early.uncovered_sectors)


def test_a_second_open_route_for_the_same_type_is_refused(world: SimpleNamespace) -> None:
    actions.add_route(
        sector=world.fire, kind="small_venue", unit=world.police, start=D(2025, 1, 1), actor=None
    )
    with pytest.raises(ValidationError, match="已有分工"):
        actions.add_route(
            sector=world.fire, kind="small_venue", unit=world.emergency, start=D(2025, 2, 1), actor=None
        )
