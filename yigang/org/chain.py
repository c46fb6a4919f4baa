"""The chain of responsibility: for a sector, a place and a day, who answered at which level.

Order (Art. 3–13 of the genre): the territory (属地, the village secretary), the supervising body's head
(谁主管、谁负责), the leader in charge of that body or sector (分管领导), the deputy in charge of safety
(综合监督管理), the mayor and the party secretary (全面领导), and the overseers (人大主席, 纪委书记). Every record is
taken as it stood on the day asked: units, posts, supervision, portfolios and tenures all carry dates, so the
answer before and after a change of holder or a reorganisation differs as it did in life.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from yigang.regulations.choices import POST_LEVEL, Designation, Level, PostKind
from yigang.regulations.models import Regulation, Status

from .models import Portfolio, Post, Sector, Supervision, Tenure, Unit, UnitChange, UnitKind, in_force

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


class Role:
    TERRITORY = "territory"
    SECTOR = "sector"
    PORTFOLIO = "portfolio"
    SAFETY = "safety"
    LEADERSHIP = "leadership"
    OVERSIGHT = "oversight"

    @staticmethod
    def label(role: str) -> str:
        return {
            Role.TERRITORY: _("属地管理"),
            Role.SECTOR: _("行业监管"),
            Role.PORTFOLIO: _("分管领导"),
            Role.SAFETY: _("综合监督管理"),
            Role.LEADERSHIP: _("全面领导"),
            Role.OVERSIGHT: _("监督"),
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
        return {"level": self.level, "post": self.post, "unit": self.unit, "person": self.person}


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
    """The chain for `sector` at `place` (a village; None = the whole town) on `at`."""
    town = sector.town
    chain = Chain(sector=sector, place=place, at=at, place_label=place.name if place else town.name)
    chain.regulation = regulation_at(town, at)
    if chain.regulation is None:
        chain.warnings.append(_("%(d)s本镇尚无施行中的制度，责任层级按制度通例标注。") % {"d": at})
    labels = level_labels(chain.regulation)

    villages: list[Unit] = []
    if place is not None:
        villages, notes = places_on(place, at)
        chain.warnings.extend(notes)

    supervisions = list(
        Supervision.objects.at(at)
        .filter(sector=sector)
        .filter(in_force(at, "valid_from", "valid_until", prefix="unit__"))
        .select_related("unit")
        .order_by("id")
    )
    chain.supervisors = supervisions
    bodies = list(dict.fromkeys(s.unit for s in supervisions))
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

    body_ids = [b.pk for b in bodies]
    portfolios = list(
        Portfolio.objects.at(at)
        .filter(Q(unit_id__in=body_ids) | Q(sector=sector))
        .filter(in_force(at, "valid_from", "valid_until", prefix="post__"))
        .select_related("post__unit")
        .order_by("post_id", "id")
    )
    posts = list(
        Post.objects.at(at)
        .filter(town=town)
        .filter(in_force(at, "valid_from", "valid_until", prefix="unit__"))
        .filter(
            Q(kind__in=_TOWN_KINDS)
            | Q(unit_id__in=body_ids, kind=PostKind.DEPARTMENT_HEAD)
            | Q(unit_id__in=[v.pk for v in villages], kind=PostKind.VILLAGE_SECRETARY)
        )
        .select_related("unit")
        .order_by("id")
    )
    post_ids = {p.pk for p in posts} | {pf.post_id for pf in portfolios}
    holders = {
        t.post_id: t.person
        for t in Tenure.objects.at(at).filter(post_id__in=post_ids).select_related("person")
    }

    def add(role: str, post: Post, scope: str = "") -> None:
        person = holders.get(post.pk)
        # Art. 3: whoever is in charge of a portfolio bears 直接领导责任 for it, whatever else their post carries.
        level = (
            str(Level.DIRECT.label)
            if role == Role.PORTFOLIO
            else labels.get(post.kind, str(Level.DIRECT.label))
        )
        chain.links.append(
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
            chain.warnings.append(
                _("“%(p)s”（%(u)s）在%(d)s空缺。") % {"p": post.title, "u": post.unit.name, "d": at}
            )

    def of_kind(kind: str, unit_ids: list[int] | None = None) -> list[Post]:
        return [p for p in posts if p.kind == kind and (unit_ids is None or p.unit_id in unit_ids)]

    # 属地: the village secretary (a whole-town query has no village level: the town leaders below answer).
    for village in villages:
        found = of_kind(PostKind.VILLAGE_SECRETARY, [village.pk])
        if not found:
            chain.warnings.append(_("“%(u)s”未设党支部书记岗位。") % {"u": village.name})
        for post in found:
            add(Role.TERRITORY, post)

    # 谁主管、谁负责: the head of each supervising body.
    for body in bodies:
        found = of_kind(PostKind.DEPARTMENT_HEAD, [body.pk])
        if not found:
            chain.warnings.append(_("“%(u)s”未设负责人岗位。") % {"u": body.name})
        for post in found:
            add(Role.SECTOR, post, "、".join(sc for sc in scopes[body.pk] if sc))

    # 分管领导: in charge of a supervising body or of the sector itself.
    in_charge: dict[int, Post] = {}
    covered: set[int] = set()
    for pf in portfolios:
        in_charge.setdefault(pf.post_id, pf.post)
        if pf.unit_id is not None:
            covered.add(pf.unit_id)
    for body in bodies:
        if body.pk not in covered and not any(pf.sector_id == sector.pk for pf in portfolios):
            chain.warnings.append(_("“%(u)s”在%(d)s没有分管领导。") % {"u": body.name, "d": at})
    for post in in_charge.values():
        add(Role.PORTFOLIO, post)

    for kind, role in (
        (PostKind.SAFETY_DEPUTY, Role.SAFETY),
        (PostKind.MAYOR, Role.LEADERSHIP),
        (PostKind.PARTY_SECRETARY, Role.LEADERSHIP),
        (PostKind.CONGRESS_CHAIR, Role.OVERSIGHT),
        (PostKind.DISCIPLINE_SECRETARY, Role.OVERSIGHT),
    ):
        found = of_kind(kind)
        if not found:
            chain.warnings.append(_("本镇在%(d)s未设“%(k)s”岗位。") % {"d": at, "k": PostKind(kind).label})
        for post in found:
            add(role, post)
    return chain


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


def find_place(town: Any, name: str | None) -> Unit | None:
    """A village or community of the town by name; empty, 全镇 or the town's own name mean the whole town."""
    name = " ".join((name or "").split())
    if not name or name in WHOLE_TOWN or name in (town.name, town.code):
        return None
    found = (
        Unit.objects.filter(town=town, kind=UnitKind.VILLAGE, name=name).order_by("-active", "-id").first()
    )
    if found is not None:
        return found
    if Unit.objects.filter(town=town, name=name).exists():
        raise NotFound(f"“{name}”不是嘎查村（社区）；地点须为嘎查村（社区）或“全镇”。")
    raise NotFound(f"{town.name}没有名为“{name}”的嘎查村（社区）；不指定地点即查询全镇。")
