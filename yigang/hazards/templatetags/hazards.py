"""`{% hazards_concerning %}`: the open hazards that concern the town overview or a person's page, as one
include line in those templates (the register and the home page do not import hazards)."""

from __future__ import annotations

from typing import Any

from django import template

from yigang.hazards.views import concerning

register = template.Library()


@register.inclusion_tag("hazards/_concerning.html", takes_context=True)
def hazards_concerning(context: Any, person: Any = None) -> dict[str, Any]:
    request = context.get("request")
    town = getattr(person, "town", None) or getattr(request, "town", None)
    if request is None or town is None or not request.user.is_authenticated:
        return {"hz": None}
    return {"hz": concerning(request.user, town, person)}
