"""Writes to accounts: one transaction and one audit entry each. Pages, the API and `yigang accounts` call these.

The system administrator manages accounts of their towns (or county) and never business data; they cannot
grant themselves a role, and no account holds the administrator role together with a business role (等保2.0:
separated administration rights).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record
from yigang.inputs import check_text

from .access import admin_counties, holder_has_own_password, may_confirm, needs_confirmation, own_counties
from .enterprise import check_grant as check_enterprise_grant
from .models import (
    ADMIN_ROLES,
    AUDIT_ROLES,
    CONFIRMED_ROLES,
    READ_ROLES,
    Account,
    GrantReason,
    GrantStatus,
    Membership,
    PasswordHistory,
    Role,
    RoleGrant,
    Town,
    towns_for,
)
from .passwords import generate_password

User = get_user_model()


def remember_password(user: Any) -> None:
    """Keep the hash of the account's current password, and only as many as the history rule needs."""
    if not user.has_usable_password():
        return
    newest = PasswordHistory.objects.filter(user=user).values_list("password", flat=True).first()
    if newest != user.password:
        PasswordHistory.objects.create(user=user, password=user.password, set_at=timezone.now())
    keep = max(_history_length(), 1)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def _set_password(user: Any, password: str) -> None:
    remember_password(user)  # the outgoing password too, for accounts older than the history
    user.set_password(password)
    user.save(update_fields=["password"])
    remember_password(user)


def _history_length() -> int:
    from .passwords import PasswordHistoryValidator

    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, PasswordHistoryValidator):
            return validator.keep
    return 0


def _account(user: Any) -> Account:
    account, _ = Account.objects.get_or_create(user=user)
    return account


def create_account(
    *,
    username: str,
    full_name: str = "",
    password: str | None = None,
    must_change: bool = True,
    actor: Any,
    source: str = "admin",
    person: Any = None,
) -> tuple[Any, str]:
    """A new login account with an initial password (generated unless given) that must be changed at first login,
    linked to `person` (org.Person) when one is given: both or neither are saved.

    Returns the user and the initial password (shown once, never stored in clear).
    """
    username = username.strip()
    if not username:
        raise ValidationError("请填写用户名。")
    if len(username) > 150 or any(c.isspace() for c in username):
        raise ValidationError("用户名不能含空格，且不超过 150 个字符。")
    check_text(username, "用户名")
    check_text(full_name, "姓名")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"用户名“{username}”已被使用。")
    probe = User(username=username, first_name=full_name[:150])
    password = password or generate_password(user=probe)
    password_validation.validate_password(password, probe)
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, first_name=full_name[:150])
        remember_password(user)
        Account.objects.create(
            user=user, must_change_password=must_change, password_changed_at=timezone.now()
        )
        record(
            "account.create",
            actor=actor,
            obj=user,
            object_repr=username,
            changes={
                "username": username,
                "full_name": full_name,
                "must_change": must_change,
                "source": source,
            },
        )
        if person is not None:
            link_person(user=user, person=person, actor=actor, source=source)
    return user, password


def _validate_grant(
    *, user: Any, role: str, town: Town | None, county: str, unit: Any, actor: Any, region: Any = None
) -> None:
    if role not in Role.values:
        raise ValidationError("角色无效。")
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise ValidationError("不能给自己分配或撤销角色。")
    if role == Role.COUNTY_VIEWER:
        if town is not None or (bool(county) == (region is not None)):
            raise ValidationError("旗县监管人员须指定旗县（或盟市、省级区域，二者选一），不指定乡镇。")
    elif region is not None or (town is None and not (role in (Role.SYSADMIN, Role.AUDITOR) and county)):
        raise ValidationError(
            "请选择乡镇。" if region is None else "只有监管查看人员可以指定盟市、省级区域。"
        )
    if region is not None and actor is not None:
        # No administrator's scope reaches above the county yet: only the operator at the shell grants one.
        raise ValidationError(
            "盟市、省级查看人员只能由运维人员在命令行授予（yigang accounts create --region）。"
        )
    if actor is not None:
        admin_towns = towns_for(actor, ADMIN_ROLES)
        in_scope = (town is not None and admin_towns.filter(pk=town.pk).exists()) or (
            town is None and county in admin_counties(actor)
        )
        if not in_scope:
            raise ValidationError("您只能在自己管理的乡镇（旗县）内分配角色。")
        if town is None and role != Role.COUNTY_VIEWER and county not in own_counties(actor):
            # A county reached through its towns yields county viewers; a county-wide administrator or auditor
            # would also hold every town added to the county later, so only a county administrator grants one.
            raise ValidationError("只有旗县级系统管理员才能分配旗县级管理角色。")
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if role in ADMIN_ROLES and roles & READ_ROLES:
        raise ValidationError("系统管理员账号不能同时担任业务角色（三权分立），请另建账号。")
    if role in READ_ROLES and roles & ADMIN_ROLES:
        raise ValidationError("系统管理员账号不能同时担任业务角色（三权分立），请另建账号。")
    others = READ_ROLES | ADMIN_ROLES
    if (role in AUDIT_ROLES and roles & others) or (role in others and roles & AUDIT_ROLES):
        raise ValidationError("审计管理员账号不能同时担任系统管理员或业务角色（三员分立），请另建账号。")
    check_enterprise_grant(role=role, town=town, unit=unit, roles=roles)  # issue 24.5 (enterprise.py)
    if role == Role.ENTERPRISE:
        pass
    elif role in (Role.BODY_STAFF, Role.VILLAGE_STAFF):
        if unit is None:
            raise ValidationError("部门和嘎查村工作人员须指定所在单位。")
        if town is None or unit.town_id != town.pk:
            raise ValidationError("所选单位不属于该乡镇。")
        is_village = unit.kind == "village"
        if role == Role.VILLAGE_STAFF and not is_village:
            raise ValidationError("嘎查村（社区）工作人员须选择嘎查村（社区）。")
        if role == Role.BODY_STAFF and is_village:
            raise ValidationError("部门工作人员须选择镇属机构或驻镇单位，而不是嘎查村。")
    elif unit is not None:
        raise ValidationError("只有部门、嘎查村工作人员和企业安全管理人员需要指定单位。")
    duplicate = Membership.objects.filter(
        user=user, role=role, town=town, county=county if town is None else "", region=region
    )
    if duplicate.exists():
        raise ValidationError("该账号已有此角色。")


def add_membership(
    *,
    user: Any,
    role: str,
    town: Town | None = None,
    county: str = "",
    unit: Any = None,
    actor: Any,
    confirmed: bool | None = None,
    region: Any = None,
) -> Membership | RoleGrant:
    """Grant `user` a role in a town (or a county, for a county viewer or county administrator; or a region — a
    盟市 or a province — for a county viewer, issue 25: only the operator, at once).

    A business or audit role asked for by a system administrator becomes a pending RoleGrant that an 安委办
    officer confirms (`confirm_grant`); `confirmed=True` grants at once (the operator's command line).
    """
    county = county.strip() if town is None else ""
    _validate_grant(user=user, role=role, town=town, county=county, unit=unit, actor=actor, region=region)
    if confirmed is None:
        confirmed = not needs_confirmation(role, actor)
    if not confirmed:
        return _request_grant(user=user, role=role, town=town, county=county, unit=unit, actor=actor)
    return _create_membership(
        user=user, role=role, town=town, county=county, unit=unit, actor=actor, region=region
    )


def _create_membership(
    *, user: Any, role: str, town: Town | None, county: str, unit: Any, actor: Any, region: Any = None
) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.create(
            user=user, role=role, town=town, county=county, unit=unit, region=region
        )
        record(
            "account.membership.add",
            actor=actor,
            obj=user,
            town=town,
            object_repr=user.username,
            changes={
                "role": role,
                "town": town.name if town else None,
                "county": county or None,
                "unit": str(unit) if unit else None,
                **({"region": region.code} if region is not None else {}),
            },
        )
    return membership


def _grant_changes(grant: Any) -> dict[str, Any]:
    return {
        "role": grant.role,
        "town": grant.town.name if grant.town else None,
        "county": grant.county or None,
        "unit": str(grant.unit) if grant.unit_id else None,
        "reason": grant.reason,
    }


def _request_grant(
    *,
    user: Any,
    role: str,
    town: Town | None,
    county: str,
    unit: Any,
    actor: Any,
    reason: str = GrantReason.GRANT,
) -> RoleGrant:
    """A role that waits for an 安委办 officer's confirmation; it confers nothing until then."""
    waiting = RoleGrant.objects.filter(
        user=user, role=role, town=town, county=county, status=GrantStatus.PENDING
    )
    if waiting.exists():
        raise ValidationError("该账号已有此角色的待确认申请。")
    with transaction.atomic():
        grant = RoleGrant.objects.create(
            user=user,
            role=role,
            town=town,
            county=county,
            unit=unit,
            reason=reason,
            requested_by=actor if getattr(actor, "pk", None) else None,
            requested_at=timezone.now(),
        )
        record(
            "account.grant.request",
            actor=actor,
            obj=user,
            town=town,
            object_repr=user.username,
            changes={**_grant_changes(grant), "grant": grant.pk},
        )
    return grant


def confirm_grant(*, grant: RoleGrant, actor: Any, by_operator: bool = False) -> Membership:
    """The 安委办 officer confirms a requested role: only now does the account hold it. `by_operator`: the
    operator at the shell (`yigang accounts confirm`), where no officer can (the town's only one was reset)."""
    if not grant.is_pending:
        raise ValidationError("该申请已处理。")
    if not by_operator and not may_confirm(actor, grant):
        raise ValidationError("只有该镇安委办工作人员可以确认，且不能确认自己的角色。")
    if not holder_has_own_password(grant.user):
        raise ValidationError(
            "请等本人首次登录并修改初始密码后再确认：在此之前，设置密码的系统管理员也能登录该账号。"
        )
    _validate_grant(
        user=grant.user, role=grant.role, town=grant.town, county=grant.county, unit=grant.unit, actor=None
    )
    with transaction.atomic():
        locked = RoleGrant.objects.select_for_update().get(pk=grant.pk)
        if not locked.is_pending:
            raise ValidationError("该申请已处理。")
        membership = _create_membership(
            user=grant.user,
            role=grant.role,
            town=grant.town,
            county=grant.county,
            unit=grant.unit,
            actor=actor,
        )
        locked.status, locked.decided_by, locked.decided_at = GrantStatus.CONFIRMED, actor, timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            "account.grant.confirm",
            actor=actor,
            obj=grant.user,
            town=grant.town,
            object_repr=grant.user.username,
            changes={**_grant_changes(grant), "grant": grant.pk},
        )
    grant.refresh_from_db()
    return membership


def refuse_grant(*, grant: RoleGrant, actor: Any, note: str = "") -> None:
    """The officer refuses a requested role (a wrong unit, an unknown person): it never takes effect."""
    if not grant.is_pending:
        raise ValidationError("该申请已处理。")
    if not may_confirm(actor, grant):
        raise ValidationError("只有该镇安委办工作人员可以处理，且不能处理自己的角色。")
    note = " ".join(note.split())[:200]
    with transaction.atomic():
        grant.status, grant.decided_by, grant.decided_at, grant.note = (
            GrantStatus.REFUSED,
            actor,
            timezone.now(),
            note,
        )
        grant.save(update_fields=["status", "decided_by", "decided_at", "note"])
        record(
            "account.grant.refuse",
            actor=actor,
            obj=grant.user,
            town=grant.town,
            object_repr=grant.user.username,
            changes={**_grant_changes(grant), "grant": grant.pk, "note": note},
        )


def _suspend_business_roles(user: Any, actor: Any) -> int:
    """After an administrator set the account's password: each business or audit role becomes a request again,
    confirmed by the 安委办 once the holder has set their own password (the administrator knows this one)."""
    suspended = 0
    for membership in Membership.objects.filter(user=user, role__in=CONFIRMED_ROLES).select_related(
        "town", "unit"
    ):
        _request_grant(
            user=user,
            role=membership.role,
            town=membership.town,
            county=membership.county,
            unit=membership.unit,
            actor=actor,
            reason=GrantReason.RESET,
        )
        record(
            "account.membership.suspend",
            actor=actor,
            obj=user,
            town=membership.town,
            object_repr=user.username,
            changes=_membership_facts(membership),
        )
        membership.delete()
        suspended += 1
    return suspended


def _membership_facts(membership: Membership) -> dict[str, Any]:
    """What an audit entry about a role names: the role and where it holds."""
    return {
        "role": membership.role,
        "town": membership.town.name if membership.town else None,
        "county": membership.county or None,
        "unit": str(membership.unit) if membership.unit_id else None,
        **({"region": membership.region.code} if membership.region_id and membership.region else {}),
    }


def set_audit_disclosure(*, town: Town, enabled: bool, actor: Any) -> None:
    """Whether the town's audit administrator sees the content of business entries (titles, summaries …) or only
    which fields changed (the default). The 安委办 decides, as the owner of that content."""
    if town.audit_shows_content == enabled:
        return
    with transaction.atomic():
        town.audit_shows_content = enabled
        town.save(update_fields=["audit_shows_content"])
        record(
            "settings.audit_disclosure",
            actor=actor,
            town=town,
            object_repr=town.name,
            changes={"audit_shows_content": [not enabled, enabled]},
        )


def remove_membership(*, membership: Membership, actor: Any) -> None:
    """Withdraw a role; the account stays (accounts are deactivated, never deleted: the audit trail names them)."""
    if actor is not None and getattr(actor, "pk", None) == membership.user_id:
        raise ValidationError("不能给自己分配或撤销角色。")
    with transaction.atomic():
        record(
            "account.membership.remove",
            actor=actor,
            obj=membership.user,
            town=membership.town,
            object_repr=membership.user.username,
            changes=_membership_facts(membership),
        )
        membership.delete()


def reset_password(*, user: Any, actor: Any) -> str:
    """Give the account a new random password that must be changed at the next login; return it (shown once).

    Reset by a system administrator, who now knows the password, the account's business and audit roles are
    suspended: they wait, as requests, for the 安委办 to confirm them once the holder has set their own password.
    """
    password = generate_password()
    with transaction.atomic():
        if needs_confirmation(Role.OFFICER, actor):  # the actor is a system administrator
            _suspend_business_roles(user, actor)
        _set_password(user, password)
        account = _account(user)
        account.must_change_password = True
        account.password_changed_at = timezone.now()
        account.save(update_fields=["must_change_password", "password_changed_at"])
        record(
            "account.password_reset",
            actor=actor,
            obj=user,
            object_repr=user.username,
            changes={"must_change": True},
        )
    return password


def change_password(*, user: Any, password: str, actor: Any) -> None:
    """The user's own password change (validated by the form); clears a forced change."""
    password_validation.validate_password(password, user)
    with transaction.atomic():
        _set_password(user, password)
        account = _account(user)
        forced = account.must_change_password
        account.must_change_password = False
        account.password_changed_at = timezone.now()
        account.save(update_fields=["must_change_password", "password_changed_at"])
        record(
            "account.password_change",
            actor=actor,
            obj=user,
            object_repr=user.username,
            changes={"was_forced": forced},
        )


def mark_must_change(*, user: Any, actor: Any, source: str) -> None:
    """Flag an imported or demo-created account: its password must be changed at first login."""
    with transaction.atomic():
        account = _account(user)
        if account.must_change_password:
            return
        account.must_change_password = True
        account.save(update_fields=["must_change_password"])
        record(
            "account.must_change_password",
            actor=actor,
            obj=user,
            object_repr=user.username,
            changes={"must_change": True, "source": source},
        )


def set_active(*, user: Any, active: bool, actor: Any) -> None:
    """Deactivate (or reactivate) an account; a deactivated account cannot log in and its sessions end."""
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise ValidationError("不能停用自己的账号。")
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(
            "account.activate" if active else "account.deactivate",
            actor=actor,
            obj=user,
            object_repr=user.username,
            changes={"is_active": [not active, active]},
        )


def unlock(*, user: Any, actor: Any) -> int:
    """Clear the failed-login lockout of an account; returns how many failure records were cleared."""
    from axes.utils import reset

    with transaction.atomic():
        cleared = reset(username=user.username)
        record(
            "account.unlock",
            actor=actor,
            obj=user,
            object_repr=user.username,
            changes={"cleared_attempts": cleared},
        )
    return cleared


def enable_otp(*, device: Any, actor: Any) -> None:
    """Confirm a TOTP device the user has proved with a valid token: from now on login asks for a code."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record("account.otp_enable", actor=actor, obj=device.user, object_repr=device.user.username)


def remove_otp(*, user: Any, actor: Any, reason: str) -> int:
    """Remove every TOTP device of the user (they disabled it, or an administrator reset a lost phone)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        record(
            "account.otp_reset" if reason == "admin" else "account.otp_disable",
            actor=actor,
            obj=user,
            object_repr=user.username,
            changes={"devices": count},
        )
    return count


# ---------------------------------------------------------------- the account of a person


# The person register lives in `org`; towns imports no domain app, so the model is looked up by name and the
# person handed in by the caller (a form's choice, the people import, the demo loader).
def _people() -> Any:
    return apps.get_model("org", "Person")


def link_person(*, user: Any, person: Any, actor: Any, source: str = "admin") -> None:
    """Make `user` the login account of `person` (org.Person.user): reminders reach them, "我" marks their rows
    and their own page is one tap away. An account belongs to at most one person and a person has one account.

    Refused for an administrator or auditor account (三员分立: they hold no business role, so no post either) and
    for an account whose business roles lie in other towns only."""
    if person.user_id == user.pk:
        return
    if person.user_id is not None:
        raise ValidationError(f"“{person.name}”已关联账号“{person.user}”，请先解除关联。")
    other = _people().objects.filter(user_id=user.pk).exclude(pk=person.pk).select_related("town").first()
    if other is not None:
        raise ValidationError(f"账号“{user.username}”已关联{other.town}的“{other.name}”，请先解除关联。")
    roles = Membership.objects.filter(user_id=user.pk)
    if roles.filter(role__in=ADMIN_ROLES | AUDIT_ROLES).exists():
        raise ValidationError("系统管理员和审计管理员账号不能关联人员（三员分立），请为本人另建业务账号。")
    business = roles.filter(role__in=READ_ROLES, town__isnull=False)
    if business.exists() and not business.filter(town_id=person.town_id).exists():
        raise ValidationError(f"账号“{user.username}”的角色不在{person.town}，不能关联该镇人员。")
    with transaction.atomic():
        person.user = user
        person.save(update_fields=["user"])
        record(
            "account.person.link",
            actor=actor,
            obj=user,
            town=person.town,
            object_repr=user.username,
            changes={"person": person.name, "person_id": person.pk, "source": source},
        )


def unlink_person(*, person: Any, actor: Any) -> None:
    """The account no longer belongs to `person` (both stay: accounts and people are never deleted)."""
    if person.user_id is None:
        return
    user = person.user
    with transaction.atomic():
        person.user = None
        person.save(update_fields=["user"])
        record(
            "account.person.unlink",
            actor=actor,
            obj=user,
            town=person.town,
            object_repr=user.username,
            changes={"person": person.name, "person_id": person.pk},
        )
