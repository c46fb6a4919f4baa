"""Place-type routes: for a sector no body heads, which body takes the places of each type, from when to when."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yigang.audit.log import record
from yigang.org.models import Sector, Unit, UnitKind

from ..models import PlaceKind, PlaceRoute


def add_route(
    *, sector: Sector, kind: str, unit: Unit, start: datetime.date | None, note: str = "", actor: Any
) -> PlaceRoute:
    """The town's table for a sector no body heads: places of `kind` (empty: all) go to `unit`."""
    errors = []
    if kind and kind not in PlaceKind.values:
        errors.append("场所类型无效。")
    if unit.town_id != sector.town_id or unit.kind != UnitKind.BODY or not unit.active:
        errors.append("负责单位须为本乡镇现存的镇属机构或驻镇单位。")
    if start is None:
        errors.append("请填写起始日期。")
    if PlaceRoute.objects.filter(sector=sector, kind=kind, end__isnull=True).exists():
        errors.append("该行业领域的这类场所已有分工，请先终止原分工。")
    if len(note) > 200:
        errors.append("依据不能超过 200 个字。")
    if errors:
        raise ValidationError(errors)
    assert start is not None
    with transaction.atomic():
        route = PlaceRoute.objects.create(
            town=sector.town, sector=sector, kind=kind, unit=unit, start=start, note=note
        )
        record(
            "places.route.add",
            actor=actor,
            obj=route,
            changes={
                "sector": sector.pk,
                "kind": kind,
                "unit": unit.pk,
                "start": start.isoformat(),
                "note": note,
            },
        )
    return route


def end_route(*, route: PlaceRoute, end: datetime.date | None, actor: Any) -> PlaceRoute:
    if route.end is not None:
        raise ValidationError("该分工已终止。")
    if end is None or end < route.start:
        raise ValidationError("终止日期须不早于起始日期。")
    with transaction.atomic():
        route.end = end
        route.save(update_fields=["end"])
        record("places.route.end", actor=actor, obj=route, changes={"end": end.isoformat()})
    return route
