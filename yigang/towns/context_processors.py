from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import ENTERPRISE_ROLES, MANAGE_ROLES, OWN_RECORD_ROLES, READ_ROLES, Role, roles_in, user_towns


def town(request: HttpRequest) -> dict[str, Any]:
    """The current town, the reader's towns, and what the reader may do there — so that a page offers no link a
    role cannot use (a county viewer sees no 上报隐患 or 录入记录 that would only answer 403).

    `county_view` is the county's name when the reader reads the town only as a county viewer (no role of the
    town's own): the header then names the county (乌审旗 · 县级查看), not just one of its towns."""
    current = getattr(request, "town", None)
    if current is None:
        return {
            "current_town": None,
            "my_towns": [],
            "is_officer": False,
            "may_write": False,
            "county_view": "",
            "is_enterprise": False,
        }
    roles = roles_in(request.user, current)
    county_only = Role.COUNTY_VIEWER in roles and not roles & (READ_ROLES - {Role.COUNTY_VIEWER})
    return {
        "current_town": current,
        "county_view": current.county if county_only and current.county else "",
        "my_towns": user_towns(request.user),
        "is_officer": bool(roles & MANAGE_ROLES),
        "may_write": bool(roles & OWN_RECORD_ROLES),
        # An enterprise's own account: its menu holds its place and its hazards only (towns/enterprise.py).
        "is_enterprise": bool(roles & ENTERPRISE_ROLES) and not roles & READ_ROLES,
    }
