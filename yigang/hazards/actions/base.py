"""What every hazard write shares: the moment events are dated at, who acted, the event row, the locked hazard."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from ..models import Hazard, HazardEvent

# The moment events are dated at: now, except while the demo loader replays a past year (`backdated`). Never
# set by a view, the API or the CLI: an event's date is when it was recorded.
_moment: ContextVar[datetime.datetime | None] = ContextVar("hazard_event_moment", default=None)


def _now() -> datetime.datetime:
    return _moment.get() or timezone.now()


@contextmanager
def backdated(moment: datetime.datetime) -> Iterator[None]:
    """Date the events written inside the block at `moment` (the demo loader's replay of a past year)."""
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)


@dataclass
class Upload:
    file: IO[bytes]
    name: str


def _name(actor: Any) -> str:
    if not getattr(actor, "is_authenticated", False):
        return "系统"
    person = getattr(actor, "person", None)
    return person.name if person is not None else actor.get_username()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(hazard: Hazard, kind: str, actor: Any, note: str = "", **details: Any) -> HazardEvent:
    return HazardEvent.objects.create(
        town_id=hazard.town_id,
        hazard=hazard,
        kind=kind,
        at=_now(),
        actor=_user(actor),
        actor_name=_name(actor),
        note=note,
        details=details,
    )


def _require(hazard: Hazard, allowed: Sequence[str], what: str) -> None:
    if hazard.status not in allowed:
        raise ValidationError(f"隐患当前状态为“{hazard.get_status_display()}”，不能{what}。")


def _reason(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(f"请填写{what}。")
    if len(text) > 2000:
        raise ValidationError(f"{what}不能超过 2000 个字。")
    return text


def _locked(hazard: Hazard) -> Hazard:
    return Hazard.objects.select_for_update().select_related("town", "owner_unit").get(pk=hazard.pk)
