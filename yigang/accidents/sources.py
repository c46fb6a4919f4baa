"""What the register of places tells the accidents app about an enterprise, without accidents importing it.

The places app sits above accidents (docs/architecture.md) and registers, at start-up (PlacesConfig.ready), the
function giving the place an enterprise unit is on a day — its legal representative and safety manager with
phones — so an accident at a registered enterprise freezes the enterprise's 主体责任 with its chain. The facts
are the hazard routing's (`yigang.hazards.sources.PlaceFacts`), read here by attribute.
"""

from __future__ import annotations

import datetime
from typing import Any, Protocol

from yigang.hooks import Hooks


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


# `source(unit, day)`: the place the enterprise unit is, open on the day, or None.
place_sources: Hooks[[Any, datetime.date], EnterpriseFacts | None] = Hooks()
register_place_source = place_sources.register
place_of = place_sources.first
