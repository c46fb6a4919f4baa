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


@register.inclusion_tag("hazards/_found_by.html", takes_context=True)
def hazards_found_by(context: Any, record: Any) -> dict[str, Any]:
    """The hazards an inspection record (any version of it) found, and a link to report one more."""
    from django.db.models import Q

    from yigang.hazards.access import may_report
    from yigang.hazards.models import INSPECTION_KINDS, Hazard

    request = context.get("request")
    if request is None or record is None:
        return {"found": None}
    root = record.root_id or record.pk
    found = (
        Hazard.objects.for_user(request.user)
        .filter(Q(duty_record_id=root) | Q(duty_record__root_id=root))
        .select_related("sector")
        .order_by("pk")
    )
    inspection = record.kind in INSPECTION_KINDS
    return {
        "found": list(found),
        "record": record,
        "may_report": inspection and may_report(request.user, record.town),
        "inspection": inspection,
    }
