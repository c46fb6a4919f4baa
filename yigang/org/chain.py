"""The chain of responsibility: for a sector, a place and a day, who answered at which level.

Order, from the place up (Art. 3–13 of the genre): an enterprise's own 主体责任 (its legal representative) when
the place is an enterprise, the territory (属地, the village secretary), the head of each supervising body
(谁主管、谁负责; Art. 3 gives a body's principal head 全面领导责任 for the body and its sectors), the 安委办's
综合监管, the leaders in charge of those bodies or of the sector (分管领导, 直接领导责任 — the 政法委员 of Art. 7
among them where his portfolios say so), the deputy in charge of safety (综合监督管理), the mayor and the party
secretary (全面领导), the overseers (人大主席, 纪委书记), and at the top the county body that supervises the
sector, if the register names one. Every record is taken as it stood on the day asked: units, posts,
supervision, portfolios and tenures all carry dates, so the answer before and after a change of holder or a
reorganisation differs as it did in life.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from yigang.regulations.choices import POST_LEVEL, Designation, Level, PostKind
from yigang.regulations.models import Regulation, Status

from . import selectors
from .models import (
    ENTERPRISE_HEAD,
    Person,
    Portfolio,
    Post,
    Sector,
    Supervision,
    Unit,
    UnitChange,
    UnitKind,
    in_force,
)

# The designations the regulation names a post by; every other post bears 直接领导责任.
_NAMED = (Designation.TOTAL, Designation.FIRST, Designation.SECOND, Designation.OVERSIGHT)
_TOWN_KINDS = (
    PostKind.SAFETY_DEPUTY,
    PostKind.MAYOR,
    PostKind.PARTY_SECRETARY,
    PostKind.CONGRESS_CHAIR,
    PostKind.DISCIPLINE_SECRETARY,
)
# How far a place is followed through renames, mergers and splits.
_MAX_HOPS = 6
# The town's safety committee and its office (安委会及其办公室, 安委办): its part is 综合监管 (Art. 12 item 1: 监管与
# 协调; the other bodies 接受镇安委会及应急管理办公室的指导、监督), not one more 行业 supervisor.
_SAFETY_OFFICE_MARKS = ("安全生产委员会", "安委会", "安委办")


def is_safety_office(unit: Unit) -> bool:
    """Whether `unit` is the town's safety committee or its office, known by the regulation's own words."""
    return unit.kind == UnitKind.BODY and any(mark in unit.name for mark in _SAFETY_OFFICE_MARKS)


class Role:
    ENTERPRISE = "enterprise"
    TERRITORY = "territory"
    SECTOR = "sector"
    COORDINATION = "coordination"
    PORTFOLIO = "portfolio"
    SAFETY = "safety"
    LEADERSHIP = "leadership"
    OVERSIGHT = "oversight"
    COUNTY = "county"

    @staticmethod
    def label(role: str) -> str:
        return {
            Role.ENTERPRISE: _("主体责任"),
            Role.TERRITORY: _("属地管理"),
            Role.SECTOR: _("行业监管"),
            Role.COORDINATION: _("综合监管"),
            Role.PORTFOLIO: _("分管领导"),
            Role.SAFETY: _("综合监督管理"),
            Role.LEADERSHIP: _("全面领导"),
            Role.OVERSIGHT: _("监督"),
            Role.COUNTY: _("旗县级行业主管部门"),
        }[role]


@dataclass
class Link:
    """One responsible post in the chain and who held it on the day."""

    role: str
    level: str
    post: str
    unit: str
    person: str | None
    post_id: int
    unit_id: int
    person_id: int | None = None
    scope: str = ""

    @property
    def role_label(self) -> str:
        return Role.label(self.role)

    def as_dict(self) -> dict[str, Any]:
        # The first four keys are the original shape of `yigang who --json`; the rest were added after.
        return {
            "level": self.level,
            "post": self.post,
            "unit": self.unit,
            "person": self.person,
            "role": self.role,
            "role_label": str(self.role_label),
            "scope": self.scope,
        }


@dataclass
class Chain:
    sector: Sector
    place: Unit | None
    at: datetime.date
    place_label: str
    links: list[Link] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    regulation: Regulation | None = None
    supervisors: list[Supervision] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON of `yigang who --json` and of the API."""
        return {
            "sector": self.sector.name,
            "place": self.place_label,
            "at": self.at.isoformat(),
            "chain": [link.as_dict() for link in self.links],
            "warnings": list(self.warnings),
            "place_kind": self.place.kind if self.place is not None else "town",
        }


def regulation_at(town: Any, day: datetime.date) -> Regulation | None:
    """The version of the town's regulation in force on `day` (active or since superseded)."""
    return (
        Regulation.objects.filter(town=town, status__in=[Status.ACTIVE, Status.SUPERSEDED])
        .filter(effective_from__lte=day)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=day))
        .order_by("-effective_from")
        .first()
    )


def level_labels(regulation: Regulation | None) -> dict[str, str]:
    """The level label of each post kind: from the regulation's own posts, else the genre's defaults."""
    pairs: dict[str, tuple[str, str]] = {str(k): (str(v[0]), str(v[1])) for k, v in POST_LEVEL.items()}
    if regulation is not None:
        for rp in regulation.posts.all():
            pairs[rp.kind] = (rp.level, rp.designation)
    return {
        kind: str(Designation(designation).label) if designation in _NAMED else str(Level(level).label)
        for kind, (level, designation) in pairs.items()
    }


def _in_order(change: UnitChange, side: str) -> list[Unit]:
    """The change's sources or results in the order the officer gave them (kept in `details`)."""
    order = change.details.get(side, [])
    units = list(getattr(change, side).all())
    return sorted(units, key=lambda u: order.index(u.name) if u.name in order else len(order))


def places_on(place: Unit, day: datetime.date) -> tuple[list[Unit], list[str]]:
    """The unit(s) that stood for `place` on `day`, following reorganisations forwards or backwards."""
    notes: list[str] = []
    current = [place]
    for _hop in range(_MAX_HOPS):
        if all(u.exists_on(day) for u in current):
            return current, notes
        following: list[Unit] = []
        for unit in current:
            if unit.exists_on(day):
                following.append(unit)
            elif unit.valid_until is not None and day > unit.valid_until:
                change = (
                    UnitChange.objects.filter(
                        sources=unit, effective=unit.valid_until + datetime.timedelta(days=1)
                    )
                    .prefetch_related("results")
                    .first()
                )
                if change is None:
                    notes.append(_("“%(u)s”已于%(d)s撤销。") % {"u": unit, "d": unit.valid_until})
                    continue
                results = _in_order(change, "results")
                notes.append(
                    _("“%(u)s”已于%(d)s%(k)s为“%(r)s”，按后者查询。")
                    % {
                        "u": unit,
                        "d": change.effective,
                        "k": change.get_kind_display(),
                        "r": "、".join(r.name for r in results),
                    }
                )
                following.extend(results)
            elif unit.valid_from is not None:
                change = UnitChange.objects.filter(results=unit, effective=unit.valid_from).first()
                if change is None:
                    notes.append(_("“%(u)s”设立于%(d)s，此前尚不存在。") % {"u": unit, "d": unit.valid_from})
                    continue
                sources = _in_order(change, "sources")
                notes.append(
                    _("“%(u)s”由“%(s)s”于%(d)s%(k)s而来，按改革前单位查询。")
                    % {
                        "u": unit,
                        "s": "、".join(s.name for s in sources),
                        "d": change.effective,
                        "k": change.get_kind_display(),
                    }
                )
                following.extend(sources)
        current = list(dict.fromkeys(following))
        if not current:
            return [], notes
    return [u for u in current if u.exists_on(day)], notes


def build_chain(*, sector: Sector, place: Unit | None, at: datetime.date) -> Chain:
    """The chain for `sector` at `place` (a village, an enterprise; None = the whole town) on `at`."""
    town = sector.town
    chain = Chain(sector=sector, place=place, at=at, place_label=place.name if place else town.name)
    chain.regulation = regulation_at(town, at)
    if chain.regulation is None:
        chain.warnings.append(_("%(d)s本镇尚无施行中的制度，责任层级按制度通例标注。") % {"d": at})
    labels = level_labels(chain.regulation)
    enterprise, villages = _enterprise_and_villages(chain, place, at)
    supervisors = _supervisors(chain, sector, at)
    portfolios, posts = _posts_in_chain(town, sector, at, supervisors, villages, enterprise)
    post_ids = {p.pk for p in posts} | {pf.post_id for pf in portfolios}
    links = _Links(chain, posts, selectors.holders(post_ids, at), labels)
    # From the place up: 主体责任, 属地, 谁主管、谁负责 and 综合监管, 分管领导, the town's leaders, the county.
    if enterprise is not None:
        links.enterprise_heads(enterprise)
    links.village_secretaries(villages)
    links.supervising_heads(supervisors)
    links.leaders_in_charge(portfolios, supervisors, sector)
    links.town_leaders()
    links.county_heads(supervisors)
    return chain


def _enterprise_and_villages(
    chain: Chain, place: Unit | None, at: datetime.date
) -> tuple[Unit | None, list[Unit]]:
    """The enterprise asked about (if any) and the village(s) that stood for the place's territory on `at`."""
    enterprise: Unit | None = None
    territory: Unit | None = place
    if place is not None and place.kind == UnitKind.ENTERPRISE:
        enterprise, territory = place, place.village
        if not place.exists_on(at):
            chain.warnings.append(_("“%(u)s”在%(d)s尚未登记或已注销。") % {"u": place, "d": at})
        if territory is None:
            chain.warnings.append(_("“%(u)s”未登记所在嘎查村（社区），无法确定属地责任。") % {"u": place})
    villages: list[Unit] = []
    if territory is not None:
        villages, notes = places_on(territory, at)
        # An enterprise's village is kept current by reorganisations: following it back to the village of the
        # day is bookkeeping, not news, unless no village stood there then.
        if enterprise is None or not villages:
            chain.warnings.extend(notes)
    return enterprise, villages


@dataclass
class _Supervisors:
    """The units supervising the sector on the day, by their part in the chain, and each one's scopes."""

    bodies: list[Unit]
    coordinating: list[Unit]
    county: list[Unit]
    scopes: dict[int, list[str]]

    @property
    def town_bodies(self) -> list[Unit]:
        return [*self.bodies, *self.coordinating]

    def scope_of(self, unit: Unit) -> str:
        return "、".join(sc for sc in self.scopes[unit.pk] if sc)


def _supervisors(chain: Chain, sector: Sector, at: datetime.date) -> _Supervisors:
    """Who supervised the sector on `at`, sorted into town bodies, the 安委办 and county bodies; warns of none or
    of several town bodies (多头监管)."""
    supervisions = list(
        Supervision.objects.at(at)
        .filter(sector=sector)
        .filter(in_force(at, "valid_from", "valid_until", prefix="unit__"))
        .select_related("unit")
        .order_by("id")
    )
    chain.supervisors = supervisions
    everyone = list(dict.fromkeys(s.unit for s in supervisions))
    county = [u for u in everyone if u.kind == UnitKind.COUNTY]
    coordinating = [u for u in everyone if is_safety_office(u)]
    bodies = [u for u in everyone if u not in county and u not in coordinating]
    scopes: dict[int, list[str]] = {}
    for s in supervisions:
        scopes.setdefault(s.unit_id, []).append(s.scope)
    if not bodies:
        chain.warnings.append(
            _("“%(s)s”无主管部门，由属地负责（%(p)s）。") % {"s": sector.name, "p": chain.place_label}
        )
    elif len(bodies) > 1:
        named = "、".join(b.name + "".join(f"（{sc}）" for sc in scopes[b.pk] if sc) for b in bodies)
        chain.warnings.append(
            _("“%(s)s”由%(n)d个单位监管（%(b)s），存在多头监管，请明确分工。")
            % {"s": sector.name, "n": len(bodies), "b": named}
        )
    return _Supervisors(bodies, coordinating, county, scopes)


def _posts_in_chain(
    town: Any,
    sector: Sector,
    at: datetime.date,
    supervisors: _Supervisors,
    villages: list[Unit],
    enterprise: Unit | None,
) -> tuple[list[Portfolio], list[Post]]:
    """The portfolios over the supervising bodies or the sector, and every post that may stand in the chain."""
    town_body_ids = [b.pk for b in supervisors.town_bodies]
    portfolios = list(
        Portfolio.objects.at(at)
        .filter(Q(unit_id__in=town_body_ids) | Q(sector=sector))
        .filter(in_force(at, "valid_from", "valid_until", prefix="post__"))
        .select_related("post__unit")
        .order_by("post_id", "id")
    )
    wanted = (
        Q(kind__in=_TOWN_KINDS)
        | Q(unit_id__in=town_body_ids, kind=PostKind.DEPARTMENT_HEAD)
        | Q(unit_id__in=[v.pk for v in villages], kind=PostKind.VILLAGE_SECRETARY)
        # A county body's seats are not the regulation's: whichever the register gives it stand for it.
        | Q(unit_id__in=[c.pk for c in supervisors.county])
    )
    if enterprise is not None:
        wanted |= Q(unit_id=enterprise.pk, kind=ENTERPRISE_HEAD)
    posts = list(
        Post.objects.at(at)
        .filter(in_force(at, "valid_from", "valid_until", prefix="unit__"))
        .filter(Q(town=town) & wanted)
        .select_related("unit")
        .order_by("id")
    )
    return portfolios, posts


class _Links:
    """Adds the chain's links tier by tier, from the posts and holders already read (no query of its own)."""

    def __init__(
        self, chain: Chain, posts: list[Post], holders: Mapping[int, Person | None], labels: dict[str, str]
    ) -> None:
        self.chain = chain
        self.posts = posts
        self.holders = holders
        self.labels = labels

    def add(self, role: str, post: Post, scope: str = "", level: str | None = None) -> None:
        person = self.holders.get(post.pk)
        if level is None:
            # Art. 3: whoever is in charge of a portfolio bears 直接领导责任 for it, whatever else their post
            # carries; a body's or an enterprise's principal head bears 全面领导责任 for it and its sectors.
            if role == Role.PORTFOLIO:
                level = str(Level.DIRECT.label)
            elif role in (Role.SECTOR, Role.COORDINATION, Role.ENTERPRISE):
                level = str(Level.OVERALL.label)
            else:
                level = self.labels.get(post.kind, str(Level.DIRECT.label))
        self.chain.links.append(
            Link(
                role=role,
                level=level,
                post=post.title,
                unit=post.unit.name,
                person=person.name if person else None,
                post_id=post.pk,
                unit_id=post.unit_id,
                person_id=person.pk if person else None,
                scope=scope,
            )
        )
        if person is None:
            self.warn(
                _("“%(p)s”（%(u)s）在%(d)s空缺。")
                % {"p": post.title, "u": post.unit.name, "d": self.chain.at}
            )

    def warn(self, message: str) -> None:
        self.chain.warnings.append(message)

    def of_kind(self, kind: str, unit_ids: list[int] | None = None) -> list[Post]:
        return [p for p in self.posts if p.kind == kind and (unit_ids is None or p.unit_id in unit_ids)]

    def enterprise_heads(self, enterprise: Unit) -> None:
        """主体责任: the enterprise's own legal representative comes first."""
        found = self.of_kind(ENTERPRISE_HEAD, [enterprise.pk])
        if not found:
            self.warn(
                _("“%(u)s”未登记法定代表人（主体责任），请在单位页面添加“法定代表人”岗位及其任职。")
                % {"u": enterprise.name}
            )
        for post in found:
            self.add(Role.ENTERPRISE, post)

    def village_secretaries(self, villages: list[Unit]) -> None:
        """属地: the village secretary (a whole-town query has no village level: the town leaders answer)."""
        for village in villages:
            found = self.of_kind(PostKind.VILLAGE_SECRETARY, [village.pk])
            if not found:
                self.warn(_("“%(u)s”未设党支部书记岗位。") % {"u": village.name})
            for post in found:
                self.add(Role.TERRITORY, post)

    def supervising_heads(self, supervisors: _Supervisors) -> None:
        """谁主管、谁负责: the head of each supervising body, then the 安委办's 综合监管."""
        for role, units in ((Role.SECTOR, supervisors.bodies), (Role.COORDINATION, supervisors.coordinating)):
            for body in units:
                found = self.of_kind(PostKind.DEPARTMENT_HEAD, [body.pk])
                if not found:
                    self.warn(_("“%(u)s”未设负责人岗位。") % {"u": body.name})
                for post in found:
                    self.add(role, post, supervisors.scope_of(body))

    def leaders_in_charge(
        self, portfolios: list[Portfolio], supervisors: _Supervisors, sector: Sector
    ) -> None:
        """分管领导: in charge of a supervising body or of the sector itself."""
        in_charge: dict[int, Post] = {}
        covered: set[int] = set()
        for pf in portfolios:
            in_charge.setdefault(pf.post_id, pf.post)
            if pf.unit_id is not None:
                covered.add(pf.unit_id)
        for body in supervisors.town_bodies:
            if body.pk not in covered and not any(pf.sector_id == sector.pk for pf in portfolios):
                self.warn(_("“%(u)s”在%(d)s没有分管领导。") % {"u": body.name, "d": self.chain.at})
        for post in in_charge.values():
            self.add(Role.PORTFOLIO, post)

    def town_leaders(self) -> None:
        """The deputy in charge of safety, the mayor and the party secretary, then the overseers."""
        for kind, role in (
            (PostKind.SAFETY_DEPUTY, Role.SAFETY),
            (PostKind.MAYOR, Role.LEADERSHIP),
            (PostKind.PARTY_SECRETARY, Role.LEADERSHIP),
            (PostKind.CONGRESS_CHAIR, Role.OVERSIGHT),
            (PostKind.DISCIPLINE_SECRETARY, Role.OVERSIGHT),
        ):
            found = self.of_kind(kind)
            if not found:
                self.warn(_("本镇在%(d)s未设“%(k)s”岗位。") % {"d": self.chain.at, "k": PostKind(kind).label})
            for post in found:
                self.add(role, post)

    def county_heads(self, supervisors: _Supervisors) -> None:
        """At the top: the county body that supervises the sector, when the register names one."""
        for body in supervisors.county:
            found = [p for p in self.posts if p.unit_id == body.pk]
            if not found:
                self.warn(_("“%(u)s”未登记负责人岗位。") % {"u": body.name})
            for post in found:
                self.add(Role.COUNTY, post, supervisors.scope_of(body), str(_("行业监管")))


def village_choices(town: Any) -> list[Unit]:
    """Villages and communities of the town, current ones first, for the place picker."""
    return list(Unit.objects.filter(town=town, kind=UnitKind.VILLAGE).order_by("-active", "name"))


class NotFound(LookupError):
    """A sector or place named on the command line or in the API that the town does not have."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


WHOLE_TOWN = ("全镇", "全乡", "全苏木", "全街道")


def find_sector(town: Any, name: str) -> Sector:
    """A sector of the town by its exact name; the error lists close names to help."""
    name = " ".join(name.split())
    found = Sector.objects.filter(town=town, name=name).first()
    if found is not None:
        return found
    near = list(Sector.objects.filter(town=town, name__contains=name[:2]).values_list("name", flat=True)[:8])
    hint = f"相近的有：{'、'.join(near)}" if near else "可在“行业监管”页面查看全部行业领域"
    raise NotFound(f"{town.name}没有名为“{name}”的行业领域；{hint}。")


PLACE_KINDS = (UnitKind.VILLAGE, UnitKind.ENTERPRISE)


def find_place(town: Any, name: str | None) -> Unit | None:
    """A village, community or enterprise of the town by name; empty, 全镇 or the town's name: the whole town."""
    name = " ".join((name or "").split())
    if not name or name in WHOLE_TOWN or name in (town.name, town.code):
        return None
    found = Unit.objects.filter(town=town, kind__in=PLACE_KINDS, name=name).order_by("-active", "-id").first()
    if found is not None:
        return found
    if Unit.objects.filter(town=town, name=name).exists():
        raise NotFound(f"“{name}”不是嘎查村（社区）或生产经营单位；地点须为二者之一或“全镇”。")
    raise NotFound(f"{town.name}没有名为“{name}”的嘎查村（社区）或生产经营单位；不指定地点即查询全镇。")
