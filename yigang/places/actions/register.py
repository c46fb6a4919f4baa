"""The register of places: entered with licences and a first risk assessment, changed, closed, assessed again."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record
from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.models import Town

from ..models import Licence, Place, PlaceKind, RiskAssessment, RiskLevel

# The contact and description fields a place carries, with their limits (the model's max_length).
TEXT_FIELDS = {
    "address": ("地址", 200),
    "legal_representative": ("法定代表人（负责人）", 50),
    "legal_representative_phone": ("法定代表人电话", 30),
    "safety_manager": ("安全管理人员", 50),
    "safety_manager_phone": ("安全管理人员电话", 30),
    "scale": ("规模", 100),
}


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
            _assess(place, data, actor)
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
                made = _assess(place, data, actor)
                changes["risk"] = [made.level, made.assessed_on.isoformat()]
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


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _assess(place: Place, data: PlaceData, actor: Any) -> RiskAssessment:
    """The risk assessment a register row (the form or the import) gives with the place."""
    assert data.risk_level and data.risk_on is not None
    return RiskAssessment.objects.create(
        town=place.town,
        place=place,
        level=data.risk_level,
        assessed_on=data.risk_on,
        basis=data.risk_basis,
        created_by=_user(actor),
    )
