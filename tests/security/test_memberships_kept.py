"""A user's memberships are read once a request (towns.models.memberships_kept) and answer `has_role` and
`user_towns` exactly as the database queries they replace; a membership saved during the request is seen at once."""

from __future__ import annotations

from typing import Any

import pytest

from yigang.towns.models import (
    MANAGE_ROLES,
    NARROW_ROLES,
    READ_ROLES,
    WHOLE_TOWN_ROLES,
    Membership,
    Role,
    has_role,
    memberships_kept,
    towns_for,
    user_towns,
)

pytestmark = pytest.mark.django_db


def test_has_role_answers_as_the_towns_query_for_every_user_town_and_role_set(
    users: dict[str, Any], town: Any, other_town: Any, far_town: Any, make_user: Any
) -> None:
    mixed = make_user("mixed", Role.BODY_STAFF, town)  # body staff here, officer in the other town
    Membership.objects.create(user=mixed, role=Role.OFFICER, town=other_town)
    everyone = [*users.values(), mixed]
    for roles in (READ_ROLES, WHOLE_TOWN_ROLES, NARROW_ROLES, MANAGE_ROLES, frozenset({Role.COUNTY_VIEWER})):
        for user in everyone:
            by_query = list(towns_for(user, roles).order_by("name"))
            assert user_towns(user, roles) == by_query, (user.username, sorted(roles))
            for place in (town, other_town, far_town):
                expected = towns_for(user, roles).filter(pk=place.pk).exists()
                assert has_role(user, place, roles) is expected, (user.username, place.code, sorted(roles))
                with memberships_kept():
                    assert has_role(user, place, roles) is expected
    county = users["county_viewer"]
    assert has_role(county, other_town, READ_ROLES) and not has_role(county, far_town, READ_ROLES)


def test_a_membership_saved_during_the_request_is_seen_at_once(
    users: dict[str, Any], town: Any, other_town: Any, django_assert_num_queries: Any
) -> None:
    officer = users["officer"]
    with memberships_kept():
        assert not has_role(officer, other_town, MANAGE_ROLES)
        assert [t.code for t in user_towns(officer)] == [town.code]
        with django_assert_num_queries(0):  # kept
            assert not has_role(officer, other_town, MANAGE_ROLES)
            user_towns(officer)
        Membership.objects.create(user=officer, role=Role.OFFICER, town=other_town)
        assert has_role(officer, other_town, MANAGE_ROLES)
        assert {t.code for t in user_towns(officer)} == {town.code, other_town.code}
        Membership.objects.filter(user=officer, town=other_town).get().delete()
        assert not has_role(officer, other_town, MANAGE_ROLES)


def test_outside_a_request_nothing_is_kept(users: dict[str, Any], other_town: Any) -> None:
    officer = users["officer"]
    assert not has_role(officer, other_town, MANAGE_ROLES)
    Membership.objects.bulk_create(
        [Membership(user=officer, role=Role.OFFICER, town=other_town)]
    )  # no signal
    assert has_role(officer, other_town, MANAGE_ROLES)
