"""A record cannot report work done after it was entered (issue 22.5): a future date on the page, the API and
the .xlsx import is refused with the same message, and a correction may not move a record past its first entry."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from yigang.duties import actions
from yigang.duties.importer import import_records
from yigang.duties.models import DutyRecord

from .conftest import at
from .test_import_bulk import _xlsx

pytestmark = pytest.mark.django_db
D = datetime.date
FUTURE = "履职时间不能晚于当前时间"
AFTER_ENTRY = "履职时间不能晚于该记录的录入时间"


def _page_form(record: Any, day: datetime.date, **extra: Any) -> dict[str, Any]:
    return {
        "reason": "日期更正",
        "kind": "inspection",
        "date": day.isoformat(),
        "time": "09:30",
        "title": "春季安全生产联合检查",
        "place": "乌审召嘎查加油站",
        "posts": [p.pk for p in actions.record_data(record).posts],
        "summary": "检查加油站消防器材和应急预案。",
        **extra,
    }


def _enter_on(record: Any, moment: datetime.datetime) -> None:
    DutyRecord.objects.filter(pk=record.pk).update(entered_at=moment)
    record.refresh_from_db()


def test_a_correction_may_not_date_the_work_after_the_record_was_entered(world: Any, users: Any) -> None:
    record = world["record"]
    # Entered on 2025-03-20 10:00 (Shanghai); the work it reports was done on or before that moment.
    _enter_on(record, at(D(2025, 3, 20), 10, 0))
    data = actions.record_data(record)
    data.occurred_at = at(D(2025, 3, 21), 9, 30)
    with pytest.raises(ValidationError, match=AFTER_ENTRY) as caught:
        actions.amend_record(record=record, data=data, reason="日期更正", actor=users["officer"])
    assert "2025-03-20 10:00" in caught.value.messages[0]
    assert DutyRecord.objects.count() == 1
    # The same day before 10:00, within the 10 minutes a phone's clock may run fast, is fine.
    data.occurred_at = at(D(2025, 3, 20), 10, 5)
    amended = actions.amend_record(record=record, data=data, reason="日期更正", actor=users["officer"])
    assert amended.version == 2 and amended.entered_at == record.entered_at


def test_the_amend_page_refuses_a_date_after_the_entry(world: Any, users: Any, login: Any) -> None:
    record = world["record"]
    _enter_on(record, at(D(2025, 3, 20), 10, 0))
    response = login(users["officer"]).post(
        reverse("duties:record_amend", args=[record.pk]), _page_form(record, D(2025, 3, 22))
    )
    assert response.status_code == 200 and AFTER_ENTRY in response.content.decode()
    assert DutyRecord.objects.count() == 1


def test_the_amend_api_refuses_a_date_after_the_entry(world: Any, users: Any, login: Any) -> None:
    record = world["record"]
    _enter_on(record, at(D(2025, 3, 20), 10, 0))
    response = login(users["officer"]).post(
        f"/api/duties/records/{record.pk}/amendments",
        {
            "town": "wushenzhao",
            "kind": "inspection",
            "occurred_at": "2025-03-22T09:30:00+08:00",
            "title": "春季安全生产联合检查",
            "place": "乌审召嘎查加油站",
            "summary": "检查加油站消防器材和应急预案。",
            "posts": [p.pk for p in actions.record_data(record).posts],
            "reason": "日期更正",
        },
    )
    assert response.status_code == 400, response.content
    assert any(AFTER_ENTRY in m for m in response.json()["errors"])
    assert DutyRecord.objects.count() == 1


def test_the_api_refuses_a_record_dated_in_the_future(world: Any, users: Any, login: Any) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(users["officer"]).post(
        "/api/duties/records",
        {
            "town": "wushenzhao",
            "kind": "meeting",
            "occurred_at": f"{tomorrow.isoformat()}T09:00:00+08:00",
            "title": "安全生产工作会议",
            "place": "镇政府",
            "summary": "部署检查。",
            "posts": [world["record"].credits.first().post_id],
        },
    )
    assert response.status_code == 400, response.content
    assert any(FUTURE in m for m in response.json()["errors"])
    assert DutyRecord.objects.count() == 1


def test_the_import_refuses_a_row_dated_in_the_future(world: Any, town: Any, users: Any) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    rows = [[tomorrow, "09:30", "会议", "安全生产会议", "镇政府", "镇长", "", "部署检查"]]
    result = import_records(town=town, data=_xlsx(rows), filename="x.xlsx", actor=users["officer"])
    assert result.created == 0
    # Refused at its cell (the importer reads the date before the record's rules run), saving nothing.
    assert [(e.row, e.column, e.reason) for e in result.errors] == [(2, "履职日期", "不能晚于今天")]
    assert DutyRecord.objects.count() == 1
