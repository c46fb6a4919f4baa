"""Writes to the responsibility register: one transaction and one audit entry each.

Units, sectors and supervision; posts, people, tenures and portfolios; reorganisation (机构改革), whose
planning and moves live in `reorganise.py`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yigang.audit.log import record
from yigang.regulations.models import Regulation, SectorClaim, Status
from yigang.towns.models import Town
from yigang.words import chinese_number

from .models import (
    ENTERPRISE_HEAD,
    POST_KIND_VALUES,
    Person,
    Portfolio,
    Post,
    Sector,
    Supervision,
    Tenure,
    Unit,
    UnitChange,
    UnitKind,
)
from .reorganise import apply_reorganisation, plan_reorganisation


def _clean_name(value: str, what: str, limit: int) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValidationError(f"请填写{what}名称。")
    if len(name) > limit:
        raise ValidationError(f"{what}名称不能超过 {limit} 个字。")
    return name


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def add_unit(
    *,
    town: Town,
    name: str,
    kind: str = UnitKind.BODY,
    note: str = "",
    valid_from: datetime.date | None = None,
    sector: Sector | None = None,
    village: Unit | None = None,
    actor: Any,
) -> Unit:
    """A new unit of the town (an office, a stationed unit, a village, an enterprise with its sector)."""
    name = _clean_name(name, "单位", 120)
    if kind not in UnitKind.values:
        raise ValidationError("单位类别无效。")
    if Unit.objects.filter(town=town, name=name, active=True).exists():
        raise ValidationError(f"已有名为“{name}”的单位。")
    if (sector is not None or village is not None) and kind != UnitKind.ENTERPRISE:
        raise ValidationError("只有生产经营单位需要填写所属行业领域和所在嘎查村（社区）。")
    if sector is not None and sector.town_id != town.pk:
        raise ValidationError("行业领域不属于本乡镇。")
    if village is not None and (village.town_id != town.pk or village.kind != UnitKind.VILLAGE):
        raise ValidationError("所在地须为本乡镇的嘎查村（社区）。")
    if village is not None and not village.active:
        raise ValidationError(f"“{village}”已撤销。")
    with transaction.atomic():
        unit = Unit.objects.create(
            town=town,
            name=name,
            kind=kind,
            note=note[:200],
            valid_from=valid_from,
            sector=sector,
            village=village,
        )
        record(
            "org.unit.add",
            actor=actor,
            obj=unit,
            changes={
                "name": name,
                "kind": kind,
                "valid_from": _day(valid_from),
                "sector": sector.name if sector else None,
                "village": village.name if village else None,
            },
        )
    return unit


def add_sector(*, town: Town, name: str, description: str = "", synonyms: str = "", actor: Any) -> Sector:
    """A new sector (行业领域) in the town's table, with the other names it goes by."""
    name = _clean_name(name, "行业领域", 80)
    if Sector.objects.filter(town=town, name=name).exists():
        raise ValidationError(f"已有名为“{name}”的行业领域。")
    words = _clean_synonyms(synonyms, name)
    with transaction.atomic():
        sector = Sector.objects.create(town=town, name=name, description=description[:300], synonyms=words)
        record("org.sector.add", actor=actor, obj=sector, changes={"name": name, "synonyms": words})
    return sector


def _clean_synonyms(value: str, name: str) -> str:
    words: list[str] = []
    for word in re.split(r"[、，,;；\s]+", value):
        if word and word != name and word not in words:
            words.append(word)
    joined = "、".join(words)
    if len(joined) > 300:
        raise ValidationError("同义词合计不能超过 300 个字。")
    return joined


def set_sector_words(*, sector: Sector, synonyms: str, broader: Sector | None, actor: Any) -> Sector:
    """The other names a sector goes by (烟花鞭炮 = 烟花爆竹) and the wider sector it is part of (道路 ⊂ 道路交通).

    The lint uses them to flag bodies supervising the same ground under two names.
    """
    words = _clean_synonyms(synonyms, sector.name)
    if broader is not None:
        if broader.town_id != sector.town_id:
            raise ValidationError("所属行业领域须是本镇的行业领域。")
        step: Sector | None = broader
        while step is not None:  # 道路 ⊂ 道路交通 ⊂ 道路 would make every name part of itself
            if step.pk == sector.pk:
                raise ValidationError(f"“{broader.name}”已属于“{sector.name}”，不能反过来设置。")
            step = step.broader
    with transaction.atomic():
        before = {"synonyms": sector.synonyms, "broader": sector.broader.name if sector.broader else None}
        sector.synonyms = words
        sector.broader = broader
        sector.save(update_fields=["synonyms", "broader"])
        record(
            "org.sector.words",
            actor=actor,
            obj=sector,
            changes={
                "synonyms": [before["synonyms"], words],
                "broader": [before["broader"], broader.name if broader else None],
            },
        )
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
    *,
    sector: Sector,
    unit: Unit,
    scope: str = "",
    source: str = "",
    start: datetime.date | None = None,
    actor: Any,
) -> Supervision:
    """Record that `unit` supervises `sector` (or the part of it named by `scope`), from `start` if given."""
    if unit.town_id != sector.town_id:
        raise ValidationError("单位与行业领域不属于同一乡镇。")
    if not unit.active:
        raise ValidationError(f"“{unit}”已于{unit.valid_until}撤销，不能再承担监管职责。")
    if unit.kind not in (UnitKind.BODY, UnitKind.COUNTY):
        raise ValidationError(
            "行业监管须由镇属机构、驻镇单位或旗县级主管部门承担；嘎查村（社区）与企业按属地和主体责任管理。"
        )
    scope = " ".join(scope.split())[:80]
    if Supervision.objects.filter(sector=sector, unit=unit, scope=scope, end__isnull=True).exists():
        raise ValidationError(f"“{unit}”已监管“{sector}”{('（' + scope + '）') if scope else ''}。")
    with transaction.atomic():
        supervision = Supervision.objects.create(
            town=sector.town, sector=sector, unit=unit, scope=scope, source=source[:120], start=start
        )
        record(
            "org.supervision.add",
            actor=actor,
            obj=supervision,
            changes={"sector": sector.name, "unit": unit.name, "scope": scope, "start": _day(start)},
        )
    return supervision


def end_supervision(*, supervision: Supervision, end: datetime.date, actor: Any) -> Supervision:
    """The body stops supervising the sector after `end` (its last day); the record stays for history.

    There is no way to delete a supervision: the chain of any day up to `end` keeps naming the body, as it did
    in life (lifelong accountability). A supervision entered by mistake is ended too, on its first day.
    """
    if supervision.end is not None:
        raise ValidationError(f"该监管关系已于{supervision.end}终止。")
    if supervision.start is not None and end < supervision.start:
        raise ValidationError(f"终止日期不能早于起始日期（{supervision.start}）。")
    with transaction.atomic():
        supervision.end = end
        supervision.save(update_fields=["end"])
        record(
            "org.supervision.end",
            actor=actor,
            obj=supervision,
            changes={
                "sector": supervision.sector.name,
                "unit": supervision.unit.name,
                "scope": supervision.scope,
                "end": _day(end),
            },
        )
    return supervision


@dataclass
class SyncResult:
    units: int = 0
    sectors: int = 0
    supervisions: int = 0


def pending_claims(regulation: Regulation) -> list[tuple[SectorClaim, dict[str, str]]]:
    """The (claim, sector) pairs of the regulation that the town's table does not hold yet.

    A pair counts as held once it was ever adopted (an ended supervision stays on record), and a claim naming a
    body that a reorganisation dissolved is not pending: its successor carries the supervision.
    """
    existing = {
        (s.unit.name, s.sector.name, s.scope)
        for s in Supervision.objects.filter(town=regulation.town).select_related("unit", "sector")
    }
    dissolved = set(
        Unit.objects.filter(town=regulation.town, active=False).values_list("name", flat=True)
    ) - set(Unit.objects.filter(town=regulation.town, active=True).values_list("name", flat=True))
    pending = []
    for claim in regulation.sector_claims.all():
        if claim.unit_name in dissolved:
            continue
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
            named = Unit.objects.filter(town=town, name=claim.unit_name).order_by("-active", "-id")
            unit = named.first()
            if unit is None:
                unit = Unit.objects.create(
                    town=town, name=claim.unit_name, kind=UnitKind.BODY, note=claim.note
                )
                result.units += 1
            elif not unit.active:
                # Dissolved by a reorganisation: its successor already carries the supervision.
                continue
            source = ""
            if claim.item is not None:
                source = f"第{chinese_number(claim.item.article.number)}条第{claim.item.number}项"
            for entry in claim.sectors:
                sector, created = Sector.objects.get_or_create(town=town, name=entry["name"])
                result.sectors += created
                scope = entry.get("scope", "")
                if not Supervision.objects.filter(sector=sector, unit=unit, scope=scope).exists():
                    Supervision.objects.create(
                        town=town, sector=sector, unit=unit, scope=scope, source=source
                    )
                    result.supervisions += 1
        record(
            "org.sectors.sync",
            actor=actor,
            obj=regulation,
            town=town,
            changes={"units": result.units, "sectors": result.sectors, "supervisions": result.supervisions},
        )
    return result


def add_post(
    *, unit: Unit, title: str, kind: str = "", valid_from: datetime.date | None = None, actor: Any
) -> Post:
    """A new post (seat with duties) in a unit; `kind` maps it to the regulation's post kinds."""
    title = _clean_name(title, "岗位", 120)
    if kind and kind not in POST_KIND_VALUES:
        raise ValidationError("制度岗位类别无效。")
    if kind == ENTERPRISE_HEAD and unit.kind != UnitKind.ENTERPRISE:
        raise ValidationError("法定代表人岗位只能设在生产经营单位。")
    if not unit.active:
        raise ValidationError(f"“{unit}”已撤销，不能再设岗位。")
    if Post.objects.filter(unit=unit, title=title).exists():
        raise ValidationError(f"“{unit}”已有“{title}”岗位。")
    with transaction.atomic():
        post = Post.objects.create(town=unit.town, unit=unit, title=title, kind=kind, valid_from=valid_from)
        record(
            "org.post.add", actor=actor, obj=post, changes={"unit": unit.name, "title": title, "kind": kind}
        )
    return post


def add_person(
    *, town: Town, name: str, phone: str = "", note: str = "", user: Any = None, actor: Any
) -> Person:
    """A person of the town (a leader, a department head, a village secretary), optionally with an account."""
    name = _clean_name(name, "人员", 50)
    phone = " ".join(phone.split())
    if len(phone) > 30:
        raise ValidationError("电话不能超过 30 个字符。")
    if user is not None and Person.objects.filter(user=user).exists():
        raise ValidationError(f"账号“{user}”已关联其他人员。")
    with transaction.atomic():
        person = Person.objects.create(town=town, name=name, phone=phone, note=note[:200], user=user)
        record(
            "org.person.add",
            actor=actor,
            obj=person,
            changes={"name": name, "phone": phone, "user": getattr(user, "username", None)},
        )
    return person


# A start (or an end being entered) further ahead than this is a typo (2062 for 2026), not a decision taken.
MAX_AHEAD = datetime.timedelta(days=366)


def _not_too_far(day: datetime.date, what: str) -> None:
    """Refuse a date more than a year after today (Asia/Shanghai): an appointment is not decided years ahead."""
    limit = today() + MAX_AHEAD
    if day > limit:
        raise ValidationError(f"{what}（{day}）不能晚于{limit}（今天起一年内），请核对日期。")


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
    _not_too_far(start, "任职日期")
    if post.valid_from is not None and start < post.valid_from:
        raise ValidationError(f"“{post}”自{post.valid_from}起设立，任职日期不能早于此日。")
    if post.valid_until is not None and (end is None or end > post.valid_until):
        raise ValidationError(f"“{post}”已于{post.valid_until}撤销，任职须在此日前结束。")
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
            changes={"post": post.title, "person": person.name, "start": _day(start), "end": _day(end)},
        )
    return tenure


def end_tenure(*, tenure: Tenure, end: datetime.date, actor: Any) -> Tenure:
    """Close an open tenure on `end` (the last day in post); history is kept, never overwritten."""
    if tenure.end is not None:
        raise ValidationError(f"该任职已于{tenure.end}结束。")
    if end < tenure.start:
        raise ValidationError("离任日期不能早于任职日期。")
    _not_too_far(end, "离任日期")
    with transaction.atomic():
        tenure.end = end
        tenure.save(update_fields=["end"])
        record("org.tenure.end", actor=actor, obj=tenure, changes={"end": _day(end)})
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
    """分管: `post` is in charge of a body or a sector from `start` (to `end`, inclusive)."""
    if unit is None and sector is None:
        raise ValidationError("请选择分管的单位或行业领域。")
    if unit is not None and sector is not None:
        raise ValidationError("一条分管记录只能对应一个单位或一个行业领域。")
    for other in (unit, sector):
        if other is not None and other.town_id != post.town_id:
            raise ValidationError("分管对象与岗位不属于同一乡镇。")
    if unit is not None and not unit.active:
        raise ValidationError(f"“{unit}”已撤销。")
    if end is not None and end < start:
        raise ValidationError("终止日期不能早于起始日期。")
    _not_too_far(start, "分管起始日期")
    same = Portfolio.objects.filter(post=post, unit=unit, sector=sector, start__lte=end or datetime.date.max)
    if same.filter(Q(end__isnull=True) | Q(end__gte=start)).exists():
        raise ValidationError(f"“{post}”在该期间已分管“{unit or sector}”。")
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
                "start": _day(start),
                "end": _day(end),
            },
        )
    return portfolio


def end_portfolio(*, portfolio: Portfolio, end: datetime.date, actor: Any) -> Portfolio:
    """The leader stops being in charge after `end` (the last day); the record stays for history."""
    if portfolio.end is not None:
        raise ValidationError(f"该分管已于{portfolio.end}终止。")
    if end < portfolio.start:
        raise ValidationError("终止日期不能早于起始日期。")
    _not_too_far(end, "分管终止日期")
    with transaction.atomic():
        portfolio.end = end
        portfolio.save(update_fields=["end"])
        record("org.portfolio.end", actor=actor, obj=portfolio, changes={"end": _day(end)})
    return portfolio


def reorganise(
    *,
    town: Town,
    kind: str,
    effective: datetime.date,
    sources: Sequence[Unit],
    results: Sequence[str],
    allocation: Mapping[int, str] | None = None,
    document: str = "",
    actor: Any,
) -> UnitChange:
    """机构改革: rename one unit, merge several into one, or split one into several on `effective`.

    `results` are the names after the change; a result named like a source means that source carries on.
    The sources that end close the day before; their supervision, posts (with their holders) and portfolios
    move to the successors from `effective`. For a split, `allocation` maps a supervision id to the result that
    takes it (default: the first result). Nothing is rewritten: old records end, new ones start.
    """
    plan = plan_reorganisation(
        town=town,
        kind=kind,
        effective=effective,
        sources=sources,
        results=results,
        allocation=allocation or {},
        today=today(),
    )
    with transaction.atomic():
        change = apply_reorganisation(plan, document=" ".join(document.split())[:200])
        record("org.unit.reorganise", actor=actor, obj=change, town=town, changes=change.details)
    return change


def today() -> datetime.date:
    """Today in the town's calendar (Asia/Shanghai)."""
    return timezone.localdate()
