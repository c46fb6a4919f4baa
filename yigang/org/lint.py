"""Gaps in the responsibility register on a day: overlapping or missing supervision, seats nobody holds.

The same check runs after a reorganisation (as of its effective date): sectors left without a supervisor,
duties left without a holder, vacant seats, bodies without a head or a leader in charge.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone

from yigang.hooks import Hooks
from yigang.regulations.choices import PostKind
from yigang.regulations.models import Duty, Regulation, Status
from yigang.towns.models import Town

from .models import Portfolio, Post, Sector, Supervision, Tenure, UnitKind, in_force
from .sector_words import related_sectors


@dataclass
class Overlap:
    sector: str
    bodies: list[dict[str, str]]


@dataclass
class UnheldDuty:
    post: str
    post_name: str
    duties: list[dict[str, Any]]
    reason: str = "no_post"  # no_post: no seat of that kind; vacant: seats exist, nobody holds one

    @property
    def reason_label(self) -> str:
        return "本镇未设置对应岗位" if self.reason == "no_post" else "对应岗位均空缺"


@dataclass
class VacantPost:
    post_id: int
    post: str
    unit: str
    kind: str


@dataclass
class HeadlessSector:
    """A sector nobody heads: no body supervises it, or none of its bodies has a head seat. Hazards there reach
    no named person (domain.md: 管行业必须管安全). `routes` are the town's place-type table for it
    (places app); a route of every place type to a body with a head settles it (`covered`)."""

    sector_id: int
    sector: str
    reason: str  # unsupervised | no_head | partial (bodies claim parts; the rest falls to the 安委办 alone)
    bodies: list[str] = field(default_factory=list)
    routes: list[dict[str, Any]] = field(default_factory=list)
    covered: bool = False

    @property
    def reason_label(self) -> str:
        if self.reason == "unsupervised":
            return "无行业监管单位"
        if self.reason == "partial":
            return "仅部分范围有监管单位（" + "、".join(self.bodies) + "），其余无行业监管单位负责"
        return "监管单位（" + "、".join(self.bodies) + "）未设负责人岗位"


# Who may say how a headless sector's places are routed: the places app registers its table at start-up
# (PlacesConfig.ready), so the register check reads it without org importing an app above it.
route_sources: Hooks[[Town, datetime.date], dict[int, list[dict[str, Any]]]] = Hooks()
register_route_source = route_sources.register


@dataclass
class LintReport:
    town: str
    regulation: str | None
    at: str = ""
    overlaps: list[Overlap] = field(default_factory=list)
    unsupervised: list[str] = field(default_factory=list)
    unheld_duties: list[UnheldDuty] = field(default_factory=list)
    vacant_posts: list[VacantPost] = field(default_factory=list)
    bodies_without_head: list[str] = field(default_factory=list)
    bodies_without_portfolio: list[str] = field(default_factory=list)
    pending_claims: int = 0
    # Bodies supervising the same ground under two names (烟花鞭炮 = 烟花爆竹, 道路 ⊂ 道路交通).
    synonym_overlaps: list[Overlap] = field(default_factory=list)
    headless_sectors: list[HeadlessSector] = field(default_factory=list)

    @property
    def uncovered_sectors(self) -> list[HeadlessSector]:
        """The headless sectors still an error: no route of the town's table settles them."""
        return [h for h in self.headless_sectors if not h.covered]

    @property
    def clean(self) -> bool:
        return not (
            self.uncovered_sectors
            or self.overlaps
            or self.unsupervised
            or self.unheld_duties
            or self.vacant_posts
            or self.bodies_without_head
            or self.bodies_without_portfolio
            or self.synonym_overlaps
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["clean"] = self.clean
        for entry, headless in zip(data["headless_sectors"], self.headless_sectors, strict=True):
            entry["reason_label"] = headless.reason_label
        return data


def lint_town(town: Town, day: datetime.date | None = None) -> LintReport:
    """Check the town's register on `day` (default today) against its regulation in force."""
    from .chain import regulation_at

    day = day or timezone.localdate()
    regulation = regulation_at(town, day)
    if regulation is None and day >= timezone.localdate():
        regulation = Regulation.objects.filter(town=town, status=Status.ACTIVE).first()
    report = LintReport(
        town=town.name, regulation=str(regulation) if regulation else None, at=day.isoformat()
    )

    unit_alive = in_force(day, "valid_from", "valid_until", prefix="unit__")
    by_sector: dict[int, list[Supervision]] = defaultdict(list)
    supervising: dict[int, str] = {}
    supervisions = Supervision.objects.at(day).filter(town=town).filter(unit_alive)
    # A county body above the town is not one of the town's supervisors: no overlap, no town head or leader.
    for s in supervisions.exclude(unit__kind=UnitKind.COUNTY).select_related("unit", "sector"):
        by_sector[s.sector_id].append(s)
        supervising[s.unit_id] = s.unit.name
    sectors = list(Sector.objects.filter(town=town).order_by("name"))
    for pair in related_sectors(sectors):
        claims = by_sector.get(pair.narrow.pk, []) + by_sector.get(pair.wide.pk, [])
        if len({c.unit_id for c in claims}) > 1:
            report.synonym_overlaps.append(
                Overlap(
                    pair.label,
                    [{"unit": c.unit.name, "scope": c.scope, "sector": c.sector.name} for c in claims],
                )
            )
    for sector in sectors:
        claims = by_sector.get(sector.pk, [])
        if not claims:
            report.unsupervised.append(sector.name)
        elif len({c.unit_id for c in claims}) > 1:
            report.overlaps.append(
                Overlap(sector.name, [{"unit": c.unit.name, "scope": c.scope} for c in claims])
            )

    posts = list(Post.objects.at(day).filter(town=town).filter(unit_alive).select_related("unit"))
    held_ids = set(Tenure.objects.at(day).filter(post__in=posts).values_list("post_id", flat=True))
    for post in posts:
        if post.pk not in held_ids and post.unit.kind != UnitKind.ENTERPRISE:
            report.vacant_posts.append(VacantPost(post.pk, post.title, post.unit.name, post.kind))
    heads = {p.unit_id for p in posts if p.kind == PostKind.DEPARTMENT_HEAD}
    report.bodies_without_head = sorted(name for pk, name in supervising.items() if pk not in heads)
    in_charge = set(
        Portfolio.objects.at(day).filter(town=town, unit__isnull=False).values_list("unit_id", flat=True)
    )
    report.bodies_without_portfolio = sorted(name for pk, name in supervising.items() if pk not in in_charge)
    report.headless_sectors = _headless(town, day, sectors, by_sector, heads)

    if regulation is not None:
        from .actions import pending_claims

        report.pending_claims = len(pending_claims(regulation))
        kinds = {p.kind for p in posts}
        held_kinds = {p.kind for p in posts if p.pk in held_ids}
        unheld: dict[str, UnheldDuty] = {}
        for duty in Duty.objects.filter(regulation=regulation).select_related("article", "item"):
            if duty.post and duty.post not in held_kinds:
                reason = "vacant" if duty.post in kinds else "no_post"
                entry = unheld.setdefault(
                    duty.post, UnheldDuty(duty.post, duty.get_post_display(), [], reason)
                )
                entry.duties.append(
                    {"place": duty.place_label, "frequency": duty.frequency_label, "text": duty.text[:80]}
                )
        report.unheld_duties = list(unheld.values())
    return report


def headless_sectors(town: Town, day: datetime.date | None = None) -> list[HeadlessSector]:
    """The sectors no body heads on `day` (default today), for a page that needs only this part of the check."""
    day = day or timezone.localdate()
    unit_alive = in_force(day, "valid_from", "valid_until", prefix="unit__")
    by_sector: dict[int, list[Supervision]] = defaultdict(list)
    supervisions = Supervision.objects.at(day).filter(town=town).filter(unit_alive)
    for s in supervisions.exclude(unit__kind=UnitKind.COUNTY).select_related("unit"):
        by_sector[s.sector_id].append(s)
    heads = set(
        Post.objects.at(day)
        .filter(town=town, kind=PostKind.DEPARTMENT_HEAD)
        .filter(unit_alive)
        .values_list("unit_id", flat=True)
    )
    sectors = list(Sector.objects.filter(town=town).order_by("name"))
    return _headless(town, day, sectors, by_sector, heads)


def _headless(
    town: Town,
    day: datetime.date,
    sectors: list[Sector],
    by_sector: dict[int, list[Supervision]],
    heads: set[int],
) -> list[HeadlessSector]:
    """Sectors no industry body heads. The 安委办's 综合监管 is not a head for a sector (管行业必须管安全): a sector
    only it claims without a scope, beside bodies that claim parts (消防: 派出所 only for 九小场所), leaves the rest
    of the sector to no one named."""
    from .chain import is_safety_office

    found: list[HeadlessSector] = []
    for sector in sectors:
        claims = by_sector.get(sector.pk, [])
        industry = [c for c in claims if not is_safety_office(c.unit)]
        headed = [c for c in industry if c.unit_id in heads]
        office_rest = any(is_safety_office(c.unit) and not c.scope for c in claims)
        if headed and not (office_rest and all(c.scope for c in headed)):
            continue
        if not industry:
            reason = "unsupervised"
        elif not headed:
            reason = "no_head"
        else:
            reason = "partial"
        bodies = sorted({c.unit.name + (f"（{c.scope}）" if c.scope else "") for c in industry})
        found.append(HeadlessSector(sector.pk, sector.name, reason, bodies))
    if found and route_sources:
        routes: dict[int, list[dict[str, Any]]] = {}
        for table in route_sources.each(town, day):
            for sector_id, entries in table.items():
                routes.setdefault(sector_id, []).extend(entries)
        for headless in found:
            headless.routes = routes.get(headless.sector_id, [])
            headless.covered = any(r["kind"] == "" and r["has_head"] for r in headless.routes)
    return found
