"""What the assessment pages share: the year asked for, the data the reader may see, the round."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from yigang.towns.access import current_town, require_role
from yigang.towns.models import MANAGE_ROLES

from ..access import visible
from ..models import Round
from ..results import results
from ..standing import due_year


def _year(raw: str) -> int:
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return due_year(timezone.localdate())


def _officer_year(request: HttpRequest) -> tuple[Any, int]:
    """A write of the 安委办 on a year's assessment: the town (anyone else refused) and the year posted."""
    town = current_town(request)
    require_role(request, town, MANAGE_ROLES)
    return town, _year(request.POST.get("year", ""))


def _data(request: HttpRequest, year: int) -> tuple[Any, dict[str, Any]]:
    town = current_town(request)
    return town, visible(results(town, year), request.user, town)


def _opened(town: Any, year: int) -> Round:
    """The year's round, which the 安委办 must have started (开展) with its confirmation."""
    rnd = Round.objects.filter(town=town, year=year).select_related("scheme", "town").first()
    if rnd is None:
        raise ValidationError(_("本年度考核尚未开展：请先在考核页面确认开展。"))
    return rnd


def _confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "1"
