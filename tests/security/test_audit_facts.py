"""The audit trail's missing facts (issue 9.10): a write refused because it credits another unit's post is a 403
with an `auth.permission_denied` entry (it was a 400 with none), and every entry written while serving a request —
business writes and account changes too — records the client's address, behind a proxy from the configured
trusted header only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from yigang.audit.models import AuditEntry
from yigang.duties.models import DutyRecord

from .expected._files import xlsx

pytestmark = pytest.mark.django_db


def _denials() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event="auth.permission_denied").order_by("id"))


def _api_record(world: Any, post: Any) -> dict[str, Any]:
    return {
        "town": world.town.code,
        "kind": "inspection",
        "occurred_at": "2025-05-06T10:00:00+08:00",
        "title": "汛前安全检查",
        "place": "党群服务中心",
        "summary": "检查消防通道。",
        "findings": "消防通道畅通。",  # an inspection carries a photo or its findings (duties/rules.py)
        "posts": [post.pk],
    }


def test_crediting_another_units_post_through_the_api_is_a_403_and_audited(world: Any) -> None:
    before = DutyRecord.objects.count()
    response = world.client("village_staff").post("/api/duties/records", _api_record(world, world.body_post))
    assert response.status_code == 403 and "无权为岗位" in response.json()["detail"]
    (denial,) = _denials()
    assert denial.username == "village" and denial.town == world.town and not denial.success
    assert world.body_post.title in denial.changes["reason"]
    assert DutyRecord.objects.count() == before
    # Their own village's post is fine.
    ok = world.client("village_staff").post("/api/duties/records", _api_record(world, world.village_post))
    assert ok.status_code == 201


def test_a_crafted_form_and_an_import_naming_another_units_post_are_refused_and_audited(world: Any) -> None:
    client = world.client("body_staff")
    form = {
        "kind": "meeting",
        "date": "2025-03-20",
        "title": "例会",
        "place": "会议室",
        "posts": [world.leader_post.pk],
        "summary": "部署。",
    }
    assert client.post(reverse("duties:record_new"), form).status_code == 403
    header = ["履职日期", "时间", "履职方式", "主题", "地点", "认定岗位", "参加人员", "内容摘要"]
    row = ["2025-04-02", "14:00", "培训宣传", "安全培训", "活动室", world.village_post.title, "", "宣讲"]
    imported = client.post(reverse("duties:import"), {"file": xlsx("r.xlsx", header, row, sheet="履职记录")})
    assert imported.status_code == 403 and "无权为岗位" in imported.content.decode()  # with the rows' reasons
    assert [d.username for d in _denials()] == ["body", "body"]


def test_every_entry_of_a_request_records_the_client_address(world: Any) -> None:
    client = Client(REMOTE_ADDR="198.51.100.23")
    client.force_login(world.users["officer"])
    form = {
        "kind": "meeting",
        "date": "2025-03-20",
        "title": "例会",
        "place": "会议室",
        "posts": [world.leader_post.pk],
        "summary": "部署。",
        # A meeting carries its minutes or sign-in sheet (duties/rules.py).
        "attachments": SimpleUploadedFile(
            "会议纪要.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
        ),
    }
    assert client.post(reverse("duties:record_new"), form).status_code == 302
    assert client.post("/api/duties/records", _api_record(world, world.body_post)).status_code == 201
    admin = Client(REMOTE_ADDR="198.51.100.24")
    admin.force_login(world.users["sysadmin"])
    admin.post(reverse("accounts:create"), {"username": "newbie", "full_name": "新人"})
    admin.post(reverse("accounts:unlock", kwargs={"pk": world.managed.pk}))
    entries = {e.event: e.ip for e in AuditEntry.objects.exclude(event__startswith="auth.")}
    assert entries["duties.record.create"] == "198.51.100.23"
    assert entries["account.create"] == entries["account.unlock"] == "198.51.100.24"


@pytest.mark.parametrize(
    ("setting", "headers", "recorded"),
    [
        ("", {"HTTP_X_REAL_IP": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "203.0.113.8"}, "10.0.0.2"),
        (
            "X-Real-IP",
            {"HTTP_X_REAL_IP": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "203.0.113.8"},
            "203.0.113.7",
        ),
        ("X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}, "203.0.113.9"),
        ("X-Real-IP", {"HTTP_X_REAL_IP": "not an address"}, "10.0.0.2"),
        ("X-Real-IP", {}, "10.0.0.2"),
    ],
)
def test_behind_a_proxy_the_address_comes_from_the_configured_header_only(
    world: Any, settings: Any, setting: str, headers: dict[str, str], recorded: str
) -> None:
    settings.CLIENT_IP_HEADER = setting
    client = Client(REMOTE_ADDR="10.0.0.2", **headers)
    client.force_login(world.users["officer"])
    client.post(reverse("org:person_add"), {"name": "张伟", "phone": ""})
    assert AuditEntry.objects.filter(event__startswith="org.").latest("id").ip == recorded


def test_a_login_records_the_address_from_the_header_too(world: Any, settings: Any) -> None:
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="2001:db8::7")
    client.post("/login/", {"username": "leader", "password": "Test-pass-123"})
    assert AuditEntry.objects.filter(event="auth.login").latest("id").ip == "2001:db8::7"
