from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import MANAGE_ROLES, has_role, towns_for


def town(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "town", None)
    if current is None:
        return {"current_town": None, "my_towns": [], "is_officer": False}
    return {
        "current_town": current,
        "my_towns": list(towns_for(request.user)),
        "is_officer": has_role(request.user, current, MANAGE_ROLES),
    }
