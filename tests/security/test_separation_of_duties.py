"""三员分立 (issue 9.11): the system administrator could create an account, see its initial password, give it the
officer role and log in as it; the auditor read record titles and summaries inside audit entries.

Now a business or audit role asked for by a system administrator is a request (RoleGrant) that confers nothing
until an 安委办 officer of the town confirms it, and the officer can confirm only once the account's holder has
replaced the password the administrator saw. A password reset by the administrator suspends the account's
business roles the same way. The auditor sees which fields a business write changed, not its content, unless the
town's 安委办 enables it. See docs/security.md (三员分立)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from yigang.audit.models import AuditEntry
from yigang.towns import access, actions
from yigang.towns.models import GrantStatus, Membership, Role, RoleGrant

pytestmark = pytest.mark.django_db


def _login(username: str, password: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": password}).status_code == 302
    return client


def _change(client: Client, old: str, new: str) -> None:
    response = client.post(
        reverse("accounts:password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302, response.content.decode()[:500]


def test_a_role_the_sysadmin_grants_confers_nothing_until_the_officer_confirms(world: Any) -> None:
    admin = world.client("sysadmin")
    created = admin.post(reverse("accounts:create"), {"username": "zhang", "full_name": "张三"})
    password = created.context["new_password"]  # shown once, to the sysadmin
    user = created.context["account"]
    granted = admin.post(
        reverse("accounts:membership_add", kwargs={"pk": user.pk}),
        {"role": Role.OFFICER, "town": world.town.pk},
        follow=True,
    )
    assert "须经安委办工作人员确认后生效" in granted.content.decode()
    assert not Membership.objects.filter(user=user).exists()
    grant = RoleGrant.objects.get(user=user)
    assert (grant.status, grant.requested_by) == (GrantStatus.PENDING, world.users["sysadmin"])
    # The sysadmin logs in as the account with the password they saw: it must be changed, and even then the
    # account reaches no business data of the town.
    as_it = _login("zhang", password)
    _change(as_it, password, "Taken-over-2025")
    assert as_it.get(reverse("regulations:list")).status_code == 404
    assert as_it.get(reverse("org:people")).status_code == 404
    assert as_it.get("/api/regulations").json() == []
    assert "等待安委办确认" in as_it.get("/").content.decode()


def test_the_officer_confirms_only_after_the_holder_set_their_own_password(world: Any) -> None:
    user, password = actions.create_account(username="zhao", full_name="赵六", actor=world.users["sysadmin"])
    grant = actions.add_membership(
        user=user, role=Role.LEADER, town=world.town, actor=world.users["sysadmin"]
    )
    officer = world.client("officer")
    page = officer.get(reverse("accounts:grants")).content.decode()
    assert "zhao" in page and "尚未修改初始密码" in page
    refused = officer.post(
        reverse("accounts:grant_decide", kwargs={"pk": grant.pk}), {"decision": "confirm"}, follow=True
    )
    assert "修改初始密码后再确认" in refused.content.decode()
    assert not Membership.objects.filter(user=user).exists()
    holder = _login("zhao", password)
    _change(holder, password, "Holders-own-2025")
    officer.post(reverse("accounts:grant_decide", kwargs={"pk": grant.pk}), {"decision": "confirm"})
    assert Membership.objects.filter(user=user, role=Role.LEADER, town=world.town).exists()
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (GrantStatus.CONFIRMED, world.users["officer"])
    assert holder.get(reverse("regulations:list")).status_code == 200
    events = list(AuditEntry.objects.filter(object_repr="zhao").values_list("event", "username"))
    assert ("account.grant.request", "sysadmin") in events and ("account.grant.confirm", "officer") in events


def test_an_officer_refuses_a_request_and_never_decides_their_own(world: Any) -> None:
    officer = world.users["officer"]
    user, _ = actions.create_account(username="qian", actor=world.users["sysadmin"])
    grant = actions.add_membership(
        user=user, role=Role.OFFICER, town=world.town, actor=world.users["sysadmin"]
    )
    world.client("officer").post(
        reverse("accounts:grant_decide", kwargs={"pk": grant.pk}),
        {"decision": "refuse", "note": "不认识此人"},
    )
    grant.refresh_from_db()
    assert (grant.status, grant.note) == (GrantStatus.REFUSED, "不认识此人")
    own = RoleGrant.objects.create(
        user=officer,
        role=Role.LEADER,
        town=world.town,
        requested_by=world.users["sysadmin"],
        requested_at=grant.requested_at,
    )
    assert not access.pending_grants(officer).filter(pk=own.pk).exists()
    with pytest.raises(ValidationError, match="不能确认自己"):
        actions.confirm_grant(grant=own, actor=officer)


def test_a_password_reset_by_the_sysadmin_suspends_the_business_roles(world: Any) -> None:
    leader = world.users["leader"]
    html = (
        world.client("sysadmin")
        .post(reverse("accounts:password_reset", kwargs={"pk": leader.pk}))
        .content.decode()
    )
    assert "待安委办确认" in html
    assert not Membership.objects.filter(user=leader).exists()
    (grant,) = RoleGrant.objects.filter(user=leader, status=GrantStatus.PENDING)
    assert (grant.role, grant.reason) == (Role.LEADER, "reset")
    assert AuditEntry.objects.filter(event="account.membership.suspend", object_repr="leader").exists()
    # Whoever logs in with the reset password (the sysadmin saw it) reads nothing of the town.
    password = html.split('<code class="secret">')[1].split("</code>")[0]
    as_it = _login("leader", password)
    _change(as_it, password, "Own-pass-Li-2025")
    assert as_it.get(reverse("regulations:list")).status_code == 404
    actions.confirm_grant(grant=grant, actor=world.users["officer"])
    assert as_it.get(reverse("regulations:list")).status_code == 200


def test_a_county_role_is_confirmed_by_an_officer_of_the_county(world: Any, make_user: Any) -> None:
    county_admin = make_user("countyadmin", None)
    Membership.objects.create(user=county_admin, role=Role.SYSADMIN, county=world.town.county)
    viewer, _ = actions.create_account(username="qixian", actor=county_admin)
    grant = actions.add_membership(
        user=viewer, role=Role.COUNTY_VIEWER, county=world.town.county, actor=county_admin
    )
    assert isinstance(grant, RoleGrant)
    actions.change_password(user=viewer, password="County-own-2025", actor=viewer)
    assert access.may_confirm(world.users["officer"], grant)  # an officer of a town of that county
    assert not access.may_confirm(world.users["leader"], grant)
    actions.confirm_grant(grant=grant, actor=world.users["officer"])
    assert Membership.objects.filter(user=viewer, role=Role.COUNTY_VIEWER).exists()


def test_the_operator_at_the_shell_grants_at_once_and_can_confirm(world: Any) -> None:
    out = io.StringIO()
    call_command(
        "accounts",
        "create",
        "sun",
        "--role",
        "officer",
        "--town",
        world.town.code,
        "--user",
        "sysadmin",
        stdout=out,
    )
    assert Membership.objects.filter(user__username="sun", role=Role.OFFICER).exists()
    # The town's only officer was reset by the sysadmin: no officer is left to confirm, so the operator does.
    officer = world.users["officer"]
    Membership.objects.filter(user__username="sun").delete()
    actions.reset_password(user=officer, actor=world.users["sysadmin"])
    actions.change_password(user=officer, password="Own-pass-Wang-2025", actor=officer)
    call_command("accounts", "confirm", "officer", stdout=out)
    assert Membership.objects.filter(user=officer, role=Role.OFFICER).exists()


def test_the_auditor_sees_which_fields_changed_not_the_content(world: Any) -> None:
    from yigang.duties import actions as duties
    from yigang.duties.actions import record_data

    data = record_data(world.record)
    data.title, data.summary = "机密标题甲", "机密摘要乙"
    duties.amend_record(record=world.record, data=data, reason="更正内容丙", actor=world.users["officer"])
    entry = AuditEntry.objects.filter(event="duties.record.amend").latest("id")
    auditor = world.client("auditor")
    listing = auditor.get(reverse("audit:list")).content.decode()
    detail = auditor.get(reverse("audit:detail", kwargs={"pk": entry.pk})).content.decode()
    for secret in ("机密标题甲", "机密摘要乙", "更正内容丙", world.record.title):
        assert secret not in listing and secret not in detail
    # The fields, by their names in words (never the code, such as `title`).
    assert "<dt>更正理由</dt>" in detail and "主题：…" in detail and "内容摘要或会议纪要：…" in detail
    assert "title" not in detail.split("<main")[1]
    assert "内容与哈希一致" in detail  # still verified on the whole entry
    # Security events are shown in full.
    actions.create_account(username="audited", full_name="可见姓名", actor=world.users["sysadmin"])
    account = AuditEntry.objects.get(event="account.create", object_repr="audited")
    shown = auditor.get(reverse("audit:detail", kwargs={"pk": account.pk})).content.decode()
    assert account.object_repr in shown
    # The town's 安委办 may open the content to its auditor; that decision is itself audited.
    assert (
        world.client("officer").post(reverse("accounts:audit_disclosure"), {"enabled": "1"}).status_code
        == 302
    )
    assert "机密标题甲" in auditor.get(reverse("audit:detail", kwargs={"pk": entry.pk})).content.decode()
    assert AuditEntry.objects.filter(event="settings.audit_disclosure", username="officer").exists()
