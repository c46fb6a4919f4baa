"""The register: sectors, units, people, the chain of responsibility and the register's gaps."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from yigang.org.chain import NotFound, build_chain, find_place, find_sector
from yigang.org.lint import lint_town
from yigang.org.models import Person, Post, Sector, Supervision, Tenure, Unit, UnitChange, UnitKind, in_force
from yigang.org.profile import build_profile
from yigang.towns.access import get_for_user
from yigang.towns.models import Town

from .contract import ID

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


@router.get("/sectors", response=list[SectorOut], summary="Sectors and the bodies that supervise them today")
def list_sectors(request: HttpRequest, town: str | None = None) -> list[dict[str, Any]]:
    today = timezone.localdate()
    current = Supervision.objects.at(today).filter(
        in_force(today, "valid_from", "valid_until", prefix="unit__")
    )
    sectors = (
        Sector.objects.for_user(request.user)
        .select_related("town")
        .prefetch_related(Prefetch("supervisions", queryset=current.select_related("unit")))
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


class OverlapOut(Schema):
    sector: str
    bodies: list[dict[str, str]]  # unit, scope, sector


class UnheldDutyOut(Schema):
    post: str
    post_name: str
    duties: list[dict[str, Any]]
    reason: str  # no_post: no seat of that kind; vacant: seats exist, nobody holds one


class VacantPostOut(Schema):
    post_id: int
    post: str
    unit: str
    kind: str


class LintOut(Schema):
    """The same JSON as `yigang regulation lint --json` (org/lint.py's LintReport)."""

    town: str
    regulation: str | None
    at: str
    overlaps: list[OverlapOut]
    unsupervised: list[str]
    unheld_duties: list[UnheldDutyOut]
    vacant_posts: list[VacantPostOut]
    bodies_without_head: list[str]
    bodies_without_portfolio: list[str]
    pending_claims: int
    synonym_overlaps: list[OverlapOut]
    clean: bool


@router.get(
    "/towns/{town_code}/lint",
    response=LintOut,
    summary="Overlapping and unsupervised sectors, vacant seats, unheld duties",
)
def town_lint(request: HttpRequest, town_code: str, at: datetime.date | None = None) -> dict[str, Any]:
    town = get_for_user(Town.objects, request.user, code=town_code)
    return lint_town(town, at).as_dict()


# ---------------------------------------------------------------- the chain


class LinkOut(Schema):
    level: str
    post: str
    unit: str
    person: str | None
    role: str
    post_id: int
    person_id: int | None
    role_label: str = ""
    scope: str = ""
    unit_id: int | None = None


class ChainOut(Schema):
    sector: str
    place: str
    at: datetime.date
    chain: list[LinkOut]
    warnings: list[str]
    place_kind: str = "town"


@router.get(
    "/towns/{town_code}/chain",
    response=ChainOut,
    summary="Who was responsible for a sector at a place (village, enterprise, or the whole town) on a day",
)
def chain(
    request: HttpRequest,
    town_code: str,
    sector: str,
    place: str | None = None,
    at: datetime.date | None = None,
) -> dict[str, Any]:
    town = get_for_user(Town.objects, request.user, code=town_code)
    try:
        found = find_sector(town, sector)
        where = find_place(town, place)
    except NotFound as exc:
        raise HttpError(404, exc.message) from None
    result = build_chain(sector=found, place=where, at=at or timezone.localdate())
    data = result.as_dict()
    data["chain"] = [
        {**link.as_dict(), "post_id": link.post_id, "person_id": link.person_id, "unit_id": link.unit_id}
        for link in result.links
    ]
    return data


# ---------------------------------------------------------------- people


class HeldOut(Schema):
    tenure_id: int
    post_id: int
    post: str
    post_kind: str
    unit: str
    start: datetime.date
    end: datetime.date | None
    note: str


class PersonOut(Schema):
    id: int
    name: str
    phone: str
    current: list[HeldOut]


class DutyLineOut(Schema):
    place: str
    text: str
    frequencies: list[str]


class DutyListOut(Schema):
    post_kind: str
    post_name: str
    level: str
    designation: str
    regulation_id: int
    lines: list[DutyLineOut]
    unit_name: str = ""  # a department head's own body: the list holds only its Art. 12 item


class DueOut(Schema):
    post: str
    duty_id: int
    place: str
    requirement: str
    kind: str
    min_count: int
    period: str
    window_start: datetime.date
    window_end: datetime.date
    days_left: int


class PortfolioOut(Schema):
    post: str
    unit: str | None
    sector: str | None
    start: datetime.date
    end: datetime.date | None


class PersonDetail(PersonOut):
    town: str
    upcoming: list[HeldOut]
    past: list[HeldOut]
    duty_lists: list[DutyListOut]
    due: list[DueOut]
    portfolios: list[PortfolioOut]


def _held(t: Tenure) -> dict[str, Any]:
    return {
        "tenure_id": t.pk,
        "post_id": t.post_id,
        "post": t.post.title,
        "post_kind": t.post.kind,
        "unit": t.post.unit.name,
        "start": t.start,
        "end": t.end,
        "note": t.note,
    }


@router.get(
    "/towns/{town_code}/people", response=list[PersonOut], summary="People of a town with their posts today"
)
def list_people(request: HttpRequest, town_code: str) -> list[dict[str, Any]]:
    town = get_for_user(Town.objects, request.user, code=town_code)
    today = timezone.localdate()
    current = Tenure.objects.at(today).select_related("post__unit").order_by("start")
    people = (
        Person.objects.for_user(request.user)
        .filter(town=town)
        .prefetch_related(Prefetch("tenures", queryset=current, to_attr="current_tenures"))
    )
    return [
        {"id": p.pk, "name": p.name, "phone": p.phone, "current": [_held(t) for t in p.current_tenures]}
        for p in people
    ]


@router.get(
    "/people/{person_id}", response=PersonDetail, summary="A person: posts, personal duty list, what is due"
)
def person_detail(request: HttpRequest, person_id: int = ID()) -> dict[str, Any]:
    person = get_for_user(Person.objects.select_related("town"), request.user, pk=person_id)
    profile = build_profile(person, timezone.localdate())
    return {
        "id": person.pk,
        "name": person.name,
        "phone": person.phone,
        "town": person.town.name,
        "current": [_held(h.tenure) for h in profile.current],
        "upcoming": [_held(h.tenure) for h in profile.upcoming],
        "past": [_held(h.tenure) for h in profile.past],
        "duty_lists": [
            {
                "post_kind": d.post,
                "post_name": d.post_name,
                "level": d.level,
                "designation": d.designation,
                "regulation_id": d.regulation.pk,
                "unit_name": d.unit_name,
                "lines": [{"place": x.place, "text": x.text, "frequencies": x.frequencies} for x in d.lines],
            }
            for d in profile.duty_lists
        ],
        "due": [
            {
                "post": item.post,
                "duty_id": item.duty.pk,
                "place": item.duty.place_label,
                "requirement": item.duty.frequency_label,
                "kind": item.duty.kind,
                "min_count": item.duty.min_count,
                "period": item.duty.period,
                "window_start": item.window.start,
                "window_end": item.window.end,
                "days_left": item.days_left,
            }
            for item in profile.due
        ],
        "portfolios": [
            {
                "post": p.post.title,
                "unit": p.unit.name if p.unit else None,
                "sector": p.sector.name if p.sector else None,
                "start": p.start,
                "end": p.end,
            }
            for p in profile.portfolios
        ],
    }


# ---------------------------------------------------------------- units


class UnitPostOut(Schema):
    id: int
    title: str
    kind: str
    holder: str | None
    holder_id: int | None


class UnitOut(Schema):
    id: int
    name: str
    kind: UnitKind
    active: bool
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    sector: str | None
    village: str | None
    supervises: list[SupervisorOut]
    posts: list[UnitPostOut]


class ChangeOut(Schema):
    kind: str
    effective: datetime.date
    document: str
    sources: list[str]
    results: list[str]


class UnitDetail(UnitOut):
    came_from: list[ChangeOut]
    went_to: list[ChangeOut]


def _unit_queryset(day: datetime.date) -> Any:
    holders = Tenure.objects.at(day).select_related("person")
    posts = Post.objects.at(day).prefetch_related(Prefetch("tenures", queryset=holders, to_attr="holders"))
    return Unit.objects.select_related("sector", "village").prefetch_related(
        Prefetch("posts", queryset=posts.order_by("id"), to_attr="current_posts"),
        Prefetch(
            "supervisions",
            queryset=Supervision.objects.at(day).select_related("sector"),
            to_attr="current_supervisions",
        ),
    )


def _unit(u: Unit) -> dict[str, Any]:
    posts = []
    for p in u.current_posts:  # type: ignore[attr-defined]
        holder = p.holders[0].person if p.holders else None
        posts.append(
            {
                "id": p.pk,
                "title": p.title,
                "kind": p.kind,
                "holder": holder.name if holder else None,
                "holder_id": holder.pk if holder else None,
            }
        )
    return {
        "id": u.pk,
        "name": u.name,
        "kind": u.kind,
        "active": u.active,
        "valid_from": u.valid_from,
        "valid_until": u.valid_until,
        "sector": u.sector.name if u.sector else None,
        "village": u.village.name if u.village else None,
        "supervises": [
            {"unit": s.sector.name, "scope": s.scope, "source": s.source}
            for s in u.current_supervisions  # type: ignore[attr-defined]
        ],
        "posts": posts,
    }


@router.get(
    "/towns/{town_code}/units", response=list[UnitOut], summary="Units of a town with posts and holders today"
)
def list_units(
    request: HttpRequest, town_code: str, kind: UnitKind | None = None, include_dissolved: bool = False
) -> list[dict[str, Any]]:
    town = get_for_user(Town.objects, request.user, code=town_code)
    units = _unit_queryset(timezone.localdate()).for_user(request.user).filter(town=town)
    if kind:
        units = units.filter(kind=kind)
    if not include_dissolved:
        units = units.filter(active=True)
    return [_unit(u) for u in units.order_by("kind", "name")]


def _change(c: UnitChange) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "effective": c.effective,
        "document": c.document,
        "sources": [u.name for u in c.sources.all()],
        "results": [u.name for u in c.results.all()],
    }


@router.get(
    "/units/{unit_id}", response=UnitDetail, summary="One unit with its posts today and its reorganisations"
)
def unit_detail(request: HttpRequest, unit_id: int = ID()) -> dict[str, Any]:
    unit = get_for_user(_unit_queryset(timezone.localdate()), request.user, pk=unit_id)
    data = _unit(unit)
    changes = UnitChange.objects.prefetch_related("sources", "results")
    data["came_from"] = [_change(c) for c in changes.filter(results=unit)]
    data["went_to"] = [_change(c) for c in changes.filter(sources=unit)]
    return data
