"""The chain page: pick a sector, a place and a day; see who answered at each level and who held each post."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from yigang.towns.access import current_town

from ..chain import build_chain
from ..forms import ChainForm
from ..models import Unit, UnitKind


@login_required
def chain_page(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    form = ChainForm(request.GET or None, town=town)
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        day = form.cleaned_data["at"] or timezone.localdate()
        chain = build_chain(sector=form.cleaned_data["sector"], place=form.cleaned_data["place"], at=day)
        enterprises = Unit.objects.filter(
            town=town, kind=UnitKind.ENTERPRISE, sector=chain.sector, active=True
        )
        if chain.place is not None and chain.place.kind == UnitKind.ENTERPRISE:
            enterprises = enterprises.none()  # the place itself heads the chain
        elif chain.place is not None:
            enterprises = enterprises.filter(village=chain.place)
        context.update({"chain": chain, "enterprises": enterprises.order_by("name")})
    template = "org/_chain.html" if request.htmx else "org/chain.html"  # type: ignore[attr-defined]
    return TemplateResponse(request, template, context)
