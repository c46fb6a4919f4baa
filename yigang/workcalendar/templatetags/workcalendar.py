"""`{% calendar_banner %}`: tells the 安委办 that a year it counts on has no notice entered, with the link."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from yigang.towns.models import MANAGE_ROLES, Role, roles_in

from ..days import missing_years

register = template.Library()


@register.inclusion_tag("workcalendar/_banner.html", takes_context=True)
def calendar_banner(context: Any) -> dict[str, Any]:
    request = context.get("request")
    town = getattr(request, "town", None)
    if request is None or town is None or not request.user.is_authenticated:
        return {"missing": []}
    roles = roles_in(request.user, town)
    if not roles & (MANAGE_ROLES | {Role.COUNTY_VIEWER}):
        return {"missing": []}
    return {"missing": missing_years(town, timezone.localdate())}
