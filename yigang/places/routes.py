"""The town's table for sectors no body heads: route places of a type to a body (九小场所 → 派出所)."""

from __future__ import annotations

import datetime
from typing import Any

from yigang.org.models import Post
from yigang.regulations.choices import PostKind
from yigang.towns.models import Town

from .models import PlaceRoute


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
