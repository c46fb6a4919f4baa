"""Units: the list (bodies, villages, enterprises), one unit with its posts and history, reorganisation."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigang.towns.access import current_town, get_for_user, require_role

from .. import actions
from ..forms import AppointForm, PostForm, ReorganiseForm, UnitForm
from ..models import ChangeKind, Portfolio, Post, Supervision, Tenure, Unit, UnitChange, in_force
from ..reorganise import plan_reorganisation
from . import take


def _current_posts(day: datetime.date) -> Prefetch:
    tenures = Tenure.objects.at(day).select_related("person")
    posts = Post.objects.at(day).prefetch_related(Prefetch("tenures", queryset=tenures, to_attr="holders"))
    return Prefetch("posts", queryset=posts.order_by("id"), to_attr="current_posts")


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    today = timezone.localdate()
    show_all = request.GET.get("all") == "1"
    found = Unit.objects.for_user(request.user).filter(town=town).select_related("sector", "village")
    if not show_all:
        found = found.filter(active=True)
    unit_alive = in_force(today, "valid_from", "valid_until", prefix="unit__")
    units = found.prefetch_related(
        _current_posts(today),
        Prefetch(
            "supervisions",
            queryset=Supervision.objects.at(today).filter(unit_alive).select_related("sector"),
            to_attr="current_supervisions",
        ),
        Prefetch(
            "portfolios",
            queryset=Portfolio.objects.at(today).select_related("post"),
            to_attr="current_portfolios",
        ),
    )
    groups: dict[str, list[Unit]] = {}
    for unit in units.order_by("kind", "-active", "name"):
        groups.setdefault(unit.get_kind_display(), []).append(unit)
    return TemplateResponse(
        request,
        "org/units.html",
        {"groups": groups.items(), "show_all": show_all, "form": UnitForm(town=town), "today": today},
    )


@login_required
@require_POST
def unit_add(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    unit = take(
        request,
        UnitForm(request.POST, town=town),
        actions.add_unit,
        lambda unit: _("已添加单位“%(u)s”。") % {"u": unit},
        town=town,
    )
    if unit is not None:
        return redirect("org:unit", pk=unit.pk)
    return redirect("org:units")


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user(Unit.objects.select_related("town", "sector", "village"), request.user, pk=pk)
    today = timezone.localdate()
    posts = unit.posts.prefetch_related(
        Prefetch("tenures", queryset=Tenure.objects.select_related("person").order_by("-start"))
    ).order_by("-active", "id")
    context = {
        "unit": unit,
        "today": today,
        "posts": posts,
        "supervisions": unit.supervisions.select_related("sector").order_by("end", "sector__name"),
        "portfolios": unit.portfolios.select_related("post").order_by("-start"),
        "came_from": UnitChange.objects.filter(results=unit).prefetch_related("sources"),
        "went_to": UnitChange.objects.filter(sources=unit).prefetch_related("results"),
        "enterprises": unit.enterprises_here.filter(active=True).select_related("sector"),
        "post_form": PostForm(),
        "appoint_form": AppointForm(town=unit.town, unit=unit, initial={"start": today}),
    }
    return TemplateResponse(request, "org/unit.html", context)


@login_required
@require_POST
def post_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user(Unit.objects.select_related("town"), request.user, pk=pk)
    require_role(request, unit.town)
    take(request, PostForm(request.POST), actions.add_post, _("已添加岗位。"), unit=unit)
    return redirect("org:unit", pk=unit.pk)


@login_required
def reorganise(request: HttpRequest) -> HttpResponse:
    """Two steps: check the request and show what will move where (with the split's allocation), then apply."""
    town = current_town(request)
    require_role(request, town)
    form = ReorganiseForm(request.POST or None, town=town)
    context: dict[str, object] = {
        "form": form,
        "changes": UnitChange.objects.filter(town=town).prefetch_related("sources", "results"),
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        names = form.result_names()
        sources = list(data["sources"])
        allocation: dict[int, str] = {}
        for key in request.POST:
            value = request.POST.get(key, "")
            if key.startswith("alloc-") and key[6:].isdigit() and value:
                allocation[int(key[6:])] = value
        try:
            plan = plan_reorganisation(
                town=town,
                kind=data["kind"],
                effective=data["effective"],
                sources=sources,
                results=names,
                allocation=allocation,
                today=timezone.localdate(),
            )
            if request.POST.get("confirm") == "1":
                change = actions.reorganise(
                    town=town,
                    kind=data["kind"],
                    effective=data["effective"],
                    sources=sources,
                    results=names,
                    allocation=allocation,
                    document=data["document"],
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("已登记机构改革（%(k)s，%(d)s起）。下面是改革生效当日的责任体检。")
                    % {"k": change.get_kind_display(), "d": change.effective},
                )
                return redirect(f"{reverse('org:lint')}?at={change.effective.isoformat()}")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            effective = data["effective"]
            context.update(
                {
                    "plan": plan,
                    "is_split": data["kind"] == ChangeKind.SPLIT,
                    "names": names,
                    "supervisions": Supervision.objects.filter(unit__in=sources)
                    .filter(in_force(effective))
                    .select_related("sector", "unit")
                    .order_by("unit__name", "sector__name"),
                    "posts": Post.objects.filter(unit__in=sources, active=True)
                    .prefetch_related(
                        Prefetch(
                            "tenures",
                            queryset=Tenure.objects.at(effective).select_related("person"),
                            to_attr="holders",
                        )
                    )
                    .select_related("unit"),
                    "portfolios": Portfolio.objects.at(effective)
                    .filter(unit__in=sources)
                    .select_related("post", "unit"),
                    "allocation": allocation,
                }
            )
    return TemplateResponse(request, "org/reorganise.html", context)
