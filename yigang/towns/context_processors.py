from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import MANAGE_ROLES, OWN_RECORD_ROLES, roles_in, user_towns


def town(request: HttpRequest) -> dict[str, Any]:
    """The current town, the reader's towns, and what the reader may do there — so that a page offers no link a
    role cannot use (a county viewer sees no 上报隐患 or 录入记录 that would only answer 403)."""
    current = getattr(request, "town", None)
    if current is None:
        return {"current_town": None, "my_towns": [], "is_officer": False, "may_write": False}
    roles = roles_in(request.user, current)
    return {
        "current_town": current,
        "my_towns": user_towns(request.user),
        "is_officer": bool(roles & MANAGE_ROLES),
        "may_write": bool(roles & OWN_RECORD_ROLES),
    }
