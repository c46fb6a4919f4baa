"""下发 is deliberate (issue 27 point 4): the page shows what follows — who gets a task, which tasks end, what
binds them — and asks for a tick and the officer's password (or TOTP code); a wrong one is audited as a failure
counting toward the lockout and distributes nothing. The system's runs distribute without one."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from yigang.audit.models import AuditEntry
from yigang.signoff import actions, reminders
from yigang.signoff.models import Task
from yigang.towns import reauth

pytestmark = pytest.mark.django_db


def test_the_preview_names_who_gets_a_task_and_writes_nothing(register: Any, town: Any) -> None:
    plan = actions.preview(town=town)
    assert plan.opens == 8 and plan.ends == 0
    assert sorted(plan.people) == sorted(["李强", "张建华", "巴图", "其木格"])
    assert not Task.objects.exists() and not AuditEntry.objects.filter(event="signoff.distribute").exists()
    actions.sync_town(town=town, actor=None)
    again = actions.preview(town=town)
    assert (again.opens, again.ends, again.people) == (0, 0, [])


def test_a_wrong_password_distributes_nothing_and_counts_toward_the_lockout(
    register: Any, town: Any, users: dict[str, Any]
) -> None:
    officer = users["officer"]
    for _ in range(reauth.MAX_WRONG_SECRETS):
        with pytest.raises(ValidationError, match="密码不正确，未下发"):
            actions.distribute(town=town, actor=officer, secret="wrong")
    assert not Task.objects.exists()
    failures = AuditEntry.objects.filter(event="signoff.distribute", success=False, user=officer)
    assert {e.changes["kind"] for e in failures} == {reauth.BAD_CREDENTIAL}
    assert failures.count() == reauth.MAX_WRONG_SECRETS
    with pytest.raises(ValidationError, match="错误次数过多"):
        actions.distribute(town=town, actor=officer, secret=PASSWORD)
    with pytest.raises(ValidationError, match="请输入您的登录密码"):
        actions.distribute(town=town, actor=users["other_officer"], secret=" ")
    assert not Task.objects.exists()


def test_the_right_password_distributes_and_the_system_needs_none(
    register: Any, town: Any, users: dict[str, Any]
) -> None:
    result = actions.distribute(town=town, actor=users["officer"], secret=PASSWORD)
    assert len(result.created) == 8
    assert AuditEntry.objects.get(event="signoff.distribute", success=True).user == users["officer"]
    # The scheduled run (yigang remind) and the demo loader: no actor, no secret.
    assert reminders.run(towns=[town]).towns == 1
    assert actions.distribute(town=town, actor=None).changed is False


def test_the_page_shows_what_follows_then_asks_for_the_tick_and_the_password(
    register: Any, users: dict[str, Any], client: Client
) -> None:
    client.force_login(users["officer"])
    url = reverse("signoff:distribute")
    page = client.get(url).content.decode()
    assert "新下发 8 项签收任务，共 4 人" in page and "张建华" in page
    assert "确认记录不可更改或删除" in page and "告知其分管领导" in page
    assert 'name="secret"' in page and 'name="confirm"' in page
    untick = client.post(url, {"secret": PASSWORD})
    assert "请勾选确认" in untick.content.decode() and not Task.objects.exists()
    wrong = client.post(url, {"secret": "nope", "confirm": "1"})
    assert "密码不正确，未下发" in wrong.content.decode() and not Task.objects.exists()
    done = client.post(url, {"secret": PASSWORD, "confirm": "1"}, follow=True)
    assert "已下发 8 项签收任务" in done.content.decode()
    assert "现在下发不会生成或结束任何任务" in client.get(url).content.decode()


def test_only_the_officer_sees_the_distribution_page(
    register: Any, users: dict[str, Any], client: Client
) -> None:
    client.force_login(users["leader"])
    assert client.get(reverse("signoff:distribute")).status_code == 403
    client.force_login(users["other_officer"])
    # Another town's officer sees their own town's (nothing to distribute there).
    assert client.get(reverse("signoff:distribute")).status_code == 200
    client.logout()
    assert client.get(reverse("signoff:distribute")).status_code == 302


def test_the_api_distributes_with_the_secret_field(
    register: Any, town: Any, users: dict[str, Any], client: Client
) -> None:
    client.force_login(users["officer"])
    preview = client.get("/api/signoff/distribute", {"town": town.code}).json()
    assert preview["opens"] == 8 and len(preview["people"]) == 4
    wrong = client.post("/api/signoff/distribute", {"town": town.code, "secret": "x"})
    assert wrong.status_code == 400 and "密码不正确" in wrong.json()["detail"]
    ok = client.post("/api/signoff/distribute", {"town": town.code, "secret": PASSWORD})
    assert ok.status_code == 200 and ok.json()["opened"] == 8
