"""The enterprise's own account (企业安全管理人员, issue 24.5): who holds it, which unit it speaks for, and the few
pages and endpoints it may reach.

The role is not a reading role (READ_ROLES): every `for_user` that goes by the generic scope gives it nothing,
and the querysets that give it its own rows name it themselves (places: its place; hazards: those at its unit;
hazard photos: theirs). On top of that the gate below is an allow-list: an account that holds only the
enterprise role reaches the pages and endpoints named here and gets a 403 (audited) anywhere else — so a page
added later is refused to it until someone decides it may use it, whatever that page's own check says.

The grant is the one every business role goes through (a system administrator asks, an 安委办 officer
confirms, RoleGrant); `check_grant` is what the role adds to it: the unit is an enterprise of the town that a
registered place under supervision (places.Place.unit) stands for, open today.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from .models import ENTERPRISE_ROLES, Role, memberships_of

# Pages (URL names) an enterprise account may open; each view still scopes what it shows (for_user, 404).
PAGES = frozenset(
    {
        "home",
        "login",
        "logout",
        "set_language",
        "jsi18n",
        "accounts:profile",
        "accounts:password_change",
        "accounts:otp_verify",
        "accounts:otp_setup",
        "accounts:otp_disable",
        "pwa:manifest",
        "pwa:service_worker",
        "duties:notify:list",
        "duties:notify:badge",
        "duties:notify:read",
        "duties:notify:read_all",
        "places:list",
        "places:detail",
        "places:order_docx",  # the 责令限期整改通知书 addressed to it (readable exactly when its place is)
        "hazards:list",
        "hazards:new",
        "hazards:detail",
        "hazards:step",
        "hazards:photo",
    }
)
# API operations (method, route) it may call; django-ninja serves several operations at one route, so the method
# says which one (POST api/hazards/ reports, GET lists).
OPERATIONS = frozenset(
    {
        ("GET", "api/hazards/"),
        ("POST", "api/hazards/"),
        ("GET", "api/hazards/<hazard_id>"),
        ("POST", "api/hazards/<hazard_id>/steps"),
        ("GET", "api/hazards/photos/<photo_id>"),
        ("GET", "api/places"),
        ("GET", "api/places/<place_id>"),
        ("GET", "api/notify/notifications"),
        ("POST", "api/notify/notifications/<notification_id>/read"),
        ("POST", "api/notify/notifications/read-all"),
    }
)


def is_enterprise_only(user: Any) -> bool:
    """Whether the account holds the enterprise role and no other (the grant refuses mixing it with another)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = {role for role, _town, _county in memberships_of(user)}
    return bool(roles) and roles <= ENTERPRISE_ROLES


def enterprise_unit_ids(user: Any, town: Any = None) -> set[int]:
    """The enterprise units the account speaks for (in `town`, when given)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    from .models import Membership

    found = Membership.objects.filter(user_id=user.pk, role=Role.ENTERPRISE, unit__isnull=False)
    if town is not None:
        found = found.filter(town_id=getattr(town, "pk", town))
    return {unit_id for unit_id in found.values_list("unit_id", flat=True) if unit_id is not None}


def place_of(unit: Any) -> Any:
    """The registered place (places.Place) the enterprise unit stands for, or None."""
    try:
        return unit.place
    except ObjectDoesNotExist:
        return None


def check_grant(*, role: str, town: Any, unit: Any, roles: set[str]) -> None:
    """What the enterprise role adds to a grant's checks (towns.actions._validate_grant); `roles` are those the
    account already holds. Raises ValidationError in Chinese."""
    if role == Role.ENTERPRISE:
        if roles - ENTERPRISE_ROLES:
            raise ValidationError("企业安全管理人员账号不能同时担任其他角色，请另建账号。")
        if town is None:
            raise ValidationError("请选择乡镇。")
        if unit is None:
            raise ValidationError("企业安全管理人员须指定所在的生产经营单位。")
        if unit.town_id != town.pk:
            raise ValidationError("所选单位不属于该乡镇。")
        if unit.kind != "enterprise":
            raise ValidationError("企业安全管理人员须选择生产经营单位，而不是部门或嘎查村。")
        place = place_of(unit)
        if place is None:
            raise ValidationError(
                f"“{unit.name}”尚未关联监管对象台账中的场所：请安委办先在场所的“修改”中选择该生产经营单位。"
            )
        if not place.open_on(timezone.localdate()):
            raise ValidationError(f"“{place.name}”已注销，不能再为其开通企业账号。")
    elif roles & ENTERPRISE_ROLES:
        raise ValidationError("企业安全管理人员账号不能同时担任其他角色，请另建账号。")


def _refuse(request: HttpRequest) -> HttpResponse:
    from .access import audit_denial

    audit_denial(request, getattr(request, "town", None), "enterprise")
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": "企业账号无权使用该接口。"}, status=403, json_dumps_params={"ensure_ascii": False}
        )
    raise PermissionDenied("企业账号无权访问该页面。")


class EnterpriseGateMiddleware:
    """An enterprise account reaches only PAGES and OPERATIONS: anything else is a 403, audited."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if not is_enterprise_only(request.user):
            return None
        match = request.resolver_match
        if match is None:
            return None
        if match.route.startswith("api/"):
            if (request.method or "GET", match.route) in OPERATIONS:
                return None
        elif match.view_name in PAGES:
            return None
        return _refuse(request)
