"""The audit administrator reviews and verifies the trail; nobody else sees it in the app (三员分立)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from yigang.audit.log import record
from yigang.audit.models import AuditEntry
from yigang.towns.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(town: Any, other_town: Any, users: dict[str, Any], client: Any) -> dict[str, AuditEntry]:
    client.post("/login/", {"username": "leader", "password": "wrong"})  # a town-less security event
    # The entries are told apart by their objects, business content the auditor reads only where the town's
    # 安委办 has opened it (三员分立; the hidden case is in tests/security/test_separation_of_duties.py).
    for each in (town, other_town):
        each.audit_shows_content = True
        each.save(update_fields=["audit_shows_content"])
    return {
        "mine": record(
            "hazards.report",
            actor=users["officer"],
            town=town,
            changes={"k": "本镇"},
            object_repr="test.mine",
        ),
        "failed": record(
            "hazards.close", actor=users["officer"], town=town, success=False, object_repr="test.failed"
        ),
        "theirs": record(
            "hazards.report", actor=users["other_officer"], town=other_town, object_repr="test.theirs"
        ),
    }


def test_the_auditor_sees_their_towns_entries_and_members_logins(
    users: dict[str, Any], trail: Any, login: Any
) -> None:
    html = login(users["auditor"]).get(reverse("audit:list")).content.decode()
    assert "test.mine" in html and "test.failed" in html
    assert "test.theirs" not in html
    # The failed login named no user: not attributable to the town (the events read in words, not codes).
    assert "登录：失败" not in html.split("<tbody>")[1]
    login(users["auditor"]).post("/logout/")


def test_filters_narrow_the_list_and_a_bad_range_is_explained(
    users: dict[str, Any], trail: Any, login: Any
) -> None:
    client = login(users["auditor"])
    html = client.get(reverse("audit:list"), {"outcome": "failed"}).content.decode()
    assert "test.failed" in html and "test.mine" not in html
    html = client.get(reverse("audit:list"), {"event": "hazards.report"}).content.decode()
    assert "test.mine" in html and "test.failed" not in html
    html = client.get(reverse("audit:list"), {"since": "2030-01-02", "until": "2030-01-01"}).content.decode()
    assert "起始日期不能晚于截止日期" in html


@pytest.mark.usefixtures("attacker")
def test_the_detail_shows_the_hashes_and_whether_they_hold(
    users: dict[str, Any], trail: Any, login: Any
) -> None:
    client = login(users["auditor"])
    entry = trail["mine"]
    html = client.get(reverse("audit:detail", args=[entry.pk])).content.decode()
    assert entry.hash in html and "内容与哈希一致" in html
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET event = %s WHERE id = %s", ["forged", entry.pk])
    assert "内容与哈希不符" in client.get(reverse("audit:detail", args=[entry.pk])).content.decode()
    assert client.get(reverse("audit:detail", args=[trail["theirs"].pk])).status_code == 404


@pytest.mark.usefixtures("attacker")
def test_verify_reports_the_chain_and_is_itself_recorded(
    users: dict[str, Any], trail: Any, login: Any
) -> None:
    client = login(users["auditor"])
    page = client.post(reverse("audit:verify"), follow=True).content.decode()
    assert "审计记录完好" in page
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET event = %s WHERE id = %s", ["forged", trail["failed"].pk])
    page = client.post(reverse("audit:verify"), follow=True).content.decode()
    assert f"审计记录 #{trail['failed'].pk} 校验失败" in page
    assert list(AuditEntry.objects.filter(event="audit.verify").values_list("success", flat=True)) == [
        True,
        False,
    ]


@pytest.mark.parametrize("role", ["officer", "leader", "county_viewer", "sysadmin", "nobody"])
def test_nobody_else_reaches_the_trail(role: str, users: dict[str, Any], trail: Any, login: Any) -> None:
    client = login(users[role])
    assert client.get(reverse("audit:list")).status_code == 404
    assert client.get(reverse("audit:detail", args=[trail["mine"].pk])).status_code == 404
    assert client.post(reverse("audit:verify")).status_code == 404


def test_an_auditor_of_another_town_sees_none_of_this_one(
    users: dict[str, Any], trail: Any, other_town: Any, make_user: Any, login: Any
) -> None:
    other_auditor = make_user("otherauditor", Role.AUDITOR, other_town)
    html = login(other_auditor).get(reverse("audit:list")).content.decode()
    assert "test.theirs" in html and "test.mine" not in html


def test_the_auditor_role_stands_alone(users: dict[str, Any], town: Any, make_user: Any) -> None:
    from yigang.towns.actions import add_membership as grant_role

    with pytest.raises(ValidationError, match="三员分立"):
        grant_role(user=users["officer"], role=Role.AUDITOR, town=town, actor=None)
    with pytest.raises(ValidationError, match="三员分立"):
        grant_role(user=users["auditor"], role=Role.OFFICER, town=town, actor=None)
    with pytest.raises(ValidationError, match="三员分立"):
        grant_role(user=users["auditor"], role=Role.SYSADMIN, town=town, actor=None)
