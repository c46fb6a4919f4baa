"""The supervision plans' coverage on the role homes (issue 24 point 3; docs/places.md).

A body's staff see their body's coverage this year and the places it still owes an inspection in the running
period or missed in an ended one, each with one tap to the place and one to the inspection page; the 安委办 and
the three town leaders the town's coverage and the bodies behind; a 分管 leader the bodies in charge
(`leading.Leading.body_ids`, the same range as the rest of the leader's home).

Every figure is one `places.coverage.compute` of the reader's plan lines (`PlanItem.objects.for_user`), the
computation the coverage page and the body's plan page make, so a rate or count tapped through is the same there.
No false all-clear: a body with no plan lines this year says so, and says whether its sectors have places with a
risk level at all (a plan is made from them); a body whose periods have not come due has no rate ("—"), never
100 %. Queries: the coverage (six, one without plan lines), the bodies that supervise a sector this year, their
risk-assessed places, the risk of the places owed — nine, plus the reader's scope of the plan lines and of the
places (`for_user`, four each as it stands) — whatever the number of places and records.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from yigang.towns.models import Town


@dataclass
class Owed:
    """A place the body owes an inspection: in the running period (still to do), or in periods that ended missed."""

    place_id: int
    name: str
    risk: str = ""
    risk_label: str = ""
    running: list[str] = field(default_factory=list)  # "8月（0/1）"
    missed: list[str] = field(default_factory=list)  # period labels


@dataclass
class BodyCoverage:
    """One body's coverage this year; `totals` None when it has no plan lines (the page says so)."""

    unit_id: int
    name: str
    totals: Any = None  # places.coverage.Totals
    assessed: bool = False  # its sectors have open places with a risk level this year
    owed: list[Owed] = field(default_factory=list)

    @property
    def planned(self) -> bool:
        return self.totals is not None

    @property
    def missed_periods(self) -> int:
        return sum(len(o.missed) for o in self.owed)

    @property
    def owing_now(self) -> int:
        """Places still owing an inspection in the running period."""
        return sum(1 for o in self.owed if o.running)

    @property
    def behind(self) -> bool:
        return not self.planned or bool(self.owed)


@dataclass
class Coverage:
    """The supervision card of a home: the town's totals for a whole-town reader, and the bodies of the range."""

    year: int
    whole_town: bool
    totals: Any  # places.coverage.Totals: the town's (the coverage page's), or the sum of the range's bodies
    planned: bool  # any plan line this year
    bodies: list[BodyCoverage]

    @property
    def behind(self) -> list[BodyCoverage]:
        return [b for b in self.bodies if b.behind]


def coverage(
    user: Any, town: Town, today: datetime.date, *, bodies: frozenset[int] | None
) -> Coverage | None:
    """The card for the bodies `bodies` (None: every body of the town), or None when no body in range supervises
    a sector this year or has a plan line (nothing to show)."""
    from yigang.places.coverage import Totals, compute
    from yigang.places.models import PlanItem

    year = today.year
    report = compute(town, year, at=today, plan=PlanItem.objects.for_user(user))
    supervising = _supervising(town, year)
    names = {pk: name for pk, (name, _t) in report.by_unit.items()}
    names.update({pk: name for pk, (name, _sectors) in supervising.items()})
    in_range = sorted((pk for pk in names if bodies is None or pk in bodies), key=lambda pk: (names[pk], pk))
    if not in_range:
        return None
    assessed = _assessed(user, town, year, {pk: supervising[pk][1] for pk in in_range if pk in supervising})
    lines = []
    for pk in in_range:
        found = report.by_unit.get(pk)
        lines.append(
            BodyCoverage(
                unit_id=pk,
                name=names[pk],
                totals=found[1] if found else None,
                assessed=pk in assessed,
                owed=_owed(report.for_unit(pk)),
            )
        )
    _with_risk([o for line in lines for o in line.owed])
    totals = report.totals
    if bodies is not None:  # the range's own sum, not the town's
        totals = Totals()
        for line in lines:
            if line.totals is not None:
                totals.add(line.totals)
    return Coverage(
        year=year,
        whole_town=bodies is None,
        totals=totals,
        planned=bool(report.items),
        bodies=lines,
    )


def _owed(items: list[Any]) -> list[Owed]:
    """The places of a body's plan lines still owing in the running period or missed in an ended one."""
    from yigang.places.coverage import Status

    by_place: dict[int, Owed] = {}
    for item in items:
        for p in item.periods:
            if p.status not in (Status.OPEN, Status.MISSED):
                continue
            owed = by_place.setdefault(item.place_id, Owed(item.place_id, item.place))
            if p.status == Status.OPEN:
                owed.running.append(f"{p.label}（{p.done}/{p.owed}）")
            else:
                owed.missed.append(p.label)
    # Those owing now first (still to be done), then by how many periods they missed.
    return sorted(by_place.values(), key=lambda o: (not o.running, -len(o.missed), o.name, o.place_id))


def _supervising(town: Town, year: int) -> dict[int, tuple[str, set[int]]]:
    """The town's bodies that supervise a sector some day of `year`, with those sectors (one query)."""
    from django.db.models import Q

    from yigang.org.models import Supervision, UnitKind

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    found: dict[int, tuple[str, set[int]]] = {}
    for unit_id, name, sector_id in (
        Supervision.objects.filter(town=town, unit__kind=UnitKind.BODY)
        .filter(Q(start__isnull=True) | Q(start__lte=last), Q(end__isnull=True) | Q(end__gte=first))
        .filter(Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=last))
        .filter(Q(unit__valid_until__isnull=True) | Q(unit__valid_until__gte=first))
        .values_list("unit_id", "unit__name", "sector_id")
    ):
        found.setdefault(unit_id, (name, set()))[1].add(sector_id)
    return found


def _assessed(user: Any, town: Town, year: int, sectors: dict[int, set[int]]) -> set[int]:
    """The bodies whose sectors have a place the reader sees, open some day of `year`, with a risk level."""
    from django.db.models import Q

    from yigang.places.models import Place

    wanted = set().union(*sectors.values()) if sectors else set()
    if not wanted:
        return set()
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    places = (
        Place.objects.for_user(user)
        .filter(town=town, assessments__isnull=False)
        .filter(Q(opened__isnull=True) | Q(opened__lte=last), Q(closed__isnull=True) | Q(closed__gte=first))
    )
    links = Place.sectors.through.objects.filter(place__in=places, sector_id__in=wanted)
    with_risk = set(links.values_list("sector_id", flat=True))
    return {pk for pk, mine in sectors.items() if mine & with_risk}


def _with_risk(owed: list[Owed]) -> None:
    """Each owed place's current risk level, for its colour (one query; the places come from the reader's own
    plan lines)."""
    from yigang.places.models import Place, RiskLevel

    if not owed:
        return
    levels: dict[int, str] = defaultdict(str)
    for place in Place.objects.filter(pk__in={o.place_id for o in owed}).with_risk().only("pk"):
        levels[place.pk] = getattr(place, "risk_level", None) or ""
    for o in owed:
        o.risk = levels[o.place_id]
        o.risk_label = str(RiskLevel(o.risk).label) if o.risk in RiskLevel.values else ""


def range_of(user: Any, town: Town, roles: set[str], leading: Any) -> frozenset[int] | None:
    """The bodies whose coverage the home shows: None for the whole town (the 安委办, the three town leaders),
    else a 分管 leader's bodies and a body staff member's own units (empty when there are none)."""
    from yigang.towns.models import MANAGE_ROLES, Membership, Role

    if roles & MANAGE_ROLES or (leading is not None and leading.whole_town):
        return None
    mine: set[int] = set(leading.body_ids) if leading is not None else set()
    if Role.BODY_STAFF in roles:
        mine |= set(
            Membership.objects.filter(
                user_id=user.pk, town=town, role=Role.BODY_STAFF, unit__isnull=False
            ).values_list("unit_id", flat=True)
        )
    return frozenset(mine)


def home_card(user: Any, town: Town, today: datetime.date, roles: set[str], leading: Any) -> Coverage | None:
    """The home's coverage card for the reader, or None when no body of theirs has anything to show."""
    bodies = range_of(user, town, roles, leading)
    if bodies is not None and not bodies:
        return None
    return coverage(user, town, today, bodies=bodies)
