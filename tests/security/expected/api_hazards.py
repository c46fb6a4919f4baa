"""Hazard API operations (yigang/api/hazards.py): the same rules as the pages, in the API's words (anonymous
401; out of scope 404; a reader who may not report or take the step 403; bad input 400, nothing saved)."""

from __future__ import annotations

from typing import Any

from . import NARROW, NARROW_AND_ENTERPRISE, Expect, api_object_read, api_read, outcomes

_outside = {"sysadmin": 404, "other_sysadmin": 404, "other_officer": 404, "nobody": 404, "anonymous": 401}


def _hazard(w: Any) -> dict[str, int]:
    return {"hazard_id": w.hazard.pk}


def _report(w: Any) -> dict[str, Any]:
    """A report in the village and the body's sector: every reporting role may send it."""
    return {
        "town": w.town.code,
        "sector": w.hazard.sector.name,
        "village": w.village.name,
        "description": "配电箱未上锁",
        "address": "乌审召嘎查村委会",
        "found_on": "2025-05-06",
        "found_by": "巡查员",
        "source": "inspection",
        "working_days": 5,
        "client_key": "authz-1",
    }


OPERATIONS = {
    "yigang_api_hazards_list_hazards": Expect(
        api_read(enterprise=200), narrowed=NARROW_AND_ENTERPRISE, note="scoped: outsiders get []"
    ),
    "yigang_api_hazards_get_hazard": Expect(api_object_read(enterprise=200), kwargs=_hazard),
    "yigang_api_hazards_photo": Expect(
        api_object_read(auditor=200, enterprise=200),
        kwargs=lambda w: {"photo_id": w.hazard.photos.get().pk},
        note="the auditor reads evidence files, as on the page (issue 26.3)",
    ),
    "yigang_api_hazards_preview_route": Expect(
        api_object_read(), data=lambda w: {"town": w.town.code, "sector": w.hazard.sector.name}
    ),
    "yigang_api_hazards_stats": Expect(
        api_object_read(), data=lambda w: {"town": w.town.code, "year": 2025}, narrowed=NARROW
    ),
    "yigang_api_hazards_report_hazard": Expect(
        outcomes(
            officer=201,
            leader=201,
            body_staff=201,
            village_staff=201,
            county_viewer=403,
            enterprise=400,
            **_outside,
        ),
        method="POST",
        data=_report,
        note="the enterprise reports only 企业自查 (this one says 检查发现): refused, nothing saved",
    ),
    "yigang_api_hazards_take_step": Expect(
        outcomes(officer=200, body_staff=200, leader=403, village_staff=403, county_viewer=403, **_outside),
        method="POST",
        kwargs=_hazard,
        data=lambda w: {"step": "decline", "note": "不属本单位职责"},
    ),
    # 延期整改. The World's hazard is past its deadline (2025-04-18): whoever may ask is refused with the reason
    # (400, nothing saved); who may decide (the supervising body, the officer) finds no such request (404).
    "yigang_api_hazards_list_extensions": Expect(api_object_read(), kwargs=_hazard),
    "yigang_api_hazards_ask_extension": Expect(
        outcomes(officer=400, body_staff=400, leader=403, village_staff=403, county_viewer=403, **_outside),
        method="POST",
        kwargs=_hazard,
        data=lambda w: {"deadline": "2025-05-18", "reason": "配件需外购"},
    ),
    "yigang_api_hazards_decide_extension": Expect(
        outcomes(officer=404, body_staff=404, leader=403, village_staff=403, county_viewer=403, **_outside),
        method="POST",
        kwargs=lambda w: {"hazard_id": w.hazard.pk, "extension_id": 1},
        data=lambda w: {"decision": "refuse", "note": "不予延期"},
    ),
    # 催办 of the (overdue) standing hazard: the officer and the leader who answers for it (the safety deputy).
    "yigang_api_hazards_nudge": Expect(
        outcomes(officer=201, leader=201, body_staff=403, village_staff=403, county_viewer=403, **_outside),
        method="POST",
        kwargs=_hazard,
        data=lambda w: {"message": "请尽快整改"},
    ),
}
