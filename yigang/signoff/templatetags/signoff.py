"""`{% signoff_waiting person %}`: what a person has still to confirm, for the person page."""

from __future__ import annotations

from typing import Any

from django import template

from yigang.signoff.models import Task

register = template.Library()


@register.inclusion_tag("signoff/_waiting.html")
def signoff_waiting(person: Any) -> dict[str, Any]:
    # The person page is already scoped to the reader (a 404 otherwise); sign-off status is town-wide data.
    tasks = list(
        Task.objects.filter(person=person, ended_at__isnull=True, confirmation__isnull=True)
        .select_related("post")
        .order_by("-created_at", "-id")
    )
    return {"tasks": tasks}
