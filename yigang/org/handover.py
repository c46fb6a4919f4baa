"""What a body handed over and took over in reorganisations, for its 责任清单 (see regulations.duty_list)."""

from __future__ import annotations

import datetime
from typing import Any

from yigang.regulations.duty_list import Handover

from .models import Supervision, Unit

ONE_DAY = datetime.timedelta(days=1)


def body_handovers(unit: Unit | None, day: datetime.date) -> dict[str, Any]:
    """``handed_over`` and ``taken_over`` for ``build_duty_list``, as of ``day``; ``{}`` without a unit.

    A body is known by its name (a rename is a new body). A supervision it held ended, and on the next day the
    same sector and scope passed to a body of another name: handed over. The reverse: taken over.
    """
    if unit is None:
        return {}
    mine = Supervision.objects.filter(town_id=unit.town_id, unit__name=unit.name).select_related("sector")
    others = Supervision.objects.filter(town_id=unit.town_id).exclude(unit__name=unit.name)
    handed: list[Handover] = []
    for ended in mine.filter(end__isnull=False, end__lt=day):
        after = (
            others.at(day)
            .filter(sector_id=ended.sector_id, scope=ended.scope, start=ended.end + ONE_DAY)
            .select_related("unit")
            .first()
        )
        if (
            after is not None
            and not mine.at(day).filter(sector_id=ended.sector_id, scope=ended.scope).exists()
        ):
            handed.append(
                Handover(ended.sector.name, ended.scope, after.unit.name, after.start, ended.source)
            )
    taken: list[Handover] = []
    for current in mine.at(day).filter(start__isnull=False):
        before = (
            others.filter(sector_id=current.sector_id, scope=current.scope, end=current.start - ONE_DAY)
            .select_related("unit")
            .first()
        )
        if before is not None:
            taken.append(
                Handover(current.sector.name, current.scope, before.unit.name, current.start, before.source)
            )
    return {"handed_over": handed, "taken_over": taken}
