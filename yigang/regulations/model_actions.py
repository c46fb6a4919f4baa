"""Writes of a level's model (issue 25.5): which duties of its regulation every town must hold, and which town
post answers for each of its posts. One transaction and one audit entry each."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yigang.audit.log import record
from yigang.towns.models import Region

from .choices import DEFAULT_TOWN_POST, PostKind, RegionPost
from .models import Duty, PostMapping, Status


def mark_model_duty(*, duty: Duty, is_model: bool, actor: Any) -> Duty:
    """Mark (or unmark) a duty of a region's regulation as required of every town below it.

    A draft's marks take effect when it is put in force; the version in force may be marked too, the towns are then
    held against it at once. Superseded and discarded versions keep the marks they had.
    """
    regulation = duty.regulation
    region = regulation.region
    if region is None:
        raise ValidationError("只有旗县、盟市本级的制度可以标记示范条款。")
    if regulation.status not in (Status.DRAFT, Status.ACTIVE):
        raise ValidationError("已被替代或作废的版本不能再修改示范条款。")
    if is_model and not duty.post:
        raise ValidationError("请先为该履职要求指定岗位，再标记为示范条款。")
    if duty.is_model == is_model:
        return duty
    with transaction.atomic():
        duty.is_model = is_model
        duty.save(update_fields=["is_model"])
        record(
            "regulation.model.mark" if is_model else "regulation.model.unmark",
            actor=actor,
            obj=duty,
            changes={"region": region.code, "version": regulation.version, "post": duty.post},
        )
    return duty


def set_post_mapping(*, region: Region, region_post: str, town_post: str, actor: Any) -> PostMapping | None:
    """The region's correction of which town post answers for one of its posts ("" for none).

    Setting the default again keeps the row (the correction stays on record, now equal to the default).
    """
    if region_post not in RegionPost.values:
        raise ValidationError("本级岗位无效。")
    if town_post and town_post not in PostKind.values:
        raise ValidationError("乡镇岗位无效。")
    with transaction.atomic():
        mapping = (
            PostMapping.objects.select_for_update().filter(region=region, region_post=region_post).first()
        )
        before = mapping.town_post if mapping is not None else DEFAULT_TOWN_POST[region_post]
        if before == town_post:
            return mapping
        if mapping is None:
            mapping = PostMapping(region=region, region_post=region_post)
        mapping.town_post = town_post
        mapping.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        mapping.save()
        record(
            "regulation.model.post_mapping",
            actor=actor,
            obj=mapping,
            changes={"region": region.code, "region_post": region_post, "town_post": [before, town_post]},
        )
    return mapping
