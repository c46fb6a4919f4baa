"""Who reads and keeps a level's own regulation (issue 25.5): the Regions a user sits at or above.

A county viewer (a membership with `county`, the county Region's name) sits at that county; a region viewer
(a membership with `region`) sits at its region, and both reach every Region below. They write nothing in the
towns, but the level's own regulation is theirs: reading and keeping it go by the same set.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from yigang.towns.models import Membership, Region, RegionLevel, Role, Town, counties_under

# The roles of a level's own people; a system administrator with a county keeps accounts, not regulations.
REGION_ROLES = frozenset({Role.COUNTY_VIEWER})


def regions_for(user: Any) -> QuerySet[Region]:
    """Every Region the user sits at or above."""
    if not getattr(user, "is_authenticated", False):
        return Region.objects.none()
    memberships = Membership.objects.filter(user_id=user.pk, role__in=REGION_ROLES)
    counties = memberships.exclude(county="").values("county")
    seats = memberships.filter(region__isnull=False).values("region")
    return Region.objects.filter(
        Q(level=RegionLevel.COUNTY, name__in=counties)
        | Q(pk__in=seats)
        | Q(parent__in=seats)
        | Q(parent__parent__in=seats)
    )


def region_for_user(user: Any, code: str) -> Region:
    """The Region of that code if the user sits at or above it; otherwise a 404 that confirms nothing."""
    region = regions_for(user).filter(code=code).first()
    if region is None:
        raise Http404
    return region


def towns_below(region: Region) -> QuerySet[Town]:
    """The towns of every county at or below the region."""
    return Town.objects.filter(county__in=counties_under([region.pk]).values("name")).order_by(
        "county", "name"
    )


def regions_above(town: Town) -> list[Region]:
    """The Regions a town lies under, nearest first: its county, the county's 盟市, the province."""
    county = Region.objects.filter(level=RegionLevel.COUNTY, name=town.county).select_related(
        "parent__parent"
    )
    found = county.first()
    chain: list[Region] = []
    while found is not None:
        chain.append(found)
        found = found.parent
    return chain
