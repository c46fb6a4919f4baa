"""Who a hazard goes to, from the register as it stood on the day it was found (谁主管、谁负责; 属地管理).

Built on `yigang.org.chain.build_chain`, which already answers "who held what on that day" for a sector and a
place (following a village through a reorganisation). From the chain:

- owner: the body that supervised the sector on the day. Several bodies (道路交通, 消防 …): the primary one owns
  it and the others are copied. The register has no primary flag, so the primary is the body whose
  supervision covers the whole sector (no `scope` such as 运输 or 九小场所), and among those the one registered
  first (the order of Art. 12). No body at all (无主管部门): the territory owns it — the village when the hazard
  lies in one, else the 安委办 — and it is flagged for the 安委办, which is copied.
- leader: the leader whose portfolio covers the owner body (or the sector itself); failing that, the deputy in
  charge of safety (综合监督管理), with a warning.
- village: the secretary of the village where it lies is always informed (属地).
- town leaders (重大隐患): the party secretary, the mayor and the deputy in charge of safety.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from yigang.org import selectors
from yigang.org.chain import Link, Role, build_chain
from yigang.org.models import Portfolio, Sector, Unit, UnitKind
from yigang.regulations.choices import PostKind

from .workdays import add_working_days

OFFICE_NAMES = ("安全生产委员会", "安委办", "安全生产委员会办公室")


@dataclass
class Seat:
    """A unit and (if it has one) its responsible post and the person who held it on the day."""

    unit: str
    unit_id: int
    post: str | None = None
    post_id: int | None = None
    person: str | None = None
    person_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "post": self.post, "person": self.person}

    def snapshot(self) -> dict[str, Any]:
        return {
            **self.as_dict(),
            "unit_id": self.unit_id,
            "post_id": self.post_id,
            "person_id": self.person_id,
        }


@dataclass
class Route:
    sector: Sector
    place: Unit | None
    place_label: str
    found_on: datetime.date
    owner: Seat
    copied: list[Seat] = field(default_factory=list)
    leader: Seat | None = None
    village: Seat | None = None
    town_leaders: list[Seat] = field(default_factory=list)
    deadline: datetime.date | None = None
    # The calendar the deadline was counted on (workcalendar.models.Source), "" for a date given as such.
    deadline_calendar: str = ""
    flagged: bool = False
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON of `yigang hazard route --json`."""
        return {
            "sector": self.sector.name,
            "place": self.place_label,
            "found_on": self.found_on.isoformat(),
            "owner": self.owner.as_dict(),
            "copied": [{"unit": s.unit} for s in self.copied],
            "leader": {"post": self.leader.post, "person": self.leader.person} if self.leader else None,
            "village": self.village.as_dict() if self.village else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_calendar": self.deadline_calendar,
            "warnings": list(self.warnings),
        }

    def snapshot(self) -> dict[str, Any]:
        """What is kept on the hazard: the same answer with the ids, as evidence of who was told."""
        return {
            **self.as_dict(),
            "owner": self.owner.snapshot(),
            "copied": [s.snapshot() for s in self.copied],
            "leader": self.leader.snapshot() if self.leader else None,
            "village": self.village.snapshot() if self.village else None,
            "town_leaders": [s.snapshot() for s in self.town_leaders],
            "flagged": self.flagged,
        }


def _seat(link: Link) -> Seat:
    return Seat(link.unit, link.unit_id, link.post, link.post_id, link.person, link.person_id)


def safety_office(town: Any, day: datetime.date) -> Unit | None:
    """The 安委办 (the body named for the safety committee or its office) on the day, if the register has one."""
    named = Q()
    for name in OFFICE_NAMES:
        named |= Q(name__contains=name)
    return Unit.objects.at(day).filter(town=town, kind=UnitKind.BODY).filter(named).order_by("id").first()


def _head(unit: Unit, day: datetime.date, kinds: tuple[str, ...]) -> Seat:
    seat = Seat(unit.name, unit.pk)
    post = selectors.head_post(unit, day, kinds)
    if post is not None:
        seat.post, seat.post_id = post.title, post.pk
        person = selectors.holder(post, day)
        if person is not None:
            seat.person, seat.person_id = person.name, person.pk
    return seat


def route(
    *,
    sector: Sector,
    place: Unit | None,
    found_on: datetime.date,
    working_days: int | None = None,
) -> Route:
    """What a hazard of `sector` found at `place` (a village, or None for the town) on `found_on` gets."""
    town = sector.town
    chain = build_chain(sector=sector, place=place, at=found_on)
    warnings = list(chain.warnings)
    by_role: dict[str, list[Link]] = {}
    for link in chain.links:
        by_role.setdefault(link.role, []).append(link)
    village = _seat(by_role[Role.TERRITORY][0]) if by_role.get(Role.TERRITORY) else None

    # The supervising bodies, primary first: whole-sector supervision before partial, then as registered.
    order: dict[int, tuple[int, int]] = {}
    for s in chain.supervisors:
        rank = (1 if s.scope else 0, s.pk)
        order[s.unit_id] = min(order.get(s.unit_id, rank), rank)
    bodies = sorted({s.unit_id: s.unit for s in chain.supervisors}.values(), key=lambda u: order[u.pk])
    heads = {link.unit_id: link for link in by_role.get(Role.SECTOR, [])}

    def body_seat(unit: Unit) -> Seat:
        return _seat(heads[unit.pk]) if unit.pk in heads else Seat(unit.name, unit.pk)

    flagged = not bodies
    copied: list[Seat] = []
    if bodies:
        owner = body_seat(bodies[0])
        copied = [body_seat(b) for b in bodies[1:]]
        if copied:
            warnings.append(
                f"多头监管：由“{owner.unit}”主办，抄送{'、'.join('“' + c.unit + '”' for c in copied)}。"
            )
    else:
        office = safety_office(town, found_on)
        if village is not None:
            owner = village
        elif office is not None:
            owner = _head(office, found_on, (PostKind.DEPARTMENT_HEAD,))
        else:
            government = Unit.objects.at(found_on).filter(town=town, kind=UnitKind.GOVERNMENT).first()
            if government is None:
                raise ValueError("登记册中没有镇人民政府，也没有安委办，隐患无法确定责任单位。")
            owner = _head(government, found_on, (PostKind.SAFETY_DEPUTY, PostKind.MAYOR))
        if office is not None and office.pk != owner.unit_id:
            copied.append(_head(office, found_on, (PostKind.DEPARTMENT_HEAD,)))
        # The chain's own "无主管部门" note names the place; this one says who owns it and who coordinates.
        warnings = [w for w in warnings if "无主管部门" not in w]
        warnings.append(f"“{sector.name}”无主管部门：由属地“{owner.unit}”负责，并报安委办协调。")
    if owner.post is None:
        warnings.append(f"“{owner.unit}”没有负责人岗位，请安委办指定承办人。")

    # The leader in charge: a portfolio over the owner body first, then one over the sector.
    portfolios = list(
        Portfolio.objects.at(found_on)
        .filter(Q(unit_id=owner.unit_id) | Q(sector=sector))
        .order_by("-unit_id", "id")
    )
    leaders = {link.post_id: link for link in by_role.get(Role.PORTFOLIO, [])}
    leader: Seat | None = None
    for pf in portfolios:
        if pf.post_id in leaders:
            leader = _seat(leaders[pf.post_id])
            break
    if leader is None and by_role.get(Role.SAFETY):
        leader = _seat(by_role[Role.SAFETY][0])
        if not flagged:  # an unsupervised sector has no body, so no portfolio: the safety deputy is expected
            warnings.append(f"“{owner.unit}”没有分管领导，告知分管安全生产的副职领导。")

    town_leaders = [_seat(link) for role in (Role.LEADERSHIP, Role.SAFETY) for link in by_role.get(role, [])]
    result = Route(
        sector=sector,
        place=place,
        place_label=chain.place_label,
        found_on=found_on,
        owner=owner,
        copied=copied,
        leader=leader,
        village=village,
        town_leaders=town_leaders,
        flagged=flagged,
        warnings=list(dict.fromkeys(warnings)),
    )
    if working_days is not None:
        deadline = add_working_days(found_on, working_days, town)
        result.deadline = deadline.day
        result.deadline_calendar = deadline.source
        result.warnings.extend(deadline.warnings)
    return result
