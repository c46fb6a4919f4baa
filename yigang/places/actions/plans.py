"""The bodies' yearly inspection plans: the town's frequency table by risk level, a plan's lines by hand or
from the table, and which bodies supervise a place."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from yigang.audit.log import record
from yigang.org.models import Supervision, Unit, UnitKind
from yigang.regulations.choices import Period
from yigang.towns.models import Town

from ..models import InspectionFrequency, Place, PlanItem, RiskLevel

PLAN_PERIODS = (Period.MONTH, Period.QUARTER, Period.HALF_YEAR, Period.YEAR)


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
            item = _new_item(unit, year, place, period, count, from_risk=from_risk)
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
                item = _new_item(unit, year, place, period, count, from_risk=True)
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


def _new_item(unit: Unit, year: int, place: Place, period: str, count: int, *, from_risk: bool) -> PlanItem:
    return PlanItem.objects.create(
        town=unit.town, year=year, unit=unit, place=place, period=period, count=count, from_risk=from_risk
    )
