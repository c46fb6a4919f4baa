"""View helpers: the object a user may see or a 404; the role a write needs or a 403."""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from yigang.audit.log import record

from .models import MANAGE_ROLES, Town, has_role

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
