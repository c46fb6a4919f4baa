"""The town's table for sectors no body heads: route places of a type to a body (九小场所 → 派出所); and what the
hazard routing learns of a place (its 主体责任) and of the table, through `yigang.hazards.sources`."""

from __future__ import annotations

import datetime
from typing import Any

from yigang.hazards.sources import PlaceFacts, PlaceRouteRow
from yigang.org.models import Post, Unit
from yigang.regulations.choices import PostKind
from yigang.towns.models import Town

from .models import Place, PlaceRoute


def routes_by_sector(town: Town, day: datetime.date) -> dict[int, list[dict[str, Any]]]:
    """The routes in force on `day`, by sector id, each saying whether its body has a head seat (two queries)."""
    routes = list(PlaceRoute.objects.filter(town=town).at(day).select_related("unit"))
    headed = set(
        Post.objects.at(day)
        .filter(unit_id__in={r.unit_id for r in routes}, kind=PostKind.DEPARTMENT_HEAD)
        .values_list("unit_id", flat=True)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for r in routes:
        found.setdefault(r.sector_id, []).append(
            {
                "id": r.pk,
                "kind": r.kind,
                "kind_label": str(r.get_kind_display()) if r.kind else "该领域所有场所",
                "unit": r.unit.name,
                "unit_id": r.unit_id,
                "has_head": r.unit_id in headed,
                "since": r.start.isoformat(),
            }
        )
    return found


def place_facts(unit: Unit, day: datetime.date) -> PlaceFacts | None:
    """The place an enterprise unit is (`Place.unit`), open on `day`, as the hazard routing needs it (主体责任)."""
    place = Place.objects.filter(unit_id=unit.pk).open_on(day).first()
    if place is None:
        return None
    return PlaceFacts(
        place_id=place.pk,
        name=place.name,
        kind=place.kind,
        kind_label=str(place.get_kind_display()),
        legal_representative=place.legal_representative,
        legal_representative_phone=place.legal_representative_phone,
        safety_manager=place.safety_manager,
        safety_manager_phone=place.safety_manager_phone,
    )


def route_rows(town: Town, day: datetime.date) -> list[PlaceRouteRow]:
    """The town's place-type routes in force on `day`, for the hazard routing."""
    return [
        PlaceRouteRow(
            sector_id=r.sector_id,
            kind=r.kind,
            kind_label=str(r.get_kind_display()) if r.kind else "该领域所有场所",
            unit_id=r.unit_id,
        )
        for r in PlaceRoute.objects.filter(town=town).at(day).order_by("id")
    ]
