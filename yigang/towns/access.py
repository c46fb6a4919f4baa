"""Reads about access: the object a user may see or a 404; the role a write needs or a 403; which accounts an
administrator manages and which role requests an officer decides. Writes are in actions.py."""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from yigang.audit.log import record

from .models import (
    ADMIN_ROLES,
    CONFIRMED_ROLES,
    MANAGE_ROLES,
    Account,
    GrantStatus,
    Membership,
    Role,
    RoleGrant,
    Town,
    has_role,
    towns_for,
)

M = TypeVar("M", bound=models.Model)


def get_for_user(queryset: Any, user: Any, **lookup: Any) -> Any:
    """The object if the user's scope holds it; otherwise a 404 that does not confirm it exists."""
    try:
        return queryset.for_user(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, OverflowError):  # a huge id is "not found", not a 500
        raise Http404 from None


def current_town(request: HttpRequest) -> Town:
    town = getattr(request, "town", None)
    if town is None:
        raise Http404("no town")
    return town


def require_role(request: HttpRequest, town: Town, roles: frozenset[str] = MANAGE_ROLES) -> None:
    """A user who may see the town but not act in it gets a 403, and the denial is audited."""
    if not has_role(request.user, town, roles):
        deny(request, town)


def deny(request: HttpRequest, town: Town, reason: str = "") -> NoReturn:
    """Refuse a user who may see the object but not change it: a 403, audited as `auth.permission_denied`."""
    audit_denial(request, town, reason)
    raise PermissionDenied(reason)


def audit_denial(request: HttpRequest, town: Town | None, reason: str = "") -> None:
    """Record a refusal (`auth.permission_denied`) for a caller that answers the 403 itself."""
    record(
        "auth.permission_denied",
        actor=request.user,
        town=town,
        success=False,
        object_repr=request.path[:300],
        changes={"reason": reason} if reason else None,
    )


def own_counties(admin: Any) -> set[str]:
    """The counties of the administrator's own county-level roles."""
    return set(
        Membership.objects.filter(user_id=admin.pk, role__in=ADMIN_ROLES)
        .exclude(county="")
        .values_list("county", flat=True)
    )


def admin_counties(admin: Any) -> set[str]:
    """Counties whose accounts `admin` manages: their county-level administrator roles, and every county all of
    whose towns they administer (a town administrator of the county's only town creates its county viewers)."""
    if not getattr(admin, "is_authenticated", False):
        return set()
    counties = own_counties(admin)
    towns = towns_for(admin, ADMIN_ROLES)
    for county in set(towns.exclude(county="").values_list("county", flat=True)) - counties:
        if not Town.objects.filter(county=county).exclude(pk__in=towns.values("pk")).exists():
            counties.add(county)
    return counties


def manageable_users(admin: Any) -> QuerySet[Any]:
    """Accounts `admin` may manage: every role they hold or wait for lies in the admin's towns or counties (or
    none yet)."""
    if not getattr(admin, "is_authenticated", False):
        return get_user_model().objects.none()
    towns = towns_for(admin, ADMIN_ROLES)
    own, counties = own_counties(admin), admin_counties(admin)
    if not towns.exists() and not counties:
        return get_user_model().objects.none()
    # A county reached through its towns brings its viewers, never its county-level administrators or auditors.
    inside = (
        Q(town__in=towns)
        | Q(town__isnull=True, county__in=own)
        | Q(town__isnull=True, county__in=counties, role=Role.COUNTY_VIEWER)
    )
    outside = Membership.objects.exclude(inside)
    # A role still waiting for the 安委办's confirmation marks where the account belongs just as a role does:
    # another town's administrator must not reach (and reset) an account whose request lies elsewhere.
    waiting_outside = RoleGrant.objects.filter(status=GrantStatus.PENDING).exclude(inside)
    return (
        get_user_model()
        .objects.filter(is_superuser=False)
        .exclude(pk=admin.pk)
        .exclude(pk__in=outside.values("user_id"))
        .exclude(pk__in=waiting_outside.values("user_id"))
        .order_by("username")
    )


def needs_confirmation(role: str, actor: Any) -> bool:
    """Whether a grant of `role` by `actor` waits for the 安委办 (三员分立): a business or audit role asked for by a
    system administrator. The operator at the shell (`yigang accounts`, actor None or not a sysadmin) grants at once."""
    if role not in CONFIRMED_ROLES or actor is None or not getattr(actor, "pk", None):
        return False
    return Membership.objects.filter(user_id=actor.pk, role__in=ADMIN_ROLES).exists()


def may_confirm(officer: Any, grant: RoleGrant) -> bool:
    """An 安委办 officer of the grant's town; for a county-level role, of a town of that county."""
    if not getattr(officer, "is_authenticated", False) or officer.pk == grant.user_id:
        return False
    towns = towns_for(officer, MANAGE_ROLES)
    if grant.town_id is not None:
        return towns.filter(pk=grant.town_id).exists()
    return bool(grant.county) and towns.filter(county=grant.county).exists()


def pending_grants(officer: Any) -> QuerySet[RoleGrant]:
    """The requests an officer may decide: of their towns, and county-level ones of their towns' counties."""
    towns = towns_for(officer, MANAGE_ROLES)
    counties = towns.exclude(county="").values("county")
    return (
        RoleGrant.objects.filter(status=GrantStatus.PENDING)
        .filter(Q(town__in=towns) | Q(town__isnull=True, county__in=counties))
        .exclude(user_id=getattr(officer, "pk", None) or 0)
        .select_related("user__account", "town", "unit", "requested_by")
    )


def holder_has_own_password(user: Any) -> bool:
    """False while the account still has the password an administrator set (created or reset, not yet changed)."""
    account = Account.objects.filter(user_id=user.pk).first()
    return not (account and account.must_change_password)
