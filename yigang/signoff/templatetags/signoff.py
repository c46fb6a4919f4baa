"""`{% signoff_waiting person %}`: what a person has still to confirm, for the person page."""

from __future__ import annotations

from typing import Any

from django import template

from yigang.signoff.models import Task
from yigang.signoff.selectors import waiting

register = template.Library()


@register.inclusion_tag("signoff/_waiting.html")
def signoff_waiting(person: Any) -> dict[str, Any]:
    # The person page is already scoped to the reader (a 404 otherwise); sign-off status is town-wide data.
    tasks = list(
        waiting(Task.objects.filter(person=person)).select_related("post").order_by("-created_at", "-id")
    )
    return {"tasks": tasks}
