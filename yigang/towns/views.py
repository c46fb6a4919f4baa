"""Home page and the town switcher."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from yigang.inputs import local_path, parse_id

from .home import context as home_context
from .middleware import SESSION_KEY
from .models import GrantStatus, Membership, Role, RoleGrant, towns_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from yigang.regulations.models import Regulation, Status

    town = getattr(request, "town", None)
    active = (
        Regulation.objects.for_user(request.user).filter(town=town, status=Status.ACTIVE).first()
        if town
        else None
    )
    drafts = (
        Regulation.objects.for_user(request.user).filter(town=town, status=Status.DRAFT).count()
        if town
        else 0
    )
    roles = Membership.objects.filter(user_id=request.user.pk or 0).select_related("town", "unit")
    pending = RoleGrant.objects.filter(user_id=request.user.pk or 0, status=GrantStatus.PENDING)
    ctx = home_context(request.user, town)
    if ctx["home_roles"] == {Role.COUNTY_VIEWER}:  # a county supervisor's home is the county view
        return redirect("county:towns")
    return TemplateResponse(
        request,
        "home.html",
        {
            "active": active,
            "drafts": drafts,
            "roles": roles,
            "pending": pending.select_related("town"),
            **ctx,
        },
    )


@login_required
@require_POST
def switch_town(request: HttpRequest) -> HttpResponse:
    town_id = parse_id(request.POST.get("town"))
    town = towns_for(request.user).filter(pk=town_id).first() if town_id else None
    if town is None:
        raise Http404("没有该乡镇，或您无权查看。")
    request.session[SESSION_KEY] = town.pk
    return HttpResponseRedirect(local_path(request, request.POST.get("next")))
