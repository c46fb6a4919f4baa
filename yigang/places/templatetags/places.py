"""Template tags of the places pages: a risk level in its colour and its words; a body's coverage box; a hazard's
责令限期整改通知书."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from yigang.places.coverage import compute
from yigang.places.models import Place, PlanItem, RectificationOrder, RiskLevel

register = template.Library()


@register.inclusion_tag("places/_risk.html")
def risk_badge(level: str | None) -> dict[str, Any]:
    return {"level": level or "", "label": RiskLevel(level).label if level in RiskLevel.values else ""}


@register.inclusion_tag("places/_coverage_box.html", takes_context=True)
def body_coverage(context: Any, unit: Any) -> dict[str, Any]:
    """This year's inspection coverage of a body's plan, for the reader's part (the unit page, a body's home)."""
    request = context["request"]
    year = timezone.localdate().year
    report = compute(unit.town, year, units=[unit.pk], plan=PlanItem.objects.for_user(request.user))
    totals = report.by_unit.get(unit.pk)
    missed = [(i.place, p.label) for i in report.items for p in i.missed]
    return {"unit": unit, "year": year, "totals": totals[1] if totals else None, "missed": missed[:10]}


@register.inclusion_tag("places/_hazard_orders.html", takes_context=True)
def hazard_orders(context: Any, hazard: Any) -> dict[str, Any]:
    """On a hazard's page: the 责令限期整改通知书 issued for it, and — for a hazard at a registered place, to the
    officer or a body that supervises the place — the button that issues one, prefilled from the hazard."""
    from yigang.places.order_access import may_issue

    user = context["request"].user
    place = None
    if hazard.enterprise_id is not None:
        place = (
            Place.objects.for_user(user).filter(unit_id=hazard.enterprise_id, town_id=hazard.town_id).first()
        )
    orders = (
        RectificationOrder.objects.for_user(user).filter(hazard=hazard).select_related("unit")
        if place is not None
        else []
    )
    return {
        "hazard": hazard,
        "place": place,
        "orders": orders,
        "may_issue": place is not None and place.closed is None and may_issue(user, place),
    }
