"""Inspections that name places: a duty record (the duties app's rules) and the places it covered, in one go."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from yigang.audit.log import record
from yigang.duties import actions as duties
from yigang.duties.models import DutyRecord
from yigang.regulations.periods import local_date
from yigang.towns.models import Town

from ..models import InspectedPlace, Place


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
    errors = _place_errors(town, places, local_date(data.occurred_at))
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
    errors = _place_errors(record_.town, places, local_date(data.occurred_at))
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
