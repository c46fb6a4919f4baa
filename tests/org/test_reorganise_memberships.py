"""An account scoped to a unit follows that unit through a reorganisation: staff of a renamed, merged or split
body, or of a merged village, keep reading and recording their part under the successor's name."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from yigang.org import actions
from yigang.org.models import Unit
from yigang.towns.models import Membership
from yigang.towns.scope import Scope

from .conftest import Register

pytestmark = pytest.mark.django_db
EFFECTIVE = datetime.date(2024, 7, 1)


def _staff(reg: Register, user: Any, unit: str) -> Membership:
    membership = Membership.objects.get(user=user, town=reg.town)
    membership.unit = reg.units[unit]
    membership.save(update_fields=["unit"])
    return membership


def _reorganise(reg: Register, kind: str, sources: list[str], results: list[str]) -> Any:
    return actions.reorganise(
        town=reg.town,
        kind=kind,
        effective=EFFECTIVE,
        sources=[Unit.objects.get(town=reg.town, name=n, active=True) for n in sources],
        results=results,
        actor=reg.officer,
    )


def test_a_rename_moves_the_staff_to_the_new_name(register: Register, users: dict[str, Any]) -> None:
    membership = _staff(register, users["body_staff"], "综合行政执法局")
    change = _reorganise(register, "rename", ["综合行政执法局"], ["综合行政执法大队"])
    membership.refresh_from_db()
    assert membership.unit is not None and membership.unit.name == "综合行政执法大队"
    assert change.details["memberships"] == [
        {"user": users["body_staff"].username, "from": "综合行政执法局", "to": "综合行政执法大队"}
    ]
    scope = Scope.for_user(users["body_staff"])
    assert scope.unit_ids == frozenset({membership.unit.pk})
    vehicles = register.units["综合行政执法局"].supervisions.order_by("id").first().sector_id
    assert vehicles is not None and scope.covers(
        town=register.town, sector=vehicles
    )  # a sector the successor supervises


def test_a_merger_moves_every_source_s_staff_and_a_carrying_unit_keeps_its_own(
    register: Register, users: dict[str, Any]
) -> None:
    first = _staff(register, users["body_staff"], "社会事务办公室")
    second = _staff(register, users["village_staff"], "党群服务中心")  # a body's staff, for this test
    _reorganise(register, "merge", ["社会事务办公室", "党群服务中心"], ["社会事务办公室"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.unit == register.units["社会事务办公室"]  # carries on: nothing to move
    assert second.unit == register.units["社会事务办公室"]


def test_a_split_moves_the_staff_to_the_result_that_takes_the_posts(
    register: Register, users: dict[str, Any]
) -> None:
    membership = _staff(register, users["body_staff"], "平安建设办公室")
    _reorganise(register, "split", ["平安建设办公室"], ["社会治安办公室", "应急管理办公室"])
    membership.refresh_from_db()
    assert membership.unit is not None and membership.unit.name == "社会治安办公室"


def test_a_village_merger_moves_the_village_staff(register: Register, users: dict[str, Any]) -> None:
    membership = _staff(register, users["village_staff"], "巴音敖包嘎查")
    _reorganise(register, "merge", ["乌审召嘎查", "巴音敖包嘎查"], ["乌审召联合嘎查"])
    membership.refresh_from_db()
    assert membership.unit is not None and membership.unit.name == "乌审召联合嘎查"
    assert Scope.for_user(users["village_staff"]).village_ids == frozenset({membership.unit.pk})
