"""Assessment: a year's results (published snapshot or computed now) and the accountability file, read only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router, Schema

from yigang import replica
from yigang.accidents.models import Accident
from yigang.assessment import accountability
from yigang.assessment.access import visible, visible_entries
from yigang.assessment.results import contract, results
from yigang.hazards.models import Hazard
from yigang.towns.access import get_for_user
from yigang.towns.models import Town

from .contract import ID

router = Router(tags=["assessment"])


class UnitResultOut(Schema):
    unit: str
    score: float
    grade: str
    vetoed: bool
    veto_reasons: list[str]
    rank: int


class PersonResultOut(Schema):
    person: str
    post: str
    score: float
    grade: str
    vetoed: bool
    veto_reasons: list[str]


class ResultsOut(Schema):
    town: str
    year: int
    published: bool
    units: list[UnitResultOut]
    persons: list[PersonResultOut]


class EntryComplianceOut(Schema):
    required: int
    done: int


class EntryOut(Schema):
    person: str
    post: str
    level: str
    compliance: EntryComplianceOut
    gaps: list[str]
    finding: str


class FileOut(Schema):
    subject: str
    at: str
    chain: list[dict[str, Any]]
    persons: list[EntryOut]


@router.get("/{town}/{year}", response=ResultsOut, summary="A year's results (the JSON of `yigang assess`)")
@replica.api_read
def get_results(request: HttpRequest, town: str, year: int = Path(..., ge=2000, le=2100)) -> dict[str, Any]:
    """Narrowed to the caller's own rows unless they are the 安委办 or the county."""
    place = get_for_user(Town.objects, request.user, code=town)
    return contract(visible(results(place, year), request.user, place))


def _file(request: HttpRequest, place: Town, file: accountability.File) -> dict[str, Any]:
    file.entries = visible_entries(file.entries, request.user, place)
    return file.as_json()


@router.get(
    "/{town}/accidents/{accident_id}/file",
    response=FileOut,
    summary="The accountability file of an accident (the JSON of `yigang accountability`)",
)
def accident_file(request: HttpRequest, town: str, accident_id: int = ID()) -> dict[str, Any]:
    place = get_for_user(Town.objects, request.user, code=town)
    accident = get_for_user(
        Accident.objects.filter(town=place, latest__isnull=False), request.user, pk=accident_id
    )
    return _file(request, place, accountability.for_accident(accident))


@router.get(
    "/{town}/hazards/{hazard_id}/file",
    response=FileOut,
    summary="The accountability file of a hazard (the JSON of `yigang accountability`)",
)
def hazard_file(request: HttpRequest, town: str, hazard_id: int = ID()) -> dict[str, Any]:
    place = get_for_user(Town.objects, request.user, code=town)
    hazard = get_for_user(Hazard.objects.filter(town=place), request.user, pk=hazard_id)
    return _file(request, place, accountability.for_hazard(hazard))
