"""Every write of the places register: places, their licences and risk assessments, the frequency table, the
bodies' plans, the inspections that name places, and the place-type routes. Keyword-only `actor`, one
transaction, one audit entry; bad input is a ValidationError in Chinese and saves nothing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yigang.audit.log import record
from yigang.duties import actions as duties
from yigang.duties.models import DutyRecord
from yigang.org.models import Sector, Supervision, Unit, UnitKind
from yigang.regulations.choices import Period
from yigang.towns.models import Town

from .models import (
    InspectedPlace,
    InspectionFrequency,
    Licence,
    Place,
    PlaceKind,
    PlaceRoute,
    PlanItem,
    RiskAssessment,
    RiskLevel,
)

# The contact and description fields a place carries, with their limits (the model's max_length).
TEXT_FIELDS = {
    "address": ("地址", 200),
    "legal_representative": ("法定代表人（负责人）", 50),
    "legal_representative_phone": ("法定代表人电话", 30),
    "safety_manager": ("安全管理人员", 50),
    "safety_manager_phone": ("安全管理人员电话", 30),
    "scale": ("规模", 100),
}
PLAN_PERIODS = (Period.MONTH, Period.QUARTER, Period.HALF_YEAR, Period.YEAR)


@dataclass
class PlaceData:
    """A place as a form, the import or the API hands it over."""

    name: str
    kind: str
    village: Unit | None
    sectors: Sequence[Sector]
    unit: Unit | None = None
    address: str = ""
    legal_representative: str = ""
    legal_representative_phone: str = ""
    safety_manager: str = ""
    safety_manager_phone: str = ""
    scale: str = ""
    opened: datetime.date | None = None
    licences: Sequence[tuple[str, str]] = field(default_factory=list)
    risk_level: str = ""
    risk_on: datetime.date | None = None
    risk_basis: str = ""


def _clean(town: Town, data: PlaceData, place: Place | None = None) -> PlaceData:
    errors: list[str] = []
    data.name = " ".join((data.name or "").split())
    if not data.name:
        errors.append("请填写场所名称。")
    elif len(data.name) > 120:
        errors.append("场所名称不能超过 120 个字。")
    elif (
        Place.objects.filter(town=town, name=data.name, closed__isnull=True)
        .exclude(pk=place.pk if place else 0)
        .exists()
    ):
        errors.append(f"本镇已登记名为“{data.name}”的在册场所。")
    if data.kind not in PlaceKind.values:
        errors.append("请选择有效的场所类型。")
    if data.village is None:
        errors.append("请选择场所所在的嘎查村（社区）。")
    elif data.village.town_id != town.pk or data.village.kind != UnitKind.VILLAGE:
        errors.append("所在地须为本乡镇的嘎查村（社区）。")
    if not data.sectors:
        errors.append("请至少选择一个行业领域。")
    elif any(s.town_id != town.pk for s in data.sectors):
        errors.append("行业领域不属于本乡镇。")
    if data.unit is not None:
        if data.unit.town_id != town.pk or data.unit.kind != UnitKind.ENTERPRISE:
            errors.append("关联的单位须为本乡镇登记的生产经营单位。")
        elif Place.objects.filter(unit=data.unit).exclude(pk=place.pk if place else 0).exists():
            errors.append(f"生产经营单位“{data.unit}”已关联其他场所。")
    for name, (label, limit) in TEXT_FIELDS.items():
        value = " ".join(str(getattr(data, name) or "").split())
        setattr(data, name, value)
        if len(value) > limit:
            errors.append(f"{label}不能超过 {limit} 个字。")
    errors += _licence_errors(town, data, place)
    errors += _risk_errors(data.risk_level, data.risk_on, data.risk_basis)
    if errors:
        raise ValidationError(errors)
    return data


def _licence_errors(town: Town, data: PlaceData, place: Place | None) -> list[str]:
    errors: list[str] = []
    cleaned: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, number in data.licences:
        name, number = " ".join(name.split()), " ".join(number.split())
        if not number:
            errors.append(f"许可证“{name}”缺少编号。")
            continue
        if not name:
            errors.append(f"许可证编号“{number}”缺少许可证名称。")
            continue
        if len(name) > 80 or len(number) > 80:
            errors.append("许可证名称和编号均不能超过 80 个字。")
            continue
        if number in seen:
            errors.append(f"许可证编号“{number}”重复填写。")
            continue
        seen.add(number)
        other = (
            Licence.objects.filter(town=town, number=number)
            .exclude(place=place)
            .select_related("place")
            .first()
        )
        if other is not None:
            errors.append(f"许可证编号“{number}”已登记在“{other.place}”名下，不能重复登记。")
            continue
        cleaned.append((name, number))
    data.licences = cleaned
    return errors


def _risk_errors(level: str, on: datetime.date | None, basis: str) -> list[str]:
    if not level:
        return ["填写了评估日期须同时填写风险等级。"] if on else []
    if level not in RiskLevel.values:
        return ["风险等级须为红、橙、黄、蓝之一。"]
    if on is None:
        return ["填写风险等级须同时填写评估日期。"]
    if on > timezone.localdate():
        return ["评估日期不能晚于今天。"]
    if len(basis) > 300:
        return ["评估依据不能超过 300 个字。"]
    return []


def _snapshot(place: Place) -> dict[str, Any]:
    return {
        "name": place.name,
        "kind": place.kind,
        "village": place.village_id,
        "sectors": sorted(place.sectors.values_list("pk", flat=True)),
        "unit": place.unit_id,
        **{name: getattr(place, name) for name in TEXT_FIELDS},
        "opened": place.opened.isoformat() if place.opened else None,
        "licences": sorted(place.licences.values_list("number", flat=True)),
    }


def register_place(*, town: Town, data: PlaceData, actor: Any) -> Place:
    """Enter a place under supervision, with its licences and (optionally) its first risk assessment."""
    data = _clean(town, data)
    with transaction.atomic():
        assert data.village is not None
        place = Place.objects.create(
            town=town,
            name=data.name,
            kind=data.kind,
            village=data.village,
            unit=data.unit,
            opened=data.opened,
            **{name: getattr(data, name) for name in TEXT_FIELDS},
        )
        place.sectors.set(data.sectors)
        Licence.objects.bulk_create(
            Licence(town=town, place=place, name=n, number=x) for n, x in data.licences
        )
        if data.risk_level:
            assert data.risk_on is not None
            RiskAssessment.objects.create(
                town=town,
                place=place,
                level=data.risk_level,
                assessed_on=data.risk_on,
                basis=data.risk_basis,
                created_by=_user(actor),
            )
        record(
            "places.place.register",
            actor=actor,
            obj=place,
            changes={
                **_snapshot(place),
                "risk": [data.risk_level, str(data.risk_on or "")] if data.risk_level else None,
            },
        )
    return place


def update_place(*, place: Place, data: PlaceData, actor: Any) -> tuple[Place, bool]:
    """Change a place's details; licences named are added (a licence on record stays). A risk level that differs
    from the current assessment (level or date) is a new assessment. Returns the place and whether anything
    changed (an export re-imported changes nothing)."""
    town = place.town
    if place.closed is not None:
        raise ValidationError(f"“{place}”已于{place.closed}注销，不能修改。")
    data = _clean(town, data, place)
    with transaction.atomic():
        before = _snapshot(place)
        place.name, place.kind, place.village, place.unit, place.opened = (
            data.name,
            data.kind,
            data.village,  # type: ignore[assignment]
            data.unit,
            data.opened,
        )
        for name in TEXT_FIELDS:
            setattr(place, name, getattr(data, name))
        place.save()
        place.sectors.set(data.sectors)
        known = set(place.licences.values_list("number", flat=True))
        Licence.objects.bulk_create(
            Licence(town=town, place=place, name=n, number=x) for n, x in data.licences if x not in known
        )
        after = _snapshot(place)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        assessed = False
        if data.risk_level:
            current = place.assessments.order_by("-assessed_on", "-id").first()
            if current is None or (current.level, current.assessed_on) != (data.risk_level, data.risk_on):
                assert data.risk_on is not None
                RiskAssessment.objects.create(
                    town=town,
                    place=place,
                    level=data.risk_level,
                    assessed_on=data.risk_on,
                    basis=data.risk_basis,
                    created_by=_user(actor),
                )
                changes["risk"] = [data.risk_level, data.risk_on.isoformat()]
                assessed = True
        if changes:
            record("places.place.update", actor=actor, obj=place, changes=changes)
    return place, bool(changes) or assessed


def close_place(*, place: Place, closed: datetime.date | None, reason: str, actor: Any) -> Place:
    """End a place's supervision on its last day (停业、关闭); the place and its history stay on record."""
    reason = " ".join((reason or "").split())
    errors = []
    if place.closed is not None:
        errors.append(f"“{place}”已于{place.closed}注销。")
    if closed is None:
        errors.append("请填写注销日期（不再监管的最后一天）。")
    elif place.opened and closed < place.opened:
        errors.append("注销日期不能早于纳入监管日期。")
    if not reason:
        errors.append("请填写注销原因。")
    elif len(reason) > 200:
        errors.append("注销原因不能超过 200 个字。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        place.closed, place.closed_reason = closed, reason
        place.save(update_fields=["closed", "closed_reason"])
        record(
            "places.place.close", actor=actor, obj=place, changes={"closed": str(closed), "reason": reason}
        )
    return place


def assess_risk(
    *, place: Place, level: str, assessed_on: datetime.date | None, basis: str, actor: Any
) -> RiskAssessment:
    """A new risk assessment of the place (the history stays: the latest by date is its level)."""
    basis = " ".join((basis or "").split())
    errors = _risk_errors(level, assessed_on, basis) or ([] if level else ["请选择风险等级。"])
    if place.closed is not None:
        errors.append(f"“{place}”已注销，不能再评估。")
    if errors:
        raise ValidationError(errors)
    assert assessed_on is not None
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            town=place.town,
            place=place,
            level=level,
            assessed_on=assessed_on,
            basis=basis,
            created_by=_user(actor),
        )
        record(
            "places.risk.assess",
            actor=actor,
            obj=assessment,
            changes={
                "place": place.pk,
                "level": level,
                "assessed_on": assessed_on.isoformat(),
                "basis": basis,
            },
        )
    return assessment


def set_frequency(*, town: Town, level: str, period: str, count: int, actor: Any) -> InspectionFrequency:
    """The town's table: a place of `level` is inspected at least `count` times each `period`."""
    errors = []
    if level not in RiskLevel.values:
        errors.append("风险等级无效。")
    if period not in PLAN_PERIODS:
        errors.append("周期须为每月、每季度、每半年或每年。")
    if not isinstance(count, int) or not 1 <= count <= 31:
        errors.append("每周期检查次数须为 1 到 31 之间的整数。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = InspectionFrequency.objects.filter(town=town, level=level).first()
        before = [row.period, row.count] if row else list(InspectionFrequency.table(town)[level])
        if row is None:
            row = InspectionFrequency.objects.create(town=town, level=level, period=period, count=count)
        else:
            row.period, row.count = period, count
            row.save(update_fields=["period", "count"])
        record(
            "places.frequency.set",
            actor=actor,
            obj=row,
            changes={"level": level, "before": before, "after": [period, count]},
        )
    return row


def supervising_bodies(place: Place, first: datetime.date, last: datetime.date) -> list[Unit]:
    """The town's bodies that supervised one of the place's sectors on some day from `first` to `last`."""
    return list(
        Unit.objects.filter(
            supervisions__in=Supervision.objects.filter(sector__in=place.sectors.all())
            .filter(Q(start__isnull=True) | Q(start__lte=last))
            .filter(Q(end__isnull=True) | Q(end__gte=first)),
            kind=UnitKind.BODY,
        )
        .distinct()
        .order_by("name")
    )


def _plan_errors(unit: Unit, place: Place, year: int) -> list[str]:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if place.town_id != unit.town_id:
        return ["场所不属于本乡镇。"]
    if unit.kind != UnitKind.BODY:
        return ["检查计划须由镇属机构或驻镇单位制定。"]
    if not (2000 <= year <= 2100):
        return ["年度无效。"]
    if not (
        (place.opened is None or place.opened <= last) and (place.closed is None or place.closed >= first)
    ):
        return [f"“{place}”在{year}年不在监管期内。"]
    bodies = supervising_bodies(place, first, last)
    if unit not in bodies:
        others = "、".join(b.name for b in bodies) or "无监管单位"
        return [f"“{place}”所属行业领域由{others}监管，不能列入“{unit}”的检查计划。"]
    return []


def set_plan_item(
    *,
    unit: Unit,
    place: Place,
    year: int,
    period: str | None = None,
    count: int | None = None,
    actor: Any,
) -> PlanItem:
    """One line of a body's yearly plan. Without `period`: from the place's risk level by the town's table."""
    errors = _plan_errors(unit, place, year)
    from_risk = period is None
    if from_risk:
        level = place.assessments.order_by("-assessed_on", "-id").values_list("level", flat=True).first()
        if level is None:
            errors.append(f"“{place}”尚无风险等级，请先评估或指定检查周期。")
        else:
            period, count = InspectionFrequency.table(place.town)[level]
    elif period not in PLAN_PERIODS:
        errors.append("周期须为每月、每季度、每半年或每年。")
    if not from_risk and (not isinstance(count, int) or not 1 <= count <= 31):
        errors.append("每周期检查次数须为 1 到 31 之间的整数。")
    if errors:
        raise ValidationError(errors)
    assert period is not None and count is not None
    with transaction.atomic():
        item = PlanItem.objects.filter(year=year, unit=unit, place=place).first()
        before = [item.period, item.count] if item else None
        if item is None:
            item = PlanItem.objects.create(
                town=unit.town,
                year=year,
                unit=unit,
                place=place,
                period=period,
                count=count,
                from_risk=from_risk,
            )
        else:
            item.period, item.count, item.from_risk = period, count, from_risk
            item.save(update_fields=["period", "count", "from_risk", "updated_at"])
        record(
            "places.plan.set",
            actor=actor,
            obj=item,
            changes={
                "year": year,
                "unit": unit.pk,
                "place": place.pk,
                "before": before,
                "after": [period, count],
            },
        )
    return item


def make_plan(*, unit: Unit, year: int, actor: Any) -> list[PlanItem]:
    """A body's yearly plan from the risk table: a line for every place of its sectors that has a risk level
    and is under supervision some day of the year; lines set by hand stay as they are, lines from the table
    follow the current level. Returns the lines made or changed."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    sectors = (
        Supervision.objects.filter(unit=unit)
        .filter(Q(start__isnull=True) | Q(start__lte=last))
        .filter(Q(end__isnull=True) | Q(end__gte=first))
    )
    places = (
        Place.objects.filter(town=unit.town, sectors__in=sectors.values("sector_id"))
        .filter(Q(opened__isnull=True) | Q(opened__lte=last))
        .filter(Q(closed__isnull=True) | Q(closed__gte=first))
        .with_risk()
        .distinct()
    )
    table = InspectionFrequency.table(unit.town)
    existing = {i.place_id: i for i in PlanItem.objects.filter(year=year, unit=unit)}
    made: list[PlanItem] = []
    with transaction.atomic():
        for place in places:
            level = getattr(place, "risk_level", None)
            if not level:
                continue
            period, count = table[level]
            item = existing.get(place.pk)
            if item is None:
                item = PlanItem.objects.create(
                    town=unit.town,
                    year=year,
                    unit=unit,
                    place=place,
                    period=period,
                    count=count,
                    from_risk=True,
                )
            elif item.from_risk and (item.period, item.count) != (period, count):
                item.period, item.count = period, count
                item.save(update_fields=["period", "count", "updated_at"])
            else:
                continue
            made.append(item)
        record(
            "places.plan.make",
            actor=actor,
            obj=unit,
            changes={"year": year, "items": [[i.place_id, i.period, i.count] for i in made]},
        )
    return made


def _place_errors(town: Town, places: Sequence[Place], day: datetime.date) -> list[str]:
    errors = []
    for place in places:
        if place.town_id != town.pk:
            errors.append("检查的场所不属于本乡镇。")
        elif not place.open_on(day):
            errors.append(f"“{place}”在{day}不在监管期内。")
    return errors


def record_inspection(
    *,
    town: Town,
    data: duties.RecordData,
    places: Sequence[Place],
    files: Sequence[duties.Upload] = (),
    source: str = "form",
    actor: Any,
) -> DutyRecord:
    """An inspection record (the duties app's rules: credits, requirements, never edited) naming the places it
    covered. Both writes share one transaction: the record's own audit entry, and one naming the places."""
    places = list(dict.fromkeys(places))
    if not places:
        raise ValidationError("请选择本次检查的场所。")
    errors = _place_errors(town, places, duties.local_date(data.occurred_at))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry = duties.create_record(town=town, data=data, files=files, source=source, actor=actor)
        _link(town, entry, places, actor)
    return entry


def amend_inspection(
    *,
    record_: DutyRecord,
    data: duties.RecordData,
    reason: str,
    places: Sequence[Place],
    files: Sequence[duties.Upload] = (),
    withdraw: bool = False,
    actor: Any,
) -> DutyRecord:
    """Correct an inspection record: a new version (duties.amend_record) with the places it covered."""
    places = list(dict.fromkeys(places))
    if not places and not withdraw:
        raise ValidationError("请选择本次检查的场所。")
    errors = _place_errors(record_.town, places, duties.local_date(data.occurred_at))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry = duties.amend_record(
            record=record_, data=data, reason=reason, files=files, withdraw=withdraw, actor=actor
        )
        _link(record_.town, entry, places, actor)
    return entry


def _link(town: Town, entry: DutyRecord, places: Sequence[Place], actor: Any) -> None:
    try:
        InspectedPlace.objects.bulk_create(InspectedPlace(town=town, record=entry, place=p) for p in places)
    except IntegrityError:
        raise ValidationError("同一场所重复填写。") from None
    record("places.inspection", actor=actor, obj=entry, changes={"places": [p.pk for p in places]})


def add_route(
    *, sector: Sector, kind: str, unit: Unit, start: datetime.date | None, note: str = "", actor: Any
) -> PlaceRoute:
    """The town's table for a sector no body heads: places of `kind` (empty: all) go to `unit`."""
    errors = []
    if kind and kind not in PlaceKind.values:
        errors.append("场所类型无效。")
    if unit.town_id != sector.town_id or unit.kind != UnitKind.BODY or not unit.active:
        errors.append("负责单位须为本乡镇现存的镇属机构或驻镇单位。")
    if start is None:
        errors.append("请填写起始日期。")
    if PlaceRoute.objects.filter(sector=sector, kind=kind, end__isnull=True).exists():
        errors.append("该行业领域的这类场所已有分工，请先终止原分工。")
    if len(note) > 200:
        errors.append("依据不能超过 200 个字。")
    if errors:
        raise ValidationError(errors)
    assert start is not None
    with transaction.atomic():
        route = PlaceRoute.objects.create(
            town=sector.town, sector=sector, kind=kind, unit=unit, start=start, note=note
        )
        record(
            "places.route.add",
            actor=actor,
            obj=route,
            changes={
                "sector": sector.pk,
                "kind": kind,
                "unit": unit.pk,
                "start": start.isoformat(),
                "note": note,
            },
        )
    return route


def end_route(*, route: PlaceRoute, end: datetime.date | None, actor: Any) -> PlaceRoute:
    if route.end is not None:
        raise ValidationError("该分工已终止。")
    if end is None or end < route.start:
        raise ValidationError("终止日期须不早于起始日期。")
    with transaction.atomic():
        route.end = end
        route.save(update_fields=["end"])
        record("places.route.end", actor=actor, obj=route, changes={"end": end.isoformat()})
    return route


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
