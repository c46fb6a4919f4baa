"""Entering a record on the phone form: the date that counts, credits to posts and their holders, files."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from yigang.audit.models import AuditEntry
from yigang.duties.models import DutyRecord
from yigang.org.models import Person

from .conftest import PDF, PNG

pytestmark = pytest.mark.django_db


def _form(posts: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "kind": "meeting",
        "date": "2025-01-31",
        "time": "23:30",
        "title": "一月安全生产工作会议",
        "place": "镇政府三楼会议室",
        "posts": [p.pk for p in posts],
        "participants": "各部门负责人",
        "summary": "传达文件，部署春节前安全检查。",
        "attachments": [_minutes()],  # a meeting carries its minutes (duties/rules.py)
        **extra,
    }


def _minutes() -> Any:
    minutes = io.BytesIO(PDF)
    minutes.name = "会议纪要.pdf"
    return minutes


def test_the_officer_submits_a_joint_record_with_photos(
    town: Any, seed: Any, posts: Any, appoint: Any, users: Any, login: Any
) -> None:
    appoint(posts["mayor"], "巴图", __import__("datetime").date(2020, 1, 1))
    photo = io.BytesIO(PNG)
    photo.name = "现场.png"
    client = login(users["officer"])
    response = client.post(
        reverse("duties:record_new"), {**_form([posts["mayor"], posts["safety"]]), "attachments": [photo]}
    )
    record = DutyRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("duties:record", args=[record.pk])
    assert record.occurred_on.isoformat() == "2025-01-31"
    credits = {c.post.title: (c.person.name if c.person else None) for c in record.credits.all()}
    assert credits == {"镇长": "巴图", "分管安全生产副镇长": None}
    assert record.attachments.get().name == "现场.png"
    assert record.created_by == users["officer"]
    assert AuditEntry.objects.filter(event="duties.record.create", object_id=str(record.pk)).exists()


def test_bad_input_gets_chinese_messages_and_saves_nothing(
    town: Any, seed: Any, posts: Any, users: Any, login: Any
) -> None:
    client = login(users["officer"])
    bad = io.BytesIO(b"#!/bin/sh\nrm -rf /\n")
    bad.name = "photo.jpg"
    response = client.post(
        reverse("duties:record_new"), {**_form([posts["mayor"]], date="2099-01-01"), "attachments": [bad]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "不能晚于当前时间" in html
    assert not DutyRecord.objects.exists()
    response = client.post(reverse("duties:record_new"), _form([], title=""))
    html = response.content.decode()
    assert "请填写主题。" in html and "请至少选择一个认定的岗位。" in html
    bad = io.BytesIO(b"#!/bin/sh\nrm -rf /\n")
    bad.name = "photo.jpg"
    response = client.post(reverse("duties:record_new"), {**_form([posts["mayor"]]), "attachments": [bad]})
    assert "不是允许的类型" in response.content.decode()
    assert not DutyRecord.objects.exists()


def test_a_leader_credits_only_the_posts_they_hold(
    town: Any, seed: Any, posts: Any, appoint: Any, users: Any, login: Any
) -> None:
    import datetime

    person = appoint(posts["mayor"], "巴图", datetime.date(2020, 1, 1))
    Person.objects.filter(pk=person.pk).update(user=users["leader"])
    client = login(users["leader"])
    form = client.get(reverse("duties:record_new")).content.decode()
    assert "镇长（巴图）" in form and "分管安全生产副镇长" not in form
    assert client.post(reverse("duties:record_new"), _form([posts["mayor"]])).status_code == 302
    response = client.post(reverse("duties:record_new"), _form([posts["safety"]]))  # not offered: crafted
    assert response.status_code == 403 and DutyRecord.objects.count() == 1


def test_village_staff_credit_the_posts_of_their_village(
    town: Any, seed: Any, posts: Any, users: Any, login: Any, make_user: Any
) -> None:
    from yigang.towns.models import Role

    clerk = make_user("clerk", Role.VILLAGE_STAFF, town, unit=posts["village"].unit)
    client = login(clerk)
    assert (
        client.post(reverse("duties:record_new"), _form([posts["village"]], kind="training")).status_code
        == 302
    )
    assert client.post(reverse("duties:record_new"), _form([posts["mayor"]])).status_code == 403
    assert DutyRecord.objects.count() == 1


def test_the_form_is_usable_on_a_phone(users: Any, login: Any, seed: Any, posts: Any) -> None:
    html = login(users["officer"]).get(reverse("duties:record_new")).content.decode()
    assert 'name="viewport"' in html
    assert 'type="date"' in html and 'type="time"' in html
    assert 'accept="image/*,application/pdf' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html


def test_a_record_sent_again_with_its_client_key_is_saved_once(
    town: Any, seed: Any, posts: Any, users: Any, login: Any
) -> None:
    """A phone that kept the record offline (js/outbox.js) may send it twice: one record, one audit entry; the
    same key from someone else is refused."""
    client = login(users["officer"])
    first = client.post(reverse("duties:record_new"), _form([posts["safety"]], client_key="phone-key-1"))
    again = client.post(reverse("duties:record_new"), _form([posts["safety"]], client_key="phone-key-1"))
    record = DutyRecord.objects.get()
    assert first["Location"] == again["Location"] == reverse("duties:record", args=[record.pk])
    assert record.client_key == "phone-key-1"
    assert AuditEntry.objects.filter(event="duties.record.create").count() == 1
    from django.core.exceptions import ValidationError

    from yigang.duties.actions import create_record, record_data

    with pytest.raises(ValidationError, match="该幂等键已被另一次提交使用"):
        create_record(town=town, data=record_data(record), client_key="phone-key-1", actor=users["leader"])
    assert DutyRecord.objects.count() == 1
    client.post(reverse("duties:record_new"), _form([posts["safety"]], client_key="phone-key-2"))
    assert DutyRecord.objects.count() == 2
