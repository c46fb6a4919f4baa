"""A subject's workings and the officer's corrections of it: adjustments and 不适用 markings."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yigang.evidence import download
from yigang.towns.access import current_town, require_role
from yigang.towns.models import MANAGE_ROLES, has_role
from yigang.towns.posting import said

from .. import actions
from ..access import own_people, own_units, reads_all
from ..models import Adjustment, NotApplicable, Round
from ..scoring import INDICATORS
from .common import _data, _officer_year, _opened, _year


@login_required
@require_GET
def subject(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    town, data = _data(request, year)
    key = request.GET.get("key", "")
    row = next((r for r in data["units"] + data["persons"] if r["key"] == key), None)
    if row is None:
        raise Http404
    rnd = Round.objects.filter(town=town, year=year).first()
    trail = Adjustment.objects.filter(round=rnd, subject=key).select_related("created_by") if rnd else []
    return TemplateResponse(
        request,
        "assessment/subject.html",
        {
            "year": year,
            "row": row,
            "published": data["published"],
            "trail": trail,
            "is_officer": has_role(request.user, town, MANAGE_ROLES),
            "round": rnd,
            "markings": _labelled(
                NotApplicable.objects.filter(round=rnd, subject=key).select_related(
                    "created_by", "withdrawn_by"
                )
                if rnd
                else []
            ),
        },
    )


@login_required
@require_POST
def adjust(request: HttpRequest) -> HttpResponse:
    town, year = _officer_year(request)
    key = request.POST.get("key", "")
    upload = request.FILES.get("file")
    with said(request, _("已记录人工调整。")):
        rnd = _opened(town, year)
        actions.add_adjustment(
            rnd=rnd,
            subject=key,
            points=request.POST.get("points", ""),
            reason=request.POST.get("reason", ""),
            upload=upload,  # type: ignore[arg-type]
            filename=(upload.name or "") if upload is not None else "",
            actor=request.user,
        )
    return redirect(f"{reverse('assessment:subject')}?year={year}&key={quote(key)}")


def _labelled(markings: Any) -> list[NotApplicable]:
    out = list(markings)
    for m in out:
        m.label = INDICATORS.get(m.item, m.item)
    return out


# --- issue 21: 不适用 markings ---------------------------------------------------------------------------------


@login_required
@require_POST
def not_applicable(request: HttpRequest) -> HttpResponse:
    town, year = _officer_year(request)
    key = request.POST.get("key", "")
    with said(request, _("已标注不适用，该项不计分，其余各项折算为百分制。")):
        actions.mark_not_applicable(
            rnd=_opened(town, year),
            subject=key,
            item=request.POST.get("item", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    return redirect(f"{reverse('assessment:subject')}?year={year}&key={quote(key)}")


@login_required
@require_POST
def not_applicable_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    town = current_town(request)
    require_role(request, town, MANAGE_ROLES)
    marking = NotApplicable.objects.filter(round__town=town, pk=pk).select_related("round__town").first()
    if marking is None:
        raise Http404
    with said(request, _("已撤销不适用标注，该项重新计分。")):
        actions.withdraw_not_applicable(
            marking=marking, reason=request.POST.get("reason", ""), actor=request.user
        )
    return redirect(f"{reverse('assessment:subject')}?year={marking.round.year}&key={quote(marking.subject)}")


@login_required
@require_GET
def adjustment_file(request: HttpRequest, pk: int) -> HttpResponse:
    """An adjustment's supporting file, to whoever may see the adjusted row (else 404), checked by SHA-256."""
    town = current_town(request)
    item = Adjustment.objects.filter(round__town=town, pk=pk).select_related("round").first()
    if item is None or not _may_see(request, town, item.subject):
        raise Http404
    return download.serve(request, item, town=town, stem="attachment", event="assessment.adjustment.corrupt")


def _may_see(request: HttpRequest, town: Any, subject: str) -> bool:
    if reads_all(request.user, town):
        return True
    kind, _sep, rest = subject.partition(":")
    ident = rest.split(":", 1)[0]
    if not ident.isdigit():
        return False
    if kind == "unit":
        return int(ident) in own_units(request.user, town)
    return int(ident) in own_people(request.user, town)
