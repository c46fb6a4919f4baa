"""The county view (yigang/overview/county_urls.py): towns side by side, read-only.

Readers of whole towns (officer, leader, county viewer) compare the towns they read; another town's officer sees
their own. Body and village staff read only part of a town, so the comparison is not theirs (404, as any page
out of scope); users without a town get 404. The region pages above the county (issue 25) are county viewers'
only: a town's own people get 404 there too.
"""

from __future__ import annotations

from typing import Any

from . import LOGIN, Expect, outcomes

_whole = {
    "officer": 200,
    "leader": 200,
    "county_viewer": 200,
    "body_staff": 404,
    "village_staff": 404,
    "sysadmin": 404,
    "auditor": 404,
    "other_sysadmin": 404,
    "nobody": 404,
    "anonymous": LOGIN,
}

PAGES = {
    "county:towns": Expect(outcomes(**_whole, other_officer=200), note="another officer sees their own town"),
    "county:towns_xlsx": Expect(outcomes(**_whole, other_officer=200)),
    "county:town": Expect(
        outcomes(**_whole, other_officer=404), kwargs=lambda w: {"pk": w.town.pk}, note="read-only drill-down"
    ),
}


# Above the county (overview/regions.py): county viewers only, at their own regions and counties. The standing
# county viewer reads 乌审旗 by name, so the 乌审旗 Region (made here, under nothing) is theirs to open.
_viewers = {
    **_whole,
    "officer": 404,
    "leader": 404,
    "other_officer": 404,
}


def _county_region(world: Any) -> dict[str, Any]:
    from yigang.towns.models import Region, RegionLevel

    region, _created = Region.objects.get_or_create(
        code="wushen", defaults={"name": world.town.county, "level": RegionLevel.COUNTY}
    )
    return {"code": region.code}


PAGES.update(
    {
        "county:regions": Expect(outcomes(**_viewers), note="the viewer's own places side by side"),
        "county:regions_xlsx": Expect(outcomes(**_viewers)),
        "county:region": Expect(outcomes(**_viewers), kwargs=_county_region, note="a region's level below"),
        "county:region_xlsx": Expect(outcomes(**_viewers), kwargs=_county_region),
    }
)
