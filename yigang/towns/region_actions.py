"""Writes to the tree of regions (issue 25): one transaction and one audit entry each. `yigang region` calls these.

A region is added under its parent of the level above (a 旗县 under a 盟市, a 盟市 under a province; a province at
the top). A county that towns already name but no Region row holds yet is added by that very name, so its towns
fall under it at once; `place` moves a county (or a 盟市) under another parent. Nothing is deleted: a region is
what memberships and the towns' county names rest on.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from yigang.audit.log import record
from yigang.inputs import check_text

from .models import PARENT_LEVEL, Region, RegionLevel


def _check_parent(level: str, parent: Region | None) -> None:
    wanted = PARENT_LEVEL.get(RegionLevel(level))
    if wanted is None:
        if parent is not None:
            raise ValidationError("省（自治区）是最高一级，没有上级。")
        return
    if parent is None or parent.level != wanted:
        raise ValidationError(f"{RegionLevel(level).label}的上级须是{RegionLevel(wanted).label}。")


def add_region(*, code: str, name: str, level: str, parent: Region | None, actor: Any) -> Region:
    """A new region; a county's name is the one its towns give (`Town.county`), unique among counties."""
    from django.utils.text import slugify

    name, code = name.strip(), code.strip()
    check_text(name, "名称")
    if not name or len(name) > 100 or not code or len(code) > 40 or slugify(code) != code:
        raise ValidationError("请填写名称（100 字以内）和代码（40 个字符以内，只用字母、数字、连字符）。")
    if level not in RegionLevel.values:
        raise ValidationError(f"层级无效；可用：{'、'.join(RegionLevel.values)}")
    _check_parent(level, parent)
    if Region.objects.filter(code=code).exists():
        raise ValidationError(f"代码“{code}”已被使用。")
    if level == RegionLevel.COUNTY and Region.objects.filter(level=level, name=name).exists():
        raise ValidationError(f"已有名为“{name}”的旗县。")
    try:
        with transaction.atomic():
            region = Region.objects.create(code=code, name=name, level=level, parent=parent)
            record(
                "region.add",
                actor=actor,
                obj=region,
                object_repr=name,
                changes={
                    "code": code,
                    "name": name,
                    "level": level,
                    "parent": parent.code if parent else None,
                },
            )
    except IntegrityError:
        raise ValidationError(f"“{parent or ''}”下已有名为“{name}”的区域。") from None
    return region


def place(*, region: Region, parent: Region, actor: Any) -> Region:
    """Put `region` under `parent` (a county under another 盟市, say): the towns follow, by the county's name."""
    _check_parent(region.level, parent)
    before = region.parent.code if region.parent_id and region.parent else None
    try:
        with transaction.atomic():
            region.parent = parent
            region.save(update_fields=["parent"])
            record(
                "region.place",
                actor=actor,
                obj=region,
                object_repr=region.name,
                changes={"parent": [before, parent.code]},
            )
    except IntegrityError:
        raise ValidationError(f"“{parent}”下已有名为“{region.name}”的区域。") from None
    return region
