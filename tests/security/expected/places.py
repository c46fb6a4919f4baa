"""The places register (yigang/places/urls.py, yigang/api/places.py).

Reads: every reading role of the town; body staff read the places of their unit's sectors and their unit's plan,
village staff the places of their village (the World's place is in both; its hidden place in neither, so lists
are narrowed). Writes are the 安委办 officer's: the other readers get an audited 403 (pages) or 403 (API). A
责令限期整改通知书 is issued, received and withdrawn by the officer or the staff of a body that supervises the place
(the World's body staff); it is read by whoever reads its place."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from . import (
    NARROW,
    NARROW_AND_ENTERPRISE,
    Expect,
    api_object_read,
    api_read,
    object_read,
    object_write,
    outcomes,
    town_read,
    town_write,
)
from ._files import xlsx

_outside = {"sysadmin": 404, "other_sysadmin": 404, "other_officer": 404, "nobody": 404, "anonymous": 401}


def _place(w: Any) -> dict[str, int]:
    return {"pk": w.place.pk}


def _order(w: Any) -> dict[str, int]:
    return {"pk": w.order.pk}


def _unit(w: Any) -> dict[str, int]:
    return {"unit_pk": w.body.pk}


def _sheet(w: Any) -> dict[str, Any]:
    header = ["名称", "类型", "所在嘎查村（社区）", "行业领域"]
    return {
        "file": xlsx(
            "places.xlsx",
            header,
            ["乌审召小学", "学校、幼儿园", w.village.name, w.sector.name],
            sheet="监管对象",
        )
    }


PAGES = {
    "places:list": Expect(town_read(enterprise=200), narrowed=NARROW_AND_ENTERPRISE),
    "places:add": Expect(town_write(200)),
    "places:detail": Expect(object_read(enterprise=200), kwargs=_place, note="the enterprise: its own place"),
    "places:edit": Expect(object_write(200), kwargs=_place),
    "places:assess": Expect(
        object_write(),
        method="POST",
        kwargs=_place,
        data=lambda w: {"level": "red", "assessed_on": "2025-06-01", "basis": "复评"},
    ),
    "places:close": Expect(
        object_write(),
        method="POST",
        kwargs=_place,
        data=lambda w: {"closed": "2025-06-30", "reason": "停业"},
    ),
    "places:order_new": Expect(
        object_write(body_staff=302),
        method="POST",
        kwargs=_place,
        data=lambda w: {
            "unit": w.body.pk,
            "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "finding": "加油机旁堆放杂物",
            "items": "清理杂物",
            "legal_basis": "《中华人民共和国安全生产法》第四十一条第二款",
        },
        note="the officer, or staff of a body that supervises the place (for their own body); village staff and "
        "leaders may read the place but not issue (403, audited)",
    ),
    "places:order_docx": Expect(
        object_read(enterprise=200), kwargs=_order, note="the enterprise: the order addressed to its place"
    ),
    "places:order_receipt": Expect(
        object_write(body_staff=302),
        method="POST",
        kwargs=_order,
        data=lambda w: {"received_by": "白音", "received_on": timezone.localdate().isoformat()},
        note="the officer or the staff of the body that issued it",
    ),
    "places:order_withdraw": Expect(
        object_write(body_staff=302),
        method="POST",
        kwargs=_order,
        data=lambda w: {"reason": "填写有误"},
        note="the officer or the staff of the body that issued it",
    ),
    "places:bulk": Expect(
        town_write(302, other_officer=200),
        method="POST",
        data=_sheet,
        note="another town's officer imports into their own town, where the village is unknown: errors, nothing saved",
    ),
    "places:bulk_template": Expect(town_read()),
    "places:bulk_export": Expect(town_write(200)),
    "places:coverage": Expect(town_read(), data=lambda w: {"year": 2025}, narrowed=NARROW),
    "places:inspection_new": Expect(
        town_write(body_staff=302, other_officer=200),
        method="POST",
        data=lambda w: {
            "kind": "inspection",
            "date": "2025-05-06",
            "time": "10:00",
            "title": "加油站检查",
            "place": "乌审召加油站",
            "summary": "检查消防器材",
            "findings": "灭火器过期",
            "posts": [w.body_post.pk],
            "places": [w.place.pk],
        },
        note="who enters duty records; the leader and village staff may not credit the body's post (403, audited); another "
        "town's officer gets the form back (the place and post are not in their town)",
    ),
    "places:frequency_set": Expect(
        town_write(), method="POST", data=lambda w: {"level": "red", "period": "month", "count": 2}
    ),
    "places:plan": Expect(object_read(), kwargs=_unit, data=lambda w: {"year": 2025}),
    "places:plan_make": Expect(object_write(), method="POST", kwargs=_unit, data=lambda w: {"year": 2025}),
    "places:plan_set": Expect(
        object_write(),
        method="POST",
        kwargs=_unit,
        data=lambda w: {"year": 2025, "place": w.place.pk, "period": "month", "count": 1},
    ),
    "places:routes": Expect(town_read()),
    "places:route_add": Expect(
        town_write(),
        method="POST",
        data=lambda w: {"sector": w.sector.pk, "kind": "school", "unit": w.body.pk, "start": "2025-01-01"},
    ),
    "places:route_end": Expect(object_write(), method="POST", kwargs=lambda w: {"pk": w.route.pk}),
}

OPERATIONS = {
    "yigang_api_places_list_places": Expect(
        api_read(enterprise=200), narrowed=NARROW_AND_ENTERPRISE, note="scoped: outsiders get []"
    ),
    "yigang_api_places_coverage": Expect(
        api_object_read(), data=lambda w: {"town": w.town.code, "year": 2025}, narrowed=NARROW
    ),
    "yigang_api_places_place_detail": Expect(
        api_object_read(enterprise=200), kwargs=lambda w: {"place_id": w.place.pk}
    ),
    "yigang_api_places_assess": Expect(
        outcomes(officer=201, leader=403, body_staff=403, village_staff=403, county_viewer=403, **_outside),
        method="POST",
        kwargs=lambda w: {"place_id": w.place.pk},
        data=lambda w: {"level": "red", "assessed_on": "2025-06-01"},
    ),
    "yigang_api_place_orders_list_orders": Expect(
        api_object_read(), kwargs=lambda w: {"place_id": w.place.pk}, note="whoever reads the place"
    ),
    "yigang_api_place_orders_order_detail": Expect(
        api_object_read(), kwargs=lambda w: {"order_id": w.order.pk}
    ),
    "yigang_api_place_orders_issue_order": Expect(
        outcomes(officer=201, leader=403, body_staff=201, village_staff=403, county_viewer=403, **_outside),
        method="POST",
        kwargs=lambda w: {"place_id": w.place.pk},
        data=lambda w: {
            "unit_id": w.body.pk,
            "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "finding": "加油机旁堆放杂物",
            "items": ["清理杂物"],
            "legal_basis": "《中华人民共和国安全生产法》第四十一条第二款",
        },
        note="the officer, or staff of a body that supervises the place; readers of the place otherwise 403",
    ),
    "yigang_api_places_record_inspection": Expect(
        outcomes(officer=201, leader=403, body_staff=201, village_staff=403, county_viewer=403, **_outside),
        method="POST",
        data=lambda w: {
            "town": w.town.code,
            "occurred_at": "2025-05-06T10:00:00+08:00",
            "title": "加油站检查",
            "place": "乌审召加油站",
            "summary": "检查消防器材",
            "findings": "灭火器过期",
            "posts": [w.body_post.pk],
            "places": [w.place.pk],
        },
        note="body staff credit their unit's post; a leader may not credit the body's post (403, CreditRefused)",
    ),
}
