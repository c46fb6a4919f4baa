"""The accidents API: the grade rule as JSON, reports recorded and changed (a new version each time), arrival,
bad input refused with a 400 in Chinese and nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from yigang.accidents import actions
from yigang.accidents.models import Accident, OnSiteTask, Report

from .conftest import Register, make_data

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _payload(register: Register, **given: Any) -> dict[str, Any]:
    data = {
        "town": register.town.code,
        "occurred_at": "2025-06-03T14:20:00+08:00",
        "learned_at": "2025-06-03T14:30:00+08:00",
        "reported_at": "2025-06-03T15:31:00+08:00",
        "sector": "道路交通",
        "kind": "road_traffic",
        "address": "S215 线",
        "course": "货车侧翻。",
        "reporter": "王敏",
        "unit_name": "个体运输户 张某",
        "village": "巴音敖包嘎查",
        "deaths": 1,
        "direct_loss": "12,000",
    }
    data.update(given)
    return data


def test_the_grade_endpoint_answers_as_the_command_does(register: Register, officer: Any) -> None:
    client = _client(officer)
    response = client.get("/api/accidents/grade", {"deaths": 10, "direct_loss": "0"})
    assert response.json() == {"grade": "重大", "reasons": ["死亡10人，达到重大事故“10人以上”"]}
    bad = client.get("/api/accidents/grade", {"direct_loss": "1.2万"})
    assert bad.status_code == 400 and "万元" in bad.json()["detail"]
    assert client.get("/api/accidents/grade", {"deaths": -1}).status_code == 400


def test_the_officer_records_and_changes_a_report(register: Register, officer: Any) -> None:
    client = _client(officer)
    response = client.post("/api/accidents", _payload(register))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["current"]["grade"] == "一般" and body["current"]["direct_loss"] == "12000.00"
    assert body["current"]["late_by_minutes"] == 1  # 61 minutes after the head learned of it
    assert [t["post"] for t in body["tasks"]] == ["巴音敖包嘎查党支部书记", "分管安全生产副镇长", "镇长"]
    assert body["chain"]["at"] == "2025-06-03"
    assert [c["state"] for c in body["clocks"]] == ["late", "overdue", "overdue"]
    # A 补报 phoned in on day 2 (the window of a road accident on 06-03 runs to 06-10 24:00) re-grades.
    change = {k: v for k, v in _payload(register, deaths=3, reason="补报").items() if k != "town"}
    change["made_at"] = "2025-06-05T10:00:00+08:00"
    response = client.post(f"/api/accidents/{body['id']}/versions", change)
    assert response.status_code == 201, response.content
    # Entered today, more than 7 days on, a further death is kept and flagged but the grade stays 较大.
    later = {**{k: v for k, v in change.items() if k != "made_at"}, "deaths": 10, "reason": "又有伤者死亡"}
    response = client.post(f"/api/accidents/{body['id']}/versions", later)
    assert response.status_code == 201, response.content
    versions = response.json()["versions"]
    assert [(v["version"], v["grade"], v["supplement"], v["past_window"]) for v in versions] == [
        (1, "一般", False, False),
        (2, "较大", True, False),
        (3, "较大", True, True),  # 10 deaths would be 重大 inside the window
    ]
    listed = client.get("/api/accidents", {"year": 2025, "grade": "较大"}).json()
    assert [a["id"] for a in listed] == [body["id"]]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"direct_loss": "1.2万"}, "万元"),
        (
            {"deaths": -2},
            "“deaths”不得小于 0",
        ),  # the schema bound (docs/api.md), in Chinese, naming the field
        ({"learned_at": "2025-06-03T14:00:00+08:00"}, "不能早于事故发生时间"),
        ({"occurred_at": "2099-06-03T14:20:00+08:00"}, "不能晚于当前时间"),
        ({"sector": "不存在的行业"}, "没有名为"),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_nothing_saved(
    register: Register, officer: Any, given: dict[str, Any], message: str
) -> None:
    response = _client(officer).post("/api/accidents", _payload(register, **given))
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Accident.objects.exists() and not Report.objects.exists()


def test_arrival_through_the_api(register: Register, officer: Any, users: dict[str, Any]) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    task = OnSiteTask.objects.filter(accident=accident).first()
    assert task is not None
    leader = _client(users["leader"])  # a leader who holds none of the tasks' posts
    url = f"/api/accidents/tasks/{task.pk}/arrival"
    assert leader.post(url, {"arrived_at": "2025-06-03T15:00:00+08:00"}).status_code == 403
    response = _client(officer).post(url, {"arrived_at": "2025-06-03T15:00:00+08:00"})
    assert response.status_code == 200 and response.json()["arrived_at"].startswith("2025-06-03T")
    again = _client(officer).post(url, {"arrived_at": "2025-06-03T15:10:00+08:00"})
    assert again.status_code == 400 and "不能更改" in again.json()["detail"]


def test_versions_name_who_made_them_as_the_pages_do(register: Register, officer: Any) -> None:
    """The login stays for machines (`created_by`); `created_by_name` is the person, as every page names them."""
    from yigang.org.models import Person

    client = _client(officer)
    body = client.post("/api/accidents", _payload(register)).json()
    login = officer.get_username()
    assert body["current"]["created_by"] == login
    assert body["current"]["created_by_name"] in (officer.get_full_name(), f"账号 {login}")
    Person.objects.create(town=register.town, name="王敏", user=officer)
    listed = client.get("/api/accidents", {"year": 2025}).json()
    assert [(a["current"]["created_by"], a["current"]["created_by_name"]) for a in listed] == [
        (login, "王敏")
    ]
    detail = client.get(f"/api/accidents/{body['id']}").json()
    assert [v["created_by_name"] for v in detail["versions"]] == ["王敏"]
