"""What the register of places (监管对象台账) tells the routing, without hazards importing it.

The places app sits above hazards (docs/architecture.md), so it registers two functions here at start-up
(PlacesConfig.ready), as it registers its route table with `org.lint.register_route_source`:

- a place source: the place under supervision that an enterprise unit is (`Place.unit`) on a day, with its
  legal representative, safety manager, phones and type — who bears 主体责任 and rectifies;
- a route source: the town's table `PlaceRoute` in force on a day (sector, place type or blank for every
  place of the sector, body) — who a sector no body heads goes to.

Nothing registered (hazards alone, or a test without the places app): no place, no routes, and the routing is
what it was before places existed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from yigang.hooks import Hooks


@dataclass(frozen=True)
class PlaceFacts:
    """A registered place as the routing needs it."""

    place_id: int
    name: str
    kind: str
    kind_label: str
    legal_representative: str
    legal_representative_phone: str
    safety_manager: str
    safety_manager_phone: str


@dataclass(frozen=True)
class PlaceRouteRow:
    """One line of the town's table: places of `kind` ("" for every place) of the sector go to the unit."""

    sector_id: int
    kind: str
    kind_label: str  # the type in words ("该领域所有场所" for a blank type)
    unit_id: int


# `source(unit, day)`: the place the enterprise unit is, open on the day, or None.
place_sources: Hooks[[Any, datetime.date], PlaceFacts | None] = Hooks()
register_place_source = place_sources.register
place_of = place_sources.first

# `source(town, day)`: the place-type routes in force on the day.
route_tables: Hooks[[Any, datetime.date], list[PlaceRouteRow]] = Hooks()
register_route_table = route_tables.register


def routes_of(town: Any, day: datetime.date) -> list[PlaceRouteRow]:
    return [row for rows in route_tables.each(town, day) for row in rows]
