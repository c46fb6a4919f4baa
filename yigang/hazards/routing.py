"""Who a hazard goes to, from the register as it stood on the day it was found (谁主管、谁负责; 属地管理).

Built on `yigang.org.chain.build_chain`, which already answers "who held what on that day" for a sector and a
place (following a village through a reorganisation). From the chain:

- rectifier (主体责任): for a hazard at a registered place (an enterprise unit that `places.Place.unit` links),
  the enterprise itself rectifies, named by its legal representative (the place's, else the holder of the
  unit's 法定代表人 post), with its safety manager as contact. The owner below supervises and accepts (验收).
- owner: the body that supervised the sector on the day. Several bodies (道路交通, 消防 …): the primary one owns
  it and the others are copied. The register has no primary flag, so the primary is the body whose
  supervision covers the whole sector (no `scope` such as 运输 or 九小场所), and among those the one registered
  first (the order of Art. 12). A sector no body heads (none, none with a head seat, or only parts claimed:
  org.lint's headless sectors) follows the town's place-type table (`PlaceRoute`: the place's type, else every
  place of the sector). No body at all (无主管部门): the territory owns it — the village when the hazard lies in
  one, else the 安委办 — and it is flagged for the 安委办, which is copied. An owner whose seat is vacant or
  missing is named by the next responsible person the register has (its leader in charge, else the deputy in
  charge of safety), with a warning: never an owner without a person while the register has one.
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
from yigang.org.chain import Chain, Link, Role, build_chain, is_safety_office
from yigang.org.models import ENTERPRISE_HEAD, Portfolio, Sector, Unit, UnitKind
from yigang.regulations.choices import PostKind

from . import sources
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
    # The seat stands in for the unit's own vacant or missing head (its leader in charge, the safety deputy).
    acting: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "post": self.post, "person": self.person}

    def snapshot(self) -> dict[str, Any]:
        return {
            **self.as_dict(),
            "unit_id": self.unit_id,
            "post_id": self.post_id,
            "person_id": self.person_id,
            **({"acting": True} if self.acting else {}),
        }


@dataclass
class Rectifier:
    """主体责任: the enterprise at a registered place rectifies its own hazard, named by its legal representative
    (the place's, else the holder of the unit's 法定代表人 post), its safety manager the contact."""

    unit: str
    unit_id: int
    place: str
    place_id: int
    place_kind: str
    place_kind_label: str
    post: str = "法定代表人"
    person: str | None = None
    phone: str = ""
    person_id: int | None = None
    contact: str = ""
    contact_phone: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "place": self.place,
            "place_kind": self.place_kind,
            "place_kind_label": self.place_kind_label,
            "post": self.post,
            "person": self.person,
            "phone": self.phone,
            "contact": self.contact,
            "contact_phone": self.contact_phone,
        }

    def snapshot(self) -> dict[str, Any]:
        return {
            **self.as_dict(),
            "unit_id": self.unit_id,
            "place_id": self.place_id,
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
    rectifier: Rectifier | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON of `yigang hazard route --json`."""
        return {
            "sector": self.sector.name,
            "place": self.place_label,
            "found_on": self.found_on.isoformat(),
            "rectifier": self.rectifier.as_dict() if self.rectifier else None,
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
            "rectifier": self.rectifier.snapshot() if self.rectifier else None,
            "owner": self.owner.snapshot(),
            "copied": [s.snapshot() for s in self.copied],
            "leader": self.leader.snapshot() if self.leader else None,
            "village": self.village.snapshot() if self.village else None,
            "town_leaders": [s.snapshot() for s in self.town_leaders],
            "flagged": self.flagged,
        }


def rectifier_text(rectifier: dict[str, Any]) -> str:
    """The rectifier in one line, as the CLI prints it: the enterprise, its legal representative and phone, and
    the safety manager to contact."""
    person = rectifier.get("person") or "【未登记】"
    phone = f"（{rectifier['phone']}）" if rectifier.get("phone") else ""
    text = f"{rectifier['unit']} {rectifier.get('post') or '法定代表人'} {person}{phone}"
    if rectifier.get("contact"):
        contact_phone = f"（{rectifier['contact_phone']}）" if rectifier.get("contact_phone") else ""
        text += f"；安全管理人员 {rectifier['contact']}{contact_phone}"
    return text


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


def _rectifier(
    enterprise: Unit, facts: sources.PlaceFacts, day: datetime.date, warnings: list[str]
) -> Rectifier:
    """主体责任: the place's legal representative and safety manager; the 法定代表人 post's holder when the place
    names none (and the person's id when the holder is the one the place names)."""
    rectifier = Rectifier(
        unit=enterprise.name,
        unit_id=enterprise.pk,
        place=facts.name,
        place_id=facts.place_id,
        place_kind=facts.kind,
        place_kind_label=facts.kind_label,
        person=facts.legal_representative or None,
        phone=facts.legal_representative_phone,
        contact=facts.safety_manager,
        contact_phone=facts.safety_manager_phone,
    )
    post = selectors.head_post(enterprise, day, (ENTERPRISE_HEAD,))
    holder = selectors.holder(post, day) if post is not None else None
    if post is not None:
        rectifier.post = post.title
    if holder is not None and rectifier.person in (None, holder.name):
        rectifier.person, rectifier.person_id = holder.name, holder.pk
    if rectifier.person is None:
        warnings.append(f"“{facts.name}”未登记法定代表人（主体责任），请在监管对象台账中补充。")
    return rectifier


def _headless(chain: Chain, headed_units: set[int]) -> bool:
    """org.lint's headless sector, for the day found: no industry body with a head seat supervises it, or those
    that do claim only parts while the 安委办 alone claims the rest (消防: 派出所 only for 九小场所)."""
    claims = [s for s in chain.supervisors if s.unit.kind != UnitKind.COUNTY]
    industry = [c for c in claims if not is_safety_office(c.unit)]
    headed = [c for c in industry if c.unit_id in headed_units]
    office_rest = any(is_safety_office(c.unit) and not c.scope for c in claims)
    return not headed or (office_rest and all(c.scope for c in headed))


def _place_route(sector: Sector, kind: str, day: datetime.date) -> tuple[Unit, str] | None:
    """The town's place-type route for the sector: the place's own type first, then every place of the sector;
    the body and the type in words."""
    rows = [r for r in sources.routes_of(sector.town, day) if r.sector_id == sector.pk]
    for wanted in ([kind] if kind else []) + [""]:
        for row in rows:
            if row.kind == wanted:
                unit = Unit.objects.at(day).filter(pk=row.unit_id).first()
                if unit is not None:
                    return unit, row.kind_label
    return None


def _bodies(chain: Chain) -> list[Unit]:
    """The supervising bodies, primary first: whole-sector supervision before partial, then as registered."""
    order: dict[int, tuple[int, int]] = {}
    for s in chain.supervisors:
        rank = (1 if s.scope else 0, s.pk)
        order[s.unit_id] = min(order.get(s.unit_id, rank), rank)
    return sorted({s.unit_id: s.unit for s in chain.supervisors}.values(), key=lambda u: order[u.pk])


@dataclass
class _Owner:
    owner: Seat
    copied: list[Seat]
    flagged: bool
    warnings: list[str]
    by_place_route: bool = False


def _territory_owner(
    sector: Sector, found_on: datetime.date, village: Seat | None, warnings: list[str]
) -> _Owner:
    """无主管部门: the village (属地), else the 安委办, else the government; the 安委办 is copied."""
    town = sector.town
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
    copied = []
    if office is not None and office.pk != owner.unit_id:
        copied.append(_head(office, found_on, (PostKind.DEPARTMENT_HEAD,)))
    # The chain's own "无主管部门" note names the place; this one says who owns it and who coordinates.
    warnings = [w for w in warnings if "无主管部门" not in w]
    warnings.append(f"“{sector.name}”无主管部门：由属地“{owner.unit}”负责，并报安委办协调。")
    return _Owner(owner, copied, True, warnings)


def _choose_owner(
    chain: Chain,
    by_role: dict[str, list[Link]],
    village: Seat | None,
    place_kind: str,
    warnings: list[str],
) -> _Owner:
    """The owner and the copied bodies: the primary supervising body; for a headless sector the town's
    place-type route; for a sector no body supervises the territory."""
    sector, found_on = chain.sector, chain.at
    bodies = _bodies(chain)
    heads: dict[int, Link] = {}
    for link in [*by_role.get(Role.SECTOR, []), *by_role.get(Role.COORDINATION, [])]:
        heads.setdefault(link.unit_id, link)

    def body_seat(unit: Unit) -> Seat:
        if unit.pk in heads:
            return _seat(heads[unit.pk])
        return _head(unit, found_on, (PostKind.DEPARTMENT_HEAD,))

    headed = {link.unit_id for link in by_role.get(Role.SECTOR, [])}
    headless = _headless(chain, headed)
    routed = _place_route(sector, place_kind, found_on) if headless else None
    if routed is not None:
        unit, label = routed
        owner = body_seat(unit)
        copied = [body_seat(b) for b in bodies if b.pk != unit.pk]
        warnings.append(
            f"“{sector.name}”无行业监管单位全面负责：按本镇场所类型分工（{label}）由“{owner.unit}”负责。"
        )
        return _Owner(owner, copied, False, warnings, by_place_route=True)
    if not bodies:
        return _territory_owner(sector, found_on, village, warnings)
    owner = body_seat(bodies[0])
    if headless:
        warnings.append(
            f"“{sector.name}”无行业监管单位全面负责，本镇按场所类型分工未涵盖此处：由“{owner.unit}”承办。"
        )
    copied = [body_seat(b) for b in bodies[1:]]
    if copied:
        warnings.append(
            f"多头监管：由“{owner.unit}”主办，抄送{'、'.join('“' + c.unit + '”' for c in copied)}。"
        )
    return _Owner(owner, copied, False, warnings)


def _leader(
    chosen: _Owner, sector: Sector, found_on: datetime.date, by_role: dict[str, list[Link]]
) -> tuple[Seat | None, bool]:
    """The leader in charge: a portfolio over the owner body first, then one over the sector (of the chain's
    leaders; for a body a place-type route chose, which may supervise no part of the sector, its own portfolio);
    else the deputy in charge of safety (the second value: it fell to the deputy)."""
    owner = chosen.owner
    portfolios = list(
        Portfolio.objects.at(found_on)
        .filter(Q(unit_id=owner.unit_id) | Q(sector=sector))
        .select_related("post__unit")
        .order_by("-unit_id", "id")
    )
    leaders = {link.post_id: link for link in by_role.get(Role.PORTFOLIO, [])}
    for pf in portfolios:
        if pf.post_id in leaders:
            return _seat(leaders[pf.post_id]), False
    own = [pf for pf in portfolios if pf.unit_id == owner.unit_id]
    if chosen.by_place_route and own:
        post = own[0].post
        person = selectors.holder(post, found_on)
        seat = Seat(post.unit.name, post.unit_id, post.title, post.pk)
        if person is not None:
            seat.person, seat.person_id = person.name, person.pk
        return seat, False
    if by_role.get(Role.SAFETY):
        return _seat(by_role[Role.SAFETY][0]), True
    return None, False


def _stand_in(owner: Seat, leader: Seat | None, by_role: dict[str, list[Link]], warnings: list[str]) -> None:
    """Never an owner without a person while the register has one: the owner's vacant or missing head is stood in
    for by its leader in charge, else the deputy in charge of safety, and the 安委办 is asked to name one."""
    if owner.person is not None:
        return
    why = "负责人空缺" if owner.post else "没有负责人岗位"
    candidates = [leader, *(_seat(link) for link in by_role.get(Role.SAFETY, []))]
    for seat in candidates:
        if seat is not None and seat.person is not None:
            owner.post, owner.post_id = seat.post, seat.post_id
            owner.person, owner.person_id, owner.acting = seat.person, seat.person_id, True
            warnings.append(f"“{owner.unit}”{why}：由{seat.post}{seat.person}督促办理，请安委办指定承办人。")
            return
    warnings.append(f"“{owner.unit}”{why}，请安委办指定承办人。")


def route(
    *,
    sector: Sector,
    place: Unit | None,
    found_on: datetime.date,
    working_days: int | None = None,
    enterprise: Unit | None = None,
) -> Route:
    """What a hazard of `sector` found at `place` (a village, an enterprise, or None for the town) on `found_on`
    gets; `enterprise` names the enterprise unit of a hazard in a village (a hazard's `enterprise`)."""
    town = sector.town
    if place is not None and place.kind == UnitKind.ENTERPRISE:
        enterprise = enterprise or place
    chain = build_chain(sector=sector, place=place, at=found_on)
    warnings = list(chain.warnings)
    by_role: dict[str, list[Link]] = {}
    for link in chain.links:
        by_role.setdefault(link.role, []).append(link)
    village = _seat(by_role[Role.TERRITORY][0]) if by_role.get(Role.TERRITORY) else None
    facts = sources.place_of(enterprise, found_on) if enterprise is not None else None
    rectifier = _rectifier(enterprise, facts, found_on, warnings) if enterprise and facts else None
    chosen = _choose_owner(chain, by_role, village, facts.kind if facts else "", warnings)
    warnings, owner = chosen.warnings, chosen.owner
    leader, fell_to_deputy = _leader(chosen, sector, found_on, by_role)
    if (
        fell_to_deputy and not chosen.flagged
    ):  # an unsupervised sector has no portfolio: the deputy is expected
        warnings.append(f"“{owner.unit}”没有分管领导，告知分管安全生产的副职领导。")
    _stand_in(owner, leader, by_role, warnings)
    town_leaders = [_seat(link) for role in (Role.LEADERSHIP, Role.SAFETY) for link in by_role.get(role, [])]
    result = Route(
        sector=sector,
        place=place,
        place_label=chain.place_label,
        found_on=found_on,
        owner=owner,
        copied=chosen.copied,
        leader=leader,
        village=village,
        town_leaders=town_leaders,
        flagged=chosen.flagged,
        warnings=list(dict.fromkeys(warnings)),
        rectifier=rectifier,
    )
    if working_days is not None:
        deadline = add_working_days(found_on, working_days, town)
        result.deadline = deadline.day
        result.deadline_calendar = deadline.source
        result.warnings.extend(deadline.warnings)
    return result
