"""What the register of places tells the accidents app about an enterprise, without accidents importing it.

The places app sits above accidents (docs/architecture.md) and registers, at start-up (PlacesConfig.ready), the
function giving the place an enterprise unit is on a day — its legal representative and safety manager with
phones — so an accident at a registered enterprise freezes the enterprise's 主体责任 with its chain. The facts
are the hazard routing's (`yigang.hazards.sources.PlaceFacts`), read here by attribute.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Protocol


class EnterpriseFacts(Protocol):
    # Read-only (properties): the facts given are frozen dataclasses.
    @property
    def name(self) -> str: ...
    @property
    def legal_representative(self) -> str: ...
    @property
    def legal_representative_phone(self) -> str: ...
    @property
    def safety_manager(self) -> str: ...
    @property
    def safety_manager_phone(self) -> str: ...


PlaceSource = Callable[[Any, datetime.date], EnterpriseFacts | None]
_place_sources: list[PlaceSource] = []


def register_place_source(source: PlaceSource) -> None:
    """`source(unit, day)`: the place the enterprise unit is, open on the day, or None."""
    if source not in _place_sources:
        _place_sources.append(source)


def place_of(unit: Any, day: datetime.date) -> EnterpriseFacts | None:
    for source in _place_sources:
        found = source(unit, day)
        if found is not None:
            return found
    return None
