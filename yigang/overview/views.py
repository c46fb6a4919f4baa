"""The home page: what each role has to do, read from the domain apps (home.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from yigang.regulations.models import Regulation, Status
from yigang.towns.models import GrantStatus, Membership, Role, RoleGrant

from .home import context as home_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
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
    roles = Membership.objects.filter(user_id=request.user.pk or 0).select_related("town", "unit", "region")
    pending = RoleGrant.objects.filter(user_id=request.user.pk or 0, status=GrantStatus.PENDING)
    ctx = home_context(request.user, town)
    if ctx["home_roles"] == {Role.COUNTY_VIEWER}:  # a county supervisor's home is the county view
        return redirect(_supervisors_home(request.user))
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


def _supervisors_home(user: Any) -> str:
    """A county viewer's home: the comparison of their level — a region viewer's region (their places side by
    side if they sit at several), else the county view of their towns as before regions existed."""
    from django.urls import reverse

    from yigang.towns.regions import Sight, Tree

    sight = Sight.of(user)
    if not sight.regions:
        return reverse("county:towns")
    tops = sight.tops(Tree.load())
    if len(tops) == 1 and not isinstance(tops[0], str):
        return reverse("county:region", args=[tops[0].code])
    return reverse("county:regions")
