"""The assessment's card on the 安委办's home (the hook `assessment/_home_standing.html` of overview/home.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from yigang.towns.models import MANAGE_ROLES, has_role

from ..access import reads_all
from ..standing import for_home

register = template.Library()


@register.simple_tag(takes_context=True)
def assessment_standing(context: Any, town: Any) -> dict[str, Any] | None:
    """The due year's standing for a reader of the whole town's results, with whether they may start a round."""
    user = context["request"].user
    if town is None or not reads_all(user, town):
        return None
    year, standing = for_home(town, timezone.localdate())
    return {"year": year, "standing": standing, "may_start": has_role(user, town, MANAGE_ROLES)}
