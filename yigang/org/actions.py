"""Writes to units, sectors and supervision: one transaction and one audit entry each."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from yigang.audit.log import record
from yigang.regulations.choices import PostKind
from yigang.regulations.models import Regulation, SectorClaim, Status
from yigang.regulations.numerals import chinese_number
from yigang.towns.models import Town

from .models import Person, Portfolio, Post, Sector, Supervision, Tenure, Unit, UnitKind


def _clean_name(value: str, what: str, limit: int) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValidationError(f"请填写{what}名称。")
    if len(name) > limit:
        raise ValidationError(f"{what}名称不能超过 {limit} 个字。")
    return name


def add_unit(*, town: Town, name: str, kind: str = UnitKind.BODY, note: str = "", actor: Any) -> Unit:
    """A new body of the town (an office, a stationed unit, a village, an enterprise)."""
    name = _clean_name(name, "单位", 120)
    if kind not in UnitKind.values:
        raise ValidationError("单位类别无效。")
    if Unit.objects.filter(town=town, name=name).exists():
        raise ValidationError(f"已有名为“{name}”的单位。")
    with transaction.atomic():
        unit = Unit.objects.create(town=town, name=name, kind=kind, note=note[:200])
        record("org.unit.add", actor=actor, obj=unit, changes={"name": name, "kind": kind})
    return unit


def add_sector(*, town: Town, name: str, description: str = "", actor: Any) -> Sector:
    """A new sector (行业领域) in the town's table."""
    name = _clean_name(name, "行业领域", 80)
    if Sector.objects.filter(town=town, name=name).exists():
        raise ValidationError(f"已有名为“{name}”的行业领域。")
    with transaction.atomic():
        sector = Sector.objects.create(town=town, name=name, description=description[:300])
        record("org.sector.add", actor=actor, obj=sector, changes={"name": name})
    return sector


def rename_sector(*, sector: Sector, name: str, actor: Any) -> Sector:
    name = _clean_name(name, "行业领域", 80)
    if Sector.objects.filter(town=sector.town, name=name).exclude(pk=sector.pk).exists():
        raise ValidationError(f"已有名为“{name}”的行业领域。")
    with transaction.atomic():
        old = sector.name
        sector.name = name
        sector.save(update_fields=["name"])
        record("org.sector.rename", actor=actor, obj=sector, changes={"name": [old, name]})
    return sector


def add_supervision(
    *, sector: Sector, unit: Unit, scope: str = "", source: str = "", actor: Any
) -> Supervision:
    """Record that `unit` supervises `sector` (or the part of it named by `scope`)."""
    if unit.town_id != sector.town_id:
        raise ValidationError("单位与行业领域不属于同一乡镇。")
    scope = " ".join(scope.split())[:80]
    if Supervision.objects.filter(sector=sector, unit=unit, scope=scope).exists():
        raise ValidationError(f"“{unit}”已监管“{sector}”{('（' + scope + '）') if scope else ''}。")
    with transaction.atomic():
        supervision = Supervision.objects.create(
            town=sector.town, sector=sector, unit=unit, scope=scope, source=source[:120]
        )
        record(
            "org.supervision.add",
            actor=actor,
            obj=supervision,
            changes={"sector": sector.name, "unit": unit.name, "scope": scope},
        )
    return supervision


def remove_supervision(*, supervision: Supervision, actor: Any) -> None:
    with transaction.atomic():
        record(
            "org.supervision.remove",
            actor=actor,
            obj=supervision,
            changes={
                "sector": supervision.sector.name,
                "unit": supervision.unit.name,
                "scope": supervision.scope,
            },
        )
        supervision.delete()


@dataclass
class SyncResult:
    units: int = 0
    sectors: int = 0
    supervisions: int = 0


def pending_claims(regulation: Regulation) -> list[tuple[SectorClaim, dict[str, str]]]:
    """The (claim, sector) pairs of the regulation that the town's table does not hold yet."""
    existing = {
        (s.unit.name, s.sector.name, s.scope)
        for s in Supervision.objects.filter(town=regulation.town).select_related("unit", "sector")
    }
    pending = []
    for claim in regulation.sector_claims.all():
        for sector in claim.sectors:
            if (claim.unit_name, sector["name"], sector.get("scope", "")) not in existing:
                pending.append((claim, sector))
    return pending


def sync_sectors_from_regulation(*, regulation: Regulation, actor: Any) -> SyncResult:
    """Adopt the bodies and sectors the active regulation lists; never removes what the officer edited."""
    if regulation.status != Status.ACTIVE:
        raise ValidationError("只能从现行有效的制度导入行业监管表。")
    town = regulation.town
    result = SyncResult()
    with transaction.atomic():
        for claim in regulation.sector_claims.select_related("item__article"):
            unit, created = Unit.objects.get_or_create(
                town=town, name=claim.unit_name, defaults={"kind": UnitKind.BODY, "note": claim.note}
            )
            result.units += created
            source = ""
            if claim.item is not None:
                source = f"第{chinese_number(claim.item.article.number)}条第{claim.item.number}项"
            for entry in claim.sectors:
                sector, created = Sector.objects.get_or_create(town=town, name=entry["name"])
                result.sectors += created
                _, created = Supervision.objects.get_or_create(
                    town=town,
                    sector=sector,
                    unit=unit,
                    scope=entry.get("scope", ""),
                    defaults={"source": source},
                )
                result.supervisions += created
        record(
            "org.sectors.sync",
            actor=actor,
            obj=regulation,
            town=town,
            changes={"units": result.units, "sectors": result.sectors, "supervisions": result.supervisions},
        )
    return result


def add_post(*, unit: Unit, title: str, kind: str = "", actor: Any) -> Post:
    """A new post (seat with duties) in a unit; `kind` maps it to the regulation's post kinds."""
    title = _clean_name(title, "岗位", 120)
    if kind and kind not in PostKind.values:
        raise ValidationError("制度岗位类别无效。")
    if Post.objects.filter(unit=unit, title=title).exists():
        raise ValidationError(f"“{unit}”已有“{title}”岗位。")
    with transaction.atomic():
        post = Post.objects.create(town=unit.town, unit=unit, title=title, kind=kind)
        record(
            "org.post.add", actor=actor, obj=post, changes={"unit": unit.name, "title": title, "kind": kind}
        )
    return post


def add_person(*, town: Town, name: str, phone: str = "", note: str = "", actor: Any) -> Person:
    """A person of the town (a leader, a department head, a village secretary)."""
    name = _clean_name(name, "人员", 50)
    with transaction.atomic():
        person = Person.objects.create(town=town, name=name, phone=phone[:30], note=note[:200])
        record("org.person.add", actor=actor, obj=person, changes={"name": name})
    return person


def appoint(
    *,
    post: Post,
    person: Person,
    start: datetime.date,
    end: datetime.date | None = None,
    note: str = "",
    actor: Any,
) -> Tenure:
    """`person` holds `post` from `start` (to `end`, inclusive). A post has one holder at a time."""
    if person.town_id != post.town_id:
        raise ValidationError("人员与岗位不属于同一乡镇。")
    if end is not None and end < start:
        raise ValidationError("离任日期不能早于任职日期。")
    with transaction.atomic():
        clash = (
            Tenure.objects.select_for_update()
            .filter(post=post, start__lte=end or datetime.date.max)
            .filter(Q(end__isnull=True) | Q(end__gte=start))
            .select_related("person")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                f"“{post}”在该期间已由{clash.person}担任（{clash.start}起）；请先办理其离任。"
            )
        tenure = Tenure.objects.create(
            town=post.town, post=post, person=person, start=start, end=end, note=note[:200]
        )
        record(
            "org.tenure.appoint",
            actor=actor,
            obj=tenure,
            changes={"post": post.title, "person": person.name, "start": start, "end": end},
        )
    return tenure


def end_tenure(*, tenure: Tenure, end: datetime.date, actor: Any) -> Tenure:
    """Close an open tenure on `end` (the last day in post); history is kept, never overwritten."""
    if tenure.end is not None:
        raise ValidationError(f"该任职已于{tenure.end}结束。")
    if end < tenure.start:
        raise ValidationError("离任日期不能早于任职日期。")
    with transaction.atomic():
        tenure.end = end
        tenure.save(update_fields=["end"])
        record("org.tenure.end", actor=actor, obj=tenure, changes={"end": end})
    return tenure


def assign_portfolio(
    *,
    post: Post,
    start: datetime.date,
    unit: Unit | None = None,
    sector: Sector | None = None,
    end: datetime.date | None = None,
    actor: Any,
) -> Portfolio:
    """分管: `post` is in charge of a body or a sector from `start`."""
    if unit is None and sector is None:
        raise ValidationError("请选择分管的单位或行业领域。")
    for other in (unit, sector):
        if other is not None and other.town_id != post.town_id:
            raise ValidationError("分管对象与岗位不属于同一乡镇。")
    if end is not None and end < start:
        raise ValidationError("终止日期不能早于起始日期。")
    with transaction.atomic():
        portfolio = Portfolio.objects.create(
            town=post.town, post=post, unit=unit, sector=sector, start=start, end=end
        )
        record(
            "org.portfolio.assign",
            actor=actor,
            obj=portfolio,
            changes={
                "post": post.title,
                "unit": unit.name if unit else None,
                "sector": sector.name if sector else None,
                "start": start,
                "end": end,
            },
        )
    return portfolio
