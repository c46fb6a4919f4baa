"""The tree of regions (province → 盟市 → 旗县, issue 25) read once, and which of its regions a viewer may open.

The whole tree is one query: a province holds some hundred counties, the country a few thousand, so walking it in
memory keeps every page flat in the number of queries whatever the depth. A county is known to towns by its name
(`Town.county`); a county named by towns but with no Region row is a county with no 盟市 — only a viewer of that
county by name reaches it, never a region's viewer (it lies under no region).

A viewer sits where their county-viewer memberships put them: at regions (`Membership.region`) and at counties by
name (`Membership.county`). They may open a region at or below one of theirs, and their own counties' Regions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import Membership, Region, RegionLevel, Role, Town

LEVEL_BELOW = {
    RegionLevel.PROVINCE: RegionLevel.PREFECTURE,
    RegionLevel.PREFECTURE: RegionLevel.COUNTY,
}


@dataclass(frozen=True)
class Tree:
    """Every Region, by id, with its children."""

    regions: dict[int, Region]

    @classmethod
    def load(cls) -> Tree:
        return cls({r.pk: r for r in Region.objects.order_by("name")})

    def by_code(self, code: str) -> Region | None:
        return next((r for r in self.regions.values() if r.code == code), None)

    def county(self, name: str) -> Region | None:
        """The county Region of that name (unique among counties), None for a county with no Region row."""
        return next(
            (r for r in self.regions.values() if r.level == RegionLevel.COUNTY and r.name == name), None
        )

    def chain(self, region: Region) -> list[Region]:
        """From the top down to `region` itself."""
        found = [region]
        while found[0].parent_id is not None and found[0].parent_id in self.regions and len(found) < 4:
            found.insert(0, self.regions[found[0].parent_id])
        return found

    def children(self, region: Region) -> list[Region]:
        return [r for r in self.regions.values() if r.parent_id == region.pk]

    def counties_under(self, region: Region) -> list[Region]:
        """The county Regions at or below `region`."""
        return [r for r in self.regions.values() if r.level == RegionLevel.COUNTY and region in self.chain(r)]

    def child_toward(self, region: Region, county: Region) -> Region | None:
        """The child of `region` on the way down to `county` (None if the county is not below it)."""
        chain = self.chain(county)
        if region not in chain[:-1]:
            return None
        return chain[chain.index(region) + 1]


@dataclass(frozen=True)
class Sight:
    """Where a viewer sits as a county viewer: regions (ids) and counties by name."""

    regions: frozenset[int]
    counties: frozenset[str]

    @classmethod
    def of(cls, user: Any) -> Sight:
        if not getattr(user, "is_authenticated", False):
            return cls(frozenset(), frozenset())
        rows = Membership.objects.filter(user_id=user.pk, role=Role.COUNTY_VIEWER).values_list(
            "region_id", "county"
        )
        regions = frozenset(region for region, _county in rows if region is not None)
        counties = frozenset(county for region, county in rows if region is None and county)
        return cls(regions, counties)

    def __bool__(self) -> bool:
        return bool(self.regions or self.counties)

    def may_open(self, tree: Tree, region: Region) -> bool:
        if self.may_open_above(tree, region):
            return True
        return region.level == RegionLevel.COUNTY and region.name in self.counties

    def tops(self, tree: Tree) -> list[Region | str]:
        """The highest places the viewer sits at, by name: their regions not under another of theirs, then their
        counties by name not under those (a county's Region if it has one, else its bare name)."""
        mine = [tree.regions[pk] for pk in self.regions if pk in tree.regions]
        found: list[Region | str] = [
            r for r in mine if not any(a.pk in self.regions for a in tree.chain(r)[:-1])
        ]
        for name in sorted(self.counties):
            county = tree.county(name)
            if county is None:
                found.append(name)
            elif not self.may_open_above(tree, county):
                found.append(county)
        found.sort(key=lambda r: r if isinstance(r, str) else r.name)
        return found

    def may_open_above(self, tree: Tree, region: Region) -> bool:
        """Whether one of the viewer's regions lies above `region` (or is it)."""
        return any(r.pk in self.regions for r in tree.chain(region))

    def crumbs(self, tree: Tree, region: Region) -> list[Region]:
        """The levels from the top the viewer may open down to `region`."""
        return [r for r in tree.chain(region) if self.may_open(tree, r)]


def town_crumbs(user: Any, town: Town) -> list[Region]:
    """The levels above a town's page the viewer may open (none for a town's own people): two queries."""
    sight = Sight.of(user)
    if not sight:
        return []
    tree = Tree.load()
    found = tree.county(town.county) if town.county else None
    return sight.crumbs(tree, found) if found is not None else []
