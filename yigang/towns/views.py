"""Home page and the town switcher."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .home import context as home_context
from .middleware import SESSION_KEY
from .models import Membership, Role, towns_for


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
    ctx = home_context(request.user, town)
    if ctx["home_roles"] == {Role.COUNTY_VIEWER}:  # a county supervisor's home is the county view
        return redirect("county:towns")
    return TemplateResponse(
        request,
        "home.html",
        {"active": active, "drafts": drafts, "roles": roles, **ctx},
    )


@login_required
@require_POST
def switch_town(request: HttpRequest) -> HttpResponse:
    town = towns_for(request.user).filter(pk=request.POST.get("town") or 0).first()
    if town is None:
        raise Http404
    request.session[SESSION_KEY] = town.pk
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
