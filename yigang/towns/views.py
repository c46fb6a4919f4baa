"""The town switcher (the home page is the overview app's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from yigang.inputs import local_path, parse_id

from .middleware import SESSION_KEY
from .models import towns_for


@login_required
@require_POST
def switch_town(request: HttpRequest) -> HttpResponse:
    town_id = parse_id(request.POST.get("town"))
    town = towns_for(request.user).filter(pk=town_id).first() if town_id else None
    if town is None:
        raise Http404("没有该乡镇，或您无权查看。")
    request.session[SESSION_KEY] = town.pk
    return HttpResponseRedirect(local_path(request, request.POST.get("next")))
