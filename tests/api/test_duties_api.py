"""The duties API: compliance JSON, records created and amended (multipart), never edited; scoped like pages."""

from __future__ import annotations

import io
from typing import Any

import pytest

from yigang.assessment.demo import _PNG as PNG_HEAD  # a real 1×1 PNG: uploads must decode (issue 26.3)
from yigang.duties.models import DutyRecord
from yigang.org.models import Person
from yigang.towns.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def setup(town: Any, users: Any, regulation: Any) -> dict[str, Any]:
    import datetime

    from yigang.org import actions

    gov = actions.add_unit(town=town, name="镇人民政府", kind="government", actor=None)
    mayor = actions.add_post(unit=gov, title="镇长", kind="mayor", actor=None)
    safety = actions.add_post(unit=gov, title="分管安全生产副镇长", kind="safety_deputy", actor=None)
    person = actions.add_person(town=town, name="巴图", actor=None)
    actions.appoint(post=mayor, person=person, start=datetime.date(2020, 1, 1), actor=None)
    Person.objects.filter(pk=person.pk).update(user=users["leader"])
    # Body staff of the government, whose posts these are: they read its records and rows (village staff, of
    # no unit, read none: tests/duties/test_scope.py).
    Membership.objects.filter(user=users["body_staff"]).update(unit=gov)
    return {"mayor": mayor, "safety": safety, "person": person}


def _form(post_ids: list[int], **extra: Any) -> dict[str, Any]:
    return {
        "town": "wushenzhao",
        "kind": "meeting",
        "occurred_at": "2025-01-31T23:30:00+08:00",
        "title": "一月安全生产工作会议",
        "place": "镇政府",
        "summary": "部署节前安全检查。",
        "posts": post_ids,
        **extra,
    }


def test_the_openapi_document_lists_the_duty_operations(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["leader"])  # the schema needs a login (docs/security.md)
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/duties/compliance",
        "/api/duties/records",
        "/api/duties/records/{record_id}/amendments",
    } <= set(paths)


def test_a_leader_creates_a_record_with_a_file_and_amends_it(setup: Any, users: Any, login: Any) -> None:
    client = login(users["leader"])
    photo = io.BytesIO(PNG_HEAD)
    photo.name = "照片.png"
    response = client.post("/api/duties/records", {**_form([setup["mayor"].pk]), "files": [photo]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["occurred_on"] == "2025-01-31" and body["credits"] == [
        {"post_id": setup["mayor"].pk, "post": "镇长", "person": "巴图", "led": True}
    ]
    assert body["attachments"][0]["content_type"] == "image/png"
    from yigang.images import reencode

    assert client.get(body["attachments"][0]["url"]).content == reencode(PNG_HEAD, "image/png").data
    amended = client.post(
        f"/api/duties/records/{body['id']}/amendments",
        {**_form([setup["mayor"].pk], place="镇政府三楼"), "reason": "地点更正"},
    )
    assert amended.status_code == 201, amended.content
    detail = client.get(f"/api/duties/records/{body['id']}").json()
    assert [(v["version"], v["current"]) for v in detail["versions"]] == [(1, False), (2, True)]
    assert [r["id"] for r in client.get("/api/duties/records?town=wushenzhao").json()] == [
        amended.json()["id"]
    ]


def test_bad_input_is_a_400_with_chinese_messages(setup: Any, users: Any, login: Any) -> None:
    client = login(users["officer"])
    response = client.post("/api/duties/records", _form([setup["mayor"].pk], title=" ", place=""))
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"请填写主题。", "请填写地点。"}
    assert client.post("/api/duties/records", _form([999999])).status_code == 400
    assert not DutyRecord.objects.exists()


@pytest.mark.parametrize("role", ["county_viewer"])
def test_read_only_roles_may_not_create(role: str, setup: Any, users: Any, login: Any) -> None:
    response = login(users[role]).post("/api/duties/records", _form([setup["mayor"].pk]))
    assert response.status_code == 403
    assert not DutyRecord.objects.exists()


def test_a_leader_may_not_credit_a_post_they_do_not_hold(setup: Any, users: Any, login: Any) -> None:
    response = login(users["leader"]).post("/api/duties/records", _form([setup["safety"].pk]))
    assert response.status_code == 403 and "无权" in response.json()["detail"]


@pytest.mark.parametrize("role", ["other_officer", "nobody", "sysadmin"])
def test_outsiders_cannot_write_here(role: str, setup: Any, users: Any, login: Any) -> None:
    assert login(users[role]).post("/api/duties/records", _form([setup["mayor"].pk])).status_code == 404


@pytest.mark.parametrize("role", ["officer", "leader", "body_staff", "county_viewer"])
def test_compliance_is_the_same_json_as_the_cli(role: str, setup: Any, users: Any, login: Any) -> None:
    data = login(users[role]).get("/api/duties/compliance?town=wushenzhao&year=2025&post=镇长").json()
    assert data["town"] == "乌审召镇" and data["year"] == 2025
    assert {r["post"] for r in data["rows"]} == {"镇长"}
    assert set(data["rows"][0]) == {
        "post",
        "person",
        "article",
        "item",
        "kind",
        "period",
        "period_start",
        "required",
        "done",
        "status",
        "level",
        "late",
        "source",
    }
    assert login(users[role]).get("/api/duties/towns/wushenzhao/behind?year=2025").status_code == 200
    assert login(users[role]).get(f"/api/duties/people/{setup['person'].pk}/2025").status_code == 200


def test_notifications_are_the_users_own(setup: Any, users: Any, login: Any) -> None:
    from yigang.notify.models import Notification

    mine = Notification.objects.create(user=users["leader"], title="提醒", body="…")
    theirs = Notification.objects.create(user=users["officer"], title="别人的")
    client = login(users["leader"])
    assert [n["id"] for n in client.get("/api/notify/notifications").json()] == [mine.pk]
    assert client.post(f"/api/notify/notifications/{theirs.pk}/read").status_code == 404
    assert client.post(f"/api/notify/notifications/{mine.pk}/read").json()["read_at"]


@pytest.mark.parametrize("role", ["officer", "leader", "body_staff", "county_viewer"])
def test_every_reader_reads_records_and_attachments(role: str, setup: Any, users: Any, login: Any) -> None:
    photo = io.BytesIO(PNG_HEAD)
    photo.name = "p.png"
    created = (
        login(users["officer"])
        .post("/api/duties/records", {**_form([setup["mayor"].pk]), "files": [photo]})
        .json()
    )
    client = login(users[role])
    assert [r["id"] for r in client.get("/api/duties/records?year=2025").json()] == [created["id"]]
    assert client.get(f"/api/duties/records/{created['id']}").status_code == 200
    assert client.get(created["attachments"][0]["url"]).status_code == 200


def test_the_sysadmin_lists_nothing(setup: Any, users: Any, login: Any) -> None:
    login(users["officer"]).post("/api/duties/records", _form([setup["mayor"].pk]))
    assert login(users["sysadmin"]).get("/api/duties/records").json() == []
