"""Regions above the county (issue 25.1): a viewer of a 盟市 or a province reads every town of the counties below."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from yigang.towns.models import (
    Membership,
    Region,
    RegionLevel,
    Role,
    counties_under,
    memberships_kept,
    roles_in,
    towns_for,
    user_towns,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, Region]:
    province = Region.objects.create(code="nmg", name="内蒙古自治区", level=RegionLevel.PROVINCE)
    ordos = Region.objects.create(
        code="ordos", name="鄂尔多斯市", level=RegionLevel.PREFECTURE, parent=province
    )
    baotou = Region.objects.create(
        code="baotou", name="包头市", level=RegionLevel.PREFECTURE, parent=province
    )
    wushen = Region.objects.create(code="wushen", name="乌审旗", level=RegionLevel.COUNTY, parent=ordos)
    other = Region.objects.create(code="bieqi", name="别的旗", level=RegionLevel.COUNTY, parent=baotou)
    return {"province": province, "ordos": ordos, "baotou": baotou, "wushen": wushen, "other": other}


def _viewer(region: Region) -> Any:
    user = get_user_model().objects.create_user(username=f"v-{region.code}", password="Test-pass-123")
    Membership.objects.create(user=user, role=Role.COUNTY_VIEWER, region=region)
    return user


def test_counties_under_each_level(tree: dict[str, Region]) -> None:
    def names(region: Region) -> set[str]:
        return set(counties_under([region.pk]).values_list("name", flat=True))

    assert names(tree["province"]) == {"乌审旗", "别的旗"}
    assert names(tree["ordos"]) == {"乌审旗"}
    assert names(tree["wushen"]) == {"乌审旗"}


def test_a_prefecture_viewer_reads_the_towns_of_its_counties_only(
    tree: dict[str, Region], town: Any, other_town: Any, far_town: Any
) -> None:
    ordos = _viewer(tree["ordos"])
    assert set(towns_for(ordos)) == {town, other_town}
    assert set(user_towns(ordos)) == {town, other_town}
    assert roles_in(ordos, town) == {Role.COUNTY_VIEWER}
    assert roles_in(ordos, far_town) == set()

    province = _viewer(tree["province"])
    assert set(towns_for(province)) == {town, other_town, far_town}
    with memberships_kept():  # the request's kept answer agrees with the query
        assert {t.pk for t in user_towns(province)} == {town.pk, other_town.pk, far_town.pk}


def test_a_region_viewer_writes_nothing(tree: dict[str, Region], town: Any) -> None:
    from yigang.towns.models import MANAGE_ROLES, OWN_RECORD_ROLES

    viewer = _viewer(tree["province"])
    assert not towns_for(viewer, MANAGE_ROLES).exists()
    assert not towns_for(viewer, OWN_RECORD_ROLES).exists()


def test_a_county_name_is_one_county(tree: dict[str, Region]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="dup", name="乌审旗", level=RegionLevel.COUNTY, parent=tree["baotou"])


def test_a_membership_names_a_town_a_county_or_a_region(make_user: Callable[..., Any]) -> None:
    user = make_user("nobody", None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.COUNTY_VIEWER)
