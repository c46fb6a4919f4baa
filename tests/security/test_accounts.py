"""The system administrator manages accounts of their town — and nothing else, not even their own roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import PASSWORD
from yigang.audit.models import AuditEntry
from yigang.towns import access, actions
from yigang.towns.models import Membership, Role

pytestmark = pytest.mark.django_db


def _admin(world: Any, who: str = "sysadmin") -> Client:
    return world.client(who)


def test_the_sysadmin_creates_an_account_and_sees_its_password_once(world: Any) -> None:
    client = _admin(world)
    response = client.post("/accounts/new/", {"username": "wang", "full_name": "王 五"})
    html = response.content.decode()
    assert response.status_code == 200 and "只显示这一次" in html
    user = Membership.objects.model.user.field.related_model.objects.get(username="wang")
    assert user.account.must_change_password
    entry = AuditEntry.objects.get(event="account.create")
    assert entry.username == "sysadmin" and entry.changes["username"] == "wang"
    assert "password" not in str(entry.changes)
    # The listing shows the new account; reloading the detail shows no password.
    assert "wang" in client.get("/accounts/").content.decode()
    assert "只显示这一次" not in client.get(f"/accounts/{user.pk}/").content.decode()


def test_a_bad_username_gets_a_chinese_message_and_nothing_is_saved(world: Any) -> None:
    client = _admin(world)
    before = AuditEntry.objects.count()
    html = client.post("/accounts/new/", {"username": "officer"}).content.decode()
    assert "已被使用" in html
    assert "不能含空格" in client.post("/accounts/new/", {"username": "a b"}).content.decode()
    assert AuditEntry.objects.count() == before


def test_roles_are_granted_and_withdrawn_with_an_audit_entry(world: Any) -> None:
    from yigang.towns.models import RoleGrant

    client = _admin(world)
    user, _ = actions.create_account(username="li", actor=world.users["sysadmin"])
    response = client.post(
        f"/accounts/{user.pk}/roles/", {"role": Role.BODY_STAFF, "town": world.town.pk, "unit": world.body.pk}
    )
    assert response.status_code == 302
    # A business role asked for by the sysadmin waits for the 安委办 (三员分立; test_separation_of_duties.py).
    assert not Membership.objects.filter(user=user).exists()
    actions.change_password(user=user, password="Own-pass-2025", actor=user)
    actions.confirm_grant(grant=RoleGrant.objects.get(user=user), actor=world.users["officer"])
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.unit_id) == (Role.BODY_STAFF, world.body.pk)
    client.post(f"/accounts/{user.pk}/roles/{membership.pk}/remove/")
    assert not Membership.objects.filter(user=user).exists()
    events = list(AuditEntry.objects.filter(object_repr="li").values_list("event", flat=True))
    assert events == [
        "account.create",
        "account.grant.request",
        "account.password_change",
        "account.membership.add",
        "account.grant.confirm",
        "account.membership.remove",
    ]


@pytest.mark.parametrize(
    ("grant", "message"),
    [
        ({"role": Role.BODY_STAFF}, "须指定所在单位"),
        ({"role": Role.VILLAGE_STAFF, "unit": "body"}, "须选择嘎查村"),
        ({"role": Role.BODY_STAFF, "unit": "village"}, "而不是嘎查村"),
        ({"role": Role.SYSADMIN}, "不能同时担任业务角色"),
        ({"role": Role.COUNTY_VIEWER}, "须指定旗县"),
    ],
)
def test_grants_that_break_the_rules_are_refused(world: Any, grant: dict[str, Any], message: str) -> None:
    target = world.users["leader"]  # already a leader: a sysadmin role would mix administration and business
    unit = {"body": world.body, "village": world.village}.get(grant.get("unit", ""))
    with pytest.raises(ValidationError, match=message):
        actions.add_membership(
            user=target, role=grant["role"], town=world.town, unit=unit, actor=world.users["sysadmin"]
        )


def test_the_sysadmin_cannot_grant_themselves_a_role_or_act_outside_their_town(world: Any) -> None:
    admin = world.users["sysadmin"]
    with pytest.raises(ValidationError, match="不能给自己"):
        actions.add_membership(user=admin, role=Role.OFFICER, town=world.town, actor=admin)
    with pytest.raises(ValidationError, match="自己管理的乡镇"):
        actions.add_membership(
            user=world.users["leader"], role=Role.OFFICER, town=world.other_town, actor=admin
        )
    # Another town's officer is not an account this sysadmin may touch.
    assert not access.manageable_users(admin).filter(pk=world.users["other_officer"].pk).exists()
    assert _admin(world).post(f"/accounts/{world.users['other_officer'].pk}/password/").status_code == 404


def test_a_password_reset_replaces_the_old_one_and_forces_a_change(world: Any) -> None:
    client = _admin(world)
    leader = world.users["leader"]
    html = client.post(f"/accounts/{leader.pk}/password/").content.decode()
    assert "只显示这一次" in html
    assert Client().post("/login/", {"username": "leader", "password": PASSWORD}).status_code == 200
    leader.account.refresh_from_db()
    assert leader.account.must_change_password


def test_a_deactivated_account_cannot_log_in(world: Any) -> None:
    leader = world.users["leader"]
    assert _admin(world).post(f"/accounts/{leader.pk}/active/", {"active": "0"}).status_code == 302
    assert Client().post("/login/", {"username": "leader", "password": PASSWORD}).status_code == 200
    assert AuditEntry.objects.filter(event="account.deactivate", object_repr="leader").exists()
    with pytest.raises(ValidationError):
        actions.set_active(user=world.users["sysadmin"], active=False, actor=world.users["sysadmin"])


def test_accounts_are_never_deleted_while_the_audit_trail_names_them(world: Any) -> None:
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        world.users["officer"].delete()


def test_an_administrator_resets_a_lost_second_factor(world: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.users["leader"], name="phone", confirmed=True)
    assert _admin(world).post(f"/accounts/{world.users['leader'].pk}/otp/reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=world.users["leader"]).exists()
    assert AuditEntry.objects.filter(event="account.otp_reset", object_repr="leader").exists()


def test_the_account_menu_shows_account_management_only_to_the_sysadmin(world: Any) -> None:
    assert "账号管理" in world.client("sysadmin").get("/").content.decode()
    assert "账号管理" not in world.client("officer").get("/").content.decode()
