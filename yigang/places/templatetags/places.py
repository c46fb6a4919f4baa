"""Template tags of the places pages: a risk level in its colour and its words; a body's coverage box."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from yigang.places.coverage import compute
from yigang.places.models import PlanItem, RiskLevel

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
