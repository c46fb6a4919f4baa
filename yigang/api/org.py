"""The sectors table and the register's gaps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from yigang.org.lint import lint_town
from yigang.org.models import Sector
from yigang.towns.access import get_for_user
from yigang.towns.models import Town

router = Router(tags=["register"])


class SupervisorOut(Schema):
    unit: str
    scope: str
    source: str


class SectorOut(Schema):
    id: int
    town: str
    name: str
    supervisors: list[SupervisorOut]


@router.get("/sectors", response=list[SectorOut], summary="Sectors and the bodies that supervise them")
def list_sectors(request: HttpRequest, town: str | None = None) -> list[dict[str, Any]]:
    sectors = (
        Sector.objects.for_user(request.user).select_related("town").prefetch_related("supervisions__unit")
    )
    if town:
        sectors = sectors.filter(town__code=town)
    return [
        {
            "id": s.pk,
            "town": s.town.name,
            "name": s.name,
            "supervisors": [
                {"unit": v.unit.name, "scope": v.scope, "source": v.source} for v in s.supervisions.all()
            ],
        }
        for s in sectors
    ]


@router.get("/towns/{town_code}/lint", summary="Overlapping and unsupervised sectors, duties nobody holds")
def town_lint(request: HttpRequest, town_code: str) -> dict[str, Any]:
    town = get_for_user(Town.objects, request.user, code=town_code)
    return lint_town(town).as_dict()
