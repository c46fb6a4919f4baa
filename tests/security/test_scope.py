"""Scope: which towns, units, sectors and villages each role reaches, and what it may change."""

from __future__ import annotations

from typing import Any

import pytest

from yigang.org.models import Supervision
from yigang.regulations.models import Regulation
from yigang.towns.models import TownScopedQuerySet, memberships_kept
from yigang.towns.scope import Scope

pytestmark = pytest.mark.django_db


class PartOfTown(TownScopedQuerySet[Any]):
    """Supervision rows scoped as a record that names a unit and a sector (as duty records will)."""

    unit_field = "unit"
    sector_field = "sector"


def _narrow(user: Any) -> set[int]:
    return set(PartOfTown(model=Supervision).for_user(user).values_list("pk", flat=True))


def test_each_role_reads_writes_and_administers_what_the_model_says(world: Any, far_town: Any) -> None:
    u, town, other = world.users, world.town, world.other_town
    officer, leader, county = (Scope.for_user(u[r]) for r in ("officer", "leader", "county_viewer"))
    assert officer.can_read(town) and officer.can_write(town) and officer.sees_whole(town)
    assert not officer.can_read(other) and not officer.can_admin(town)
    assert leader.can_read(town) and not leader.can_write(town) and leader.can_write_own(town)
    assert county.town_ids == {town.pk, other.pk}  # the county, not the far town
    assert not county.can_write_own(town) and not county.can_read(far_town)
    admin = Scope.for_user(u["sysadmin"])
    assert admin.town_ids == frozenset() and admin.can_admin(town) and admin.is_sysadmin
    assert list(Scope.for_user(u["nobody"]).towns) == []


def test_body_staff_reach_their_unit_and_the_sectors_it_supervises(world: Any) -> None:
    scope = Scope.for_user(world.users["body_staff"])
    supervised = set(Supervision.objects.filter(unit=world.body).values_list("sector_id", flat=True))
    assert scope.unit_ids == {world.body.pk} and scope.sector_ids == supervised and supervised
    assert not scope.sees_whole(world.town) and scope.can_write_own(world.town)
    rows = Supervision.objects.filter(town=world.town)
    expected = {s.pk for s in rows if s.unit_id == world.body.pk or s.sector_id in supervised}
    assert _narrow(world.users["body_staff"]) == expected
    assert expected != set(rows.values_list("pk", flat=True))  # genuinely narrower than the town


def test_village_staff_reach_their_village(world: Any) -> None:
    # A row that names the village as its unit (org's actions refuse a village as a supervisor, so the row is
    # made directly: this tests the scoping filter, not the register's rules).
    mine = Supervision.objects.create(town=world.town, sector=world.sector, unit=world.village, scope="村内")
    scope = Scope.for_user(world.users["village_staff"])
    assert scope.village_ids == {world.village.pk} and scope.unit_ids == frozenset()
    assert _narrow(world.users["village_staff"]) == {mine.pk}


def test_the_queryset_filter_and_the_materialised_scope_agree(world: Any) -> None:
    for role in (
        "officer",
        "leader",
        "body_staff",
        "village_staff",
        "county_viewer",
        "sysadmin",
        "other_officer",
    ):
        user = world.users[role]
        scope = Scope.for_user(user)
        covered = {
            s.pk
            for s in Supervision.objects.all()
            if scope.covers(town=s.town_id, unit=s.unit_id, sector=s.sector_id)
        }
        assert _narrow(user) == covered, role


def test_town_wide_reference_data_is_read_by_every_reading_role(world: Any) -> None:
    for role in ("officer", "leader", "body_staff", "village_staff", "county_viewer"):
        assert Regulation.objects.for_user(world.users[role]).filter(pk=world.regulation.pk).exists(), role
    for role in ("sysadmin", "other_officer", "nobody"):
        assert not Regulation.objects.for_user(world.users[role]).exists(), role


def test_scoping_a_list_costs_no_extra_query(world: Any, django_assert_num_queries: Any) -> None:
    with memberships_kept():  # as in a request: the user's memberships and towns are read once
        list(PartOfTown(model=Supervision).for_user(world.users["body_staff"]))
        with django_assert_num_queries(1):
            list(PartOfTown(model=Supervision).for_user(world.users["body_staff"]))
