"""Apps whose stored dates were counted on the working calendar register a recompute here.

The calendar is low in the house and imports no domain app; an app that keeps deadlines counted in working days
(hazards) registers, in its AppConfig.ready(), a function that `actions.enter_year` calls inside its transaction
with the towns the entry applies to, the year, and the actor. Each returns what it changed, for the audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Recompute = Callable[..., list[dict[str, Any]]]

_registered: dict[str, Recompute] = {}


def register(name: str, fn: Recompute) -> None:
    _registered[name] = fn


def registered() -> dict[str, Recompute]:
    return dict(_registered)
