"""A level's own regulation (yigang/regulations/region_views.py, issue 25.5).

Only the people who sit at the level or above it reach it — the standing World's county viewer sits at its
county (乌审旗): they read and keep the county's own regulation, its model marks and its post table (they write
nothing in the towns). Everyone else gets a 404 that confirms nothing, the town's own officer included; the list
of one's levels answers every signed-in reader (empty for those at no level).
"""

from __future__ import annotations

from typing import Any

from . import LOGIN, Expect, outcomes

COUNTY_TEXT = (
    "乌审旗安全生产“党政同责、一岗双责”实施细则\n第一章 总则\n第一条 为落实安全生产责任，制定本细则。\n"
    "第二章 旗级领导职责\n第三条 旗长是全旗安全生产工作第一责任人，履行以下职责：\n"
    "（一）每月至少主持召开1次旗政府常务会议研究安全生产工作。\n（二）每季度至少带队开展1次安全生产检查。\n"
).encode()


def _county(w: Any) -> Any:
    """The World's county as a Region with a draft of its own regulation (built once per World)."""
    if not hasattr(w, "county_region"):
        from yigang.regulations import actions
        from yigang.towns.models import Region, RegionLevel

        # The same Region the county pages' entries make (expected/county.py), whichever a walk reaches first.
        region, _created = Region.objects.get_or_create(
            code="wushen", defaults={"name": w.town.county, "level": RegionLevel.COUNTY}
        )
        w.county_region = region
        w.county_draft = actions.import_regulation(
            region=region, data=COUNTY_TEXT, filename="c.txt", actor=None
        )
        w.county_duty = w.county_draft.duties.order_by("position").first()
    return w


def _code(w: Any) -> dict[str, Any]:
    return {"code": _county(w).county_region.code}


def _version(w: Any) -> dict[str, Any]:
    return {**_code(w), "pk": w.county_draft.pk}


def _duty(w: Any) -> dict[str, Any]:
    return {**_version(w), "duty_pk": w.county_duty.pk}


def _at_level(ok: Any) -> dict[str, Any]:
    return outcomes(404, county_viewer=ok, anonymous=LOGIN)


PAGES = {
    "regulations:regions": Expect(
        outcomes(200, sysadmin=200, anonymous=LOGIN), note="one's own levels; empty for most"
    ),
    "regulations:region": Expect(_at_level(200), kwargs=_code),
    "regulations:region_import": Expect(_at_level(200), kwargs=_code, note="the form"),
    "regulations:region_mapping": Expect(
        _at_level(302),
        method="POST",
        kwargs=_code,
        data=lambda w: {
            "post": "region_head",
            "region_head-region_post": "region_head",
            "region_head-town_post": "other_deputy",
        },
    ),
    "regulations:region_version": Expect(_at_level(200), kwargs=_version),
    "regulations:region_source": Expect(_at_level(200), kwargs=_version),
    "regulations:region_activate": Expect(
        _at_level(302), method="POST", kwargs=_version, data=lambda w: {"effective_from": "2030-01-01"}
    ),
    "regulations:region_discard": Expect(_at_level(302), method="POST", kwargs=_version),
    "regulations:region_duty": Expect(
        _at_level(302),
        method="POST",
        kwargs=_duty,
        data=lambda w: {f"d{w.county_duty.pk}-post": "region_head", f"d{w.county_duty.pk}-kind": "meeting"},
    ),
    "regulations:region_duty_add": Expect(
        _at_level(302),
        method="POST",
        kwargs=_version,
        data=lambda w: {"new-post": "region_head", "new-kind": "other", "new-text": "新增的履职要求"},
    ),
    "regulations:region_duty_remove": Expect(_at_level(302), method="POST", kwargs=_duty),
    "regulations:region_mark": Expect(
        _at_level(302), method="POST", kwargs=_duty, data=lambda w: {"is_model": "on"}
    ),
}
