"""People, a person's page (posts, personal duty list, what is due), tenures and portfolios."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigang.audit.log import record
from yigang.exports.download import DOCX, XLSX, export_file
from yigang.towns.access import current_town, get_for_user, require_role

from .. import actions
from ..forms import AppointForm, EndForm, PersonForm, PortfolioForm
from ..models import Person, Portfolio, Supervision, Tenure, Unit, UnitKind, in_force
from ..personal_list import build_personal_list, personal_list_docx, personal_list_xlsx
from ..profile import build_profile
from . import take


def _back(request: HttpRequest, fallback: str, **kwargs: Any) -> HttpResponse:
    target = request.POST.get("next", "")
    # A path on this site only: redirect() would take "abc" for a URL name and fail (yigang.inputs.local_path).
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback, **kwargs)


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    today = timezone.localdate()
    current = Tenure.objects.at(today).select_related("post__unit").order_by("post__unit__kind", "start")
    people = (
        Person.objects.for_user(request.user)
        .filter(town=town)
        .prefetch_related(Prefetch("tenures", queryset=current, to_attr="current_tenures"))
    )
    return TemplateResponse(
        request, "org/people.html", {"people": people, "form": PersonForm(), "today": today}
    )


@login_required
@require_POST
def person_add(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    person = take(
        request,
        PersonForm(request.POST),
        actions.add_person,
        lambda person: _("已添加人员“%(p)s”，可在其页面办理任职。") % {"p": person},
        town=town,
    )
    if person is not None:
        return redirect("org:person", pk=person.pk)
    return redirect("org:people")


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(Person.objects.select_related("town"), request.user, pk=pk)
    today = timezone.localdate()
    profile = build_profile(person, today)
    personal = build_personal_list(profile)
    appoint_form = AppointForm(town=person.town, initial={"person": person.pk, "start": today})
    return TemplateResponse(
        request,
        "org/person.html",
        {
            "person": person,
            "profile": profile,
            "personal": personal,
            "appoint_form": appoint_form,
            "end_form": EndForm(),
        },
    )


@login_required
def person_duty_list(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The person's own 责任清单 as Word or Excel: name, posts, 分管 range, their own body's Art. 12 item."""
    person = get_for_user(Person.objects.select_related("town"), request.user, pk=pk)
    day = timezone.localdate()
    personal = build_personal_list(build_profile(person, day))
    if fmt == "docx":
        body = personal_list_docx(personal)
        mime = DOCX
    else:
        body = personal_list_xlsx(personal)
        mime = XLSX
    record(
        "export.person_duty_list",
        actor=request.user,
        obj=person,
        changes={"format": fmt, "at": day.isoformat(), "lists": [d.post for d in personal.lists]},
    )
    return export_file(body, mime, f"责任清单-{person.name}-{day.isoformat()}.{fmt}", f"duty-list.{fmt}")


@login_required
@require_POST
def appoint(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    form = AppointForm(request.POST, town=town)
    take(
        request, form, actions.appoint, lambda t: _("已登记：%(p)s 任 %(t)s。") % {"p": t.person, "t": t.post}
    )
    return _back(request, "org:people")


@login_required
@require_POST
def tenure_end(request: HttpRequest, pk: int) -> HttpResponse:
    tenure = get_for_user(Tenure.objects.select_related("town", "person", "post"), request.user, pk=pk)
    require_role(request, tenure.town)
    take(request, EndForm(request.POST), actions.end_tenure, _("已登记离任。"), tenure=tenure)
    return _back(request, "org:person", pk=tenure.person_id)


@login_required
def portfolio_list(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    today = timezone.localdate()
    portfolios = (
        Portfolio.objects.for_user(request.user)
        .filter(town=town)
        .select_related("post__unit", "unit", "sector")
        .prefetch_related(
            Prefetch(
                "post__tenures", queryset=Tenure.objects.at(today).select_related("person"), to_attr="holders"
            )
        )
        .order_by("post__unit__kind", "post_id", "-start")
    )
    current = [p for p in portfolios if p.end is None or p.end >= today]
    past = [p for p in portfolios if p.end is not None and p.end < today]
    covered = {p.unit_id for p in current if p.start <= today}
    supervising = (
        Unit.objects.filter(town=town, active=True, kind=UnitKind.BODY)
        .filter(pk__in=Supervision.objects.at(today).values("unit_id"))
        .filter(in_force(today, "valid_from", "valid_until"))
        .order_by("name")
    )
    return TemplateResponse(
        request,
        "org/portfolios.html",
        {
            "current": current,
            "past": past,
            "uncovered": [u for u in supervising if u.pk not in covered],
            "form": PortfolioForm(town=town, initial={"start": today}),
            "end_form": EndForm(),
            "today": today,
        },
    )


@login_required
@require_POST
def portfolio_assign(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    take(request, PortfolioForm(request.POST, town=town), actions.assign_portfolio, _("已登记分管。"))
    return _back(request, "org:portfolios")


@login_required
@require_POST
def portfolio_end(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = get_for_user(Portfolio.objects.select_related("town"), request.user, pk=pk)
    require_role(request, portfolio.town)
    take(request, EndForm(request.POST), actions.end_portfolio, _("已终止该分管。"), portfolio=portfolio)
    return _back(request, "org:portfolios")
