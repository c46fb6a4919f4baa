"""`{% accidents_this_year %}`: the town overview's box of this year's accidents, narrowed to the reader's part."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from yigang.accidents.models import Accident
from yigang.accidents.stats import year_figures

register = template.Library()


@register.inclusion_tag("accidents/_overview.html", takes_context=True)
def accidents_this_year(context: Any) -> dict[str, Any]:
    request = context["request"]
    town = getattr(request, "town", None)
    year = timezone.localdate().year
    figures = year_figures(Accident.objects.for_user(request.user).filter(town=town), year)
    return {"year": year, "total": figures.total, "grades": figures.by_grade, "late": figures.late}
