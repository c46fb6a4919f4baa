"""API operations of duty records (yigang/api/duties.py) and of the user's notifications (yigang/api/notify.py).

The same rules as the pages (expected/duties.py), in the API's words: anonymous 401; out of scope 404 (the
village staff for the body's record, attachment and holder); body and village staff get compliance and record
lists narrowed to their part; a writer naming a post that is not theirs 403, audited (nothing saved); a user
who may not enter or amend the record 403.
"""

from __future__ import annotations

from typing import Any

from . import NARROW, Expect, api_object_read, api_read, outcomes


def _town(w: Any) -> dict[str, str]:
    return {"town_code": w.town.code}


def _record(w: Any) -> dict[str, int]:
    return {"record_id": w.record.pk}


def _new_record(w: Any) -> dict[str, Any]:
    """A record crediting the body's post: the officer and the body staff may submit it."""
    return {
        "town": w.town.code,
        "kind": "inspection",
        "occurred_at": "2025-05-06T10:00:00+08:00",
        "title": "汛前安全检查",
        "place": "党群服务中心",
        "summary": "检查消防通道。",
        "findings": "消防通道堆放杂物，已当场清理。",  # an inspection carries a photo or its findings
        "posts": [w.body_post.pk],
    }


def _amendment(w: Any) -> dict[str, Any]:
    return {
        "kind": "inspection",
        "occurred_at": "2025-03-19T09:30:00+08:00",
        "title": "春季安全生产联合检查",
        "place": "乌审召嘎查加油站",
        "summary": "检查加油站消防器材和应急预案。",
        "posts": [w.body_post.pk],
        "reason": "日期记错：实际为 3 月 19 日",
    }


# Outside the standing town (or with no town at all): the town, record or person is not found.
_outside = {"sysadmin": 404, "other_sysadmin": 404, "other_officer": 404, "nobody": 404, "anonymous": 401}

OPERATIONS = {
    "yigang_api_duties_compliance": Expect(
        api_object_read(), data=lambda w: {"town": w.town.code, "year": 2025}, narrowed=NARROW
    ),
    "yigang_api_duties_behind": Expect(
        api_object_read(), kwargs=_town, data=lambda w: {"year": 2025}, narrowed=NARROW
    ),
    "yigang_api_duties_person_year": Expect(
        api_object_read(village_staff=404), kwargs=lambda w: {"person_id": w.person.pk, "year": 2025}
    ),
    "yigang_api_duties_list_records": Expect(
        api_read(), narrowed=NARROW, note="scoped: outsiders get their own (empty) list"
    ),
    "yigang_api_duties_get_record": Expect(api_object_read(village_staff=404), kwargs=_record),
    "yigang_api_duties_create_record": Expect(
        outcomes(officer=201, body_staff=201, leader=403, village_staff=403, county_viewer=403, **_outside),
        method="POST",
        data=_new_record,
    ),
    "yigang_api_duties_amend_record": Expect(
        outcomes(officer=201, body_staff=201, leader=403, village_staff=404, county_viewer=403, **_outside),
        method="POST",
        kwargs=_record,
        data=_amendment,
        note="the leader may read the record but it credits no post of theirs; the village staff do not read it",
    ),
    "yigang_api_duties_attachment": Expect(
        api_object_read(village_staff=404, auditor=200),
        kwargs=lambda w: {"attachment_id": w.attachment.pk},
        note="the auditor reads evidence files, as on the page (issue 26.3)",
    ),
    "yigang_api_notify_list_notifications": Expect(api_read(enterprise=200), note="the user's own"),
    "yigang_api_notify_read": Expect(
        outcomes(404, leader=200, anonymous=401, enterprise=404),
        method="POST",
        kwargs=lambda w: {"notification_id": w.notification.pk},
        note="only the addressee",
    ),
    "yigang_api_notify_read_all": Expect(
        outcomes(200, anonymous=401, enterprise=200),
        method="POST",
        note="every user marks their own; nobody reaches another's (tests/notify/test_grouped.py)",
    ),
}
