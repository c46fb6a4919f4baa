"""Pages of the places register: the list by village and sector, a place, the import, the plans and coverage.

Reads go through `for_user` (body staff: their sectors' places; village staff: their village's); every write
is the 安委办 officer's (403, audited, for the other readers)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yigang.accidents.models import Accident
from yigang.duties.access import may_record
from yigang.duties.models import DutyRecord
from yigang.exports.download import XLSX, export_file
from yigang.hazards.models import Hazard
from yigang.inputs import year_param
from yigang.org.models import Sector, Unit, UnitKind
from yigang.org.views.bulk import import_page
from yigang.towns.access import current_town, get_for_user, require_role
from yigang.towns.models import MANAGE_ROLES, has_role
from yigang.towns.posting import form_errors, say_errors, step_view, take

from . import actions, bulk
from .coverage import compute
from .forms import AssessForm, CloseForm, FrequencyForm, PlaceForm, PlanItemForm, RouteForm
from .models import InspectionFrequency, Place, PlaceKind, PlaceRoute, PlanItem, RiskLevel
from .order_access import may_issue, own_bodies


@login_required
def place_list(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    found = Place.objects.for_user(request.user).filter(town=town).with_risk()
    chosen = {k: request.GET.get(k, "") for k in ("village", "sector", "kind", "risk", "closed")}
    if chosen["village"].isdigit():
        found = found.filter(village_id=int(chosen["village"]))
    if chosen["sector"].isdigit():
        found = found.filter(
            pk__in=Place.sectors.through.objects.filter(sector_id=int(chosen["sector"])).values("place_id")
        )
    if chosen["kind"] in PlaceKind.values:
        found = found.filter(kind=chosen["kind"])
    if chosen["risk"] in RiskLevel.values:
        found = found.filter(risk_level=chosen["risk"])  # type: ignore[misc]  # the annotation of with_risk()
    if chosen["closed"] != "1":
        found = found.filter(closed__isnull=True)
    places = list(
        found.select_related("village").prefetch_related("sectors").order_by("village__name", "name")
    )
    by_village: dict[str, list[Place]] = {}
    for place in places:
        by_village.setdefault(place.village.name, []).append(place)
    counts = {
        level: sum(1 for p in places if getattr(p, "risk_level", None) == level) for level in RiskLevel.values
    }
    return TemplateResponse(
        request,
        "places/list.html",
        {
            "by_village": by_village,
            "total": len(places),
            "counts": [(level, RiskLevel(level).label, counts[level]) for level in RiskLevel.values],
            "chosen": chosen,
            "villages": Unit.objects.filter(town=town, kind=UnitKind.VILLAGE, active=True).order_by("name"),
            "sectors": Sector.objects.filter(town=town, places__isnull=False).distinct().order_by("name"),
            "kinds": PlaceKind.choices,
            "levels": RiskLevel.choices,
            "is_officer": has_role(request.user, town, MANAGE_ROLES),
        },
    )


@login_required
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    town = current_town(request)
    place = get_for_user(Place.objects.with_risk().filter(town=town), request.user, pk=pk)
    user = request.user
    year = year_param(request)
    records = (
        DutyRecord.objects.for_user(user)
        .filter(places__place=place)
        .current()
        .prefetch_related("credits__post__unit")
        .order_by("-occurred_on", "-id")[:50]
    )
    hazards = accidents = None
    if place.unit_id:
        hazards = Hazard.objects.for_user(user).filter(enterprise_id=place.unit_id).order_by("-id")[:50]
        accidents = (
            Accident.objects.for_user(user)
            .filter(latest__unit_id=place.unit_id)
            .select_related("latest")
            .order_by("-id")[:50]
        )
    report = compute(town, year, plan=PlanItem.objects.for_user(user), places=[place.pk])
    orders = list(place.orders.select_related("unit", "hazard", "replaces", "issued_by"))
    officer, mine = has_role(user, town, MANAGE_ROLES), own_bodies(user, town) if orders else set()
    handled = {o.pk for o in orders if officer or o.unit_id in mine}  # as order_access.may_handle
    return TemplateResponse(
        request,
        "places/detail.html",
        {
            "place": place,
            "year": year,
            "sectors": place.sectors.order_by("name"),
            "licences": place.licences.all(),
            "assessments": place.assessments.select_related("created_by"),
            "records": records,
            "hazards": hazards,
            "accidents": accidents,
            "coverage": report.items,
            "orders": [(o, o.pk in handled) for o in orders],
            "may_issue": place.closed is None and may_issue(user, place),
            "today": timezone.localdate(),
            "is_officer": has_role(user, town, MANAGE_ROLES),
            "may_record": may_record(user, town) and place.open_on(timezone.localdate()),
            "assess_form": AssessForm(initial={"assessed_on": timezone.localdate()}),
            "close_form": CloseForm(initial={"closed": timezone.localdate()}),
        },
    )


def _data(form: PlaceForm) -> actions.PlaceData:
    c = form.cleaned_data
    return actions.PlaceData(
        name=c["name"],
        kind=c["kind"],
        village=c["village"],
        sectors=list(c["sectors"]),
        unit=c["unit"],
        address=c["address"],
        legal_representative=c["legal_representative"],
        legal_representative_phone=c["legal_representative_phone"],
        safety_manager=c["safety_manager"],
        safety_manager_phone=c["safety_manager_phone"],
        scale=c["scale"],
        opened=c["opened"],
        licences=form.licence_pairs(),
        risk_level=c["risk_level"],
        risk_on=c["risk_on"],
        risk_basis=c["risk_basis"],
    )


@login_required
def place_add(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    form = PlaceForm(request.POST or None, town=town)
    if request.method == "POST" and form.is_valid():
        try:
            place = actions.register_place(town=town, data=_data(form), actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已登记“%(p)s”。") % {"p": place})
            return redirect("places:detail", pk=place.pk)
    return TemplateResponse(request, "places/form.html", {"form": form, "place": None})


@login_required
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    town = current_town(request)
    place = get_for_user(Place.objects.filter(town=town).with_risk(), request.user, pk=pk)
    require_role(request, town)
    initial = {
        **{f: getattr(place, f) for f in ("name", "kind", "village", "unit", "opened", *actions.TEXT_FIELDS)},
        "sectors": list(place.sectors.all()),
        "licences": "\n".join(f"{lic.name}：{lic.number}" for lic in place.licences.all()),
        "risk_level": getattr(place, "risk_level", None) or "",
        "risk_on": getattr(place, "risk_on", None),
        "risk_basis": getattr(place, "risk_basis", None) or "",
    }
    form = PlaceForm(request.POST or None, town=town, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_place(place=place, data=_data(form), actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("places:detail", pk=place.pk)
    return TemplateResponse(request, "places/form.html", {"form": form, "place": place})


def _officers_place(request: HttpRequest, pk: int) -> Place:
    """A place of the current town the reader may see, for a step only the 安委办 takes (anyone else refused)."""
    town = current_town(request)
    place = get_for_user(Place.objects.filter(town=town), request.user, pk=pk)
    require_role(request, town)
    return place


def _place_step(
    form: type[forms.Form], act: Callable[..., object], done: Promise
) -> Callable[[HttpRequest, int], HttpResponse]:
    return step_view(_officers_place, form, act, done, word="place", back="places:detail")


place_assess = _place_step(AssessForm, actions.assess_risk, gettext_lazy("已登记风险评估。"))
place_close = _place_step(CloseForm, actions.close_place, gettext_lazy("已注销，记录保留。"))


def _bulk_summary(result: Any) -> str:
    return _("导入成功：共 %(r)d 行，新增 %(c)d 个、更新 %(u)d 个、注销 %(e)d 个，未变 %(n)d 个。") % {
        "r": result.rows,
        "c": result.created,
        "u": result.updated,
        "e": result.closed,
        "n": result.unchanged,
    }


@login_required
def bulk_page(request: HttpRequest) -> HttpResponse:
    return import_page(
        request,
        template_name="places/bulk.html",
        read=bulk.import_xlsx,
        summary=_bulk_summary,
        done="places:list",
    )


@login_required
def bulk_template(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    return export_file(bulk.template_xlsx(town), XLSX, f"{town.name}-监管对象导入模板.xlsx", "places.xlsx")


@login_required
def bulk_export(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    name = f"{town.name}-监管对象-{timezone.localdate():%Y%m%d}.xlsx"
    return export_file(bulk.export_xlsx(town, actor=request.user), XLSX, name, "places.xlsx")


@login_required
def coverage_page(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    year = year_param(request)
    report = compute(town, year, plan=PlanItem.objects.for_user(request.user))
    table = InspectionFrequency.table(town)
    return TemplateResponse(
        request,
        "places/coverage.html",
        {
            "year": year,
            "report": report,
            "units": [(Unit(pk=pk, name=name), totals) for pk, (name, totals) in report.by_unit.items()],
            "bodies": Unit.objects.filter(town=town, kind=UnitKind.BODY, active=True).order_by("name"),
            "table": [(level, RiskLevel(level).label, *table[level]) for level in RiskLevel.values],
            "is_officer": has_role(request.user, town, MANAGE_ROLES),
            "may_record": may_record(request.user, town),
            "frequency_form": FrequencyForm(),
        },
    )


@login_required
@require_POST
def frequency_set(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    take(request, FrequencyForm(request.POST), actions.set_frequency, _("已修改检查频次表。"), town=town)
    return redirect("places:coverage")


@login_required
def plan_page(request: HttpRequest, unit_pk: int) -> HttpResponse:
    town = current_town(request)
    unit = get_for_user(Unit.objects.filter(town=town, kind=UnitKind.BODY), request.user, pk=unit_pk)
    year = year_param(request)
    report = compute(town, year, plan=PlanItem.objects.for_user(request.user), units=[unit.pk])
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    planned = {i.place_id for i in report.items}
    candidates = [
        p
        for p in Place.objects.for_user(request.user).filter(town=town).order_by("name")
        if p.pk not in planned and unit in actions.supervising_bodies(p, first, last)
    ]
    return TemplateResponse(
        request,
        "places/plan.html",
        {
            "unit": unit,
            "year": year,
            "report": report,
            "totals": report.by_unit.get(unit.pk, (unit.name, None))[1],
            "candidates": candidates,
            "is_officer": has_role(request.user, town, MANAGE_ROLES),
            "item_form": PlanItemForm(),
        },
    )


@login_required
@require_POST
def plan_make(request: HttpRequest, unit_pk: int) -> HttpResponse:
    town = current_town(request)
    unit = get_for_user(Unit.objects.filter(town=town, kind=UnitKind.BODY), request.user, pk=unit_pk)
    require_role(request, town)
    year = _year_post(request)
    made = actions.make_plan(unit=unit, year=year, actor=request.user)
    messages.success(request, _("已按风险等级生成检查计划：新增或调整 %(n)d 项。") % {"n": len(made)})
    return redirect(f"{_plan_url(unit)}?year={year}")


@login_required
@require_POST
def plan_set(request: HttpRequest, unit_pk: int) -> HttpResponse:
    town = current_town(request)
    unit = get_for_user(Unit.objects.filter(town=town, kind=UnitKind.BODY), request.user, pk=unit_pk)
    require_role(request, town)
    year = _year_post(request)
    form = PlanItemForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        place = Place.objects.filter(town=town, pk=c["place"]).first()
        if place is None:
            messages.error(request, _("没有该场所。"))
        else:
            try:
                actions.set_plan_item(
                    unit=unit,
                    place=place,
                    year=year,
                    period=c["period"] or None,
                    count=c["count"],
                    actor=request.user,
                )
                messages.success(request, _("已保存检查计划。"))
            except ValidationError as exc:
                say_errors(request, exc.messages)
    else:
        form_errors(request, form)
    return redirect(f"{_plan_url(unit)}?year={year}")


def _plan_url(unit: Unit) -> str:
    from django.urls import reverse

    return reverse("places:plan", kwargs={"unit_pk": unit.pk})


def _year_post(request: HttpRequest) -> int:
    value = request.POST.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
@require_POST
def route_add(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    take(request, RouteForm(request.POST, town=town), actions.add_route, _("已登记按场所类型分工。"))
    return redirect("places:routes")


@login_required
def route_list(request: HttpRequest) -> HttpResponse:
    from yigang.org.lint import lint_town

    town = current_town(request)
    report = lint_town(town)
    return TemplateResponse(
        request,
        "places/routes.html",
        {
            "headless": report.headless_sectors,
            "routes": PlaceRoute.objects.for_user(request.user)
            .filter(town=town)
            .select_related("sector", "unit"),
            "form": RouteForm(town=town, initial={"start": timezone.localdate()}),
            "is_officer": has_role(request.user, town, MANAGE_ROLES),
        },
    )


@login_required
@require_POST
def route_end(request: HttpRequest, pk: int) -> HttpResponse:
    town = current_town(request)
    route = get_for_user(PlaceRoute.objects.filter(town=town), request.user, pk=pk)
    require_role(request, town)
    take(request, None, actions.end_route, _("已终止该分工。"), route=route, end=timezone.localdate())
    return redirect("places:routes")
