"""A level's own regulation (issue 25.5): its versions, review and model marks, its post table, the towns below
it held against its model. Reached by the people who sit at the level or above it (regions.regions_for); anyone
else gets a 404 that confirms nothing."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigang.towns.models import Region

from . import actions, model_actions
from .choices import RegionPost
from .forms import (
    ActivateForm,
    ImportForm,
    ModelMarkForm,
    PostMappingForm,
    RegionDutyForm,
    RegionNewDutyForm,
)
from .model_check import check_region, post_table
from .models import Duty, Regulation
from .regions import region_for_user, regions_for, towns_below
from .views import add_from_form, import_upload


def _version(request: HttpRequest, code: str, pk: int) -> tuple[Region, Regulation]:
    region = region_for_user(request.user, code)
    regulation = Regulation.objects.filter(region=region, pk=pk).select_related("region").first()
    if regulation is None:
        raise Http404
    return region, regulation


def _duty(regulation: Regulation, duty_pk: int) -> Duty:
    duty = (
        regulation.duties.select_related("article", "item", "regulation__region").filter(pk=duty_pk).first()
    )
    if duty is None:
        raise Http404
    return duty


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def _submit(request: HttpRequest, form: Form, write: Callable[..., object], done: str) -> None:
    """Write the form's data (`write(**cleaned_data)`) with a message saying it was done, or say what was wrong."""
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for field in form.errors.values() for e in field))
        return
    try:
        write(**form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    regions = regions_for(request.user).order_by("level", "name")
    return TemplateResponse(request, "regulations/region_list.html", {"regions": regions})


@login_required
def region_home(request: HttpRequest, code: str) -> HttpResponse:
    region = region_for_user(request.user, code)
    table = post_table(region)
    return TemplateResponse(
        request,
        "regulations/region.html",
        {
            "region": region,
            "versions": Regulation.objects.filter(region=region).order_by("-version"),
            "check": check_region(region, towns_below(region)),
            "mappings": [
                (label, PostMappingForm(initial={"region_post": post, "town_post": table[post]}, prefix=post))
                for post, label in RegionPost.choices
            ],
        },
    )


@login_required
def region_import(request: HttpRequest, code: str) -> HttpResponse:
    region = region_for_user(request.user, code)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        regulation = import_upload(request, form, {"region": region.code}, region=region)
        if regulation is not None:
            return redirect("regulations:region_version", code=region.code, pk=regulation.pk)
    return TemplateResponse(request, "regulations/region_import.html", {"region": region, "form": form})


@login_required
def region_version(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, regulation = _version(request, code, pk)
    duties = regulation.duties.select_related("article", "item").order_by("position")
    initial = {"effective_from": regulation.stated_effective_from or regulation.issued_on}
    return TemplateResponse(
        request,
        "regulations/region_version.html",
        {
            "region": region,
            "regulation": regulation,
            "rows": [
                (
                    d,
                    RegionDutyForm(
                        initial={
                            "post": d.post,
                            "kind": d.kind,
                            "min_count": d.min_count,
                            "period": d.period,
                        },
                        prefix=f"d{d.pk}",
                    ),
                )
                for d in duties
            ],
            "markable": regulation.status in ("draft", "active"),
            "new_form": RegionNewDutyForm(prefix="new"),
            "activate_form": ActivateForm(initial=initial),
        },
    )


@login_required
def region_source(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    _region, regulation = _version(request, code, pk)
    return HttpResponse(regulation.source_text, content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def region_duty(request: HttpRequest, code: str, pk: int, duty_pk: int) -> HttpResponse:
    region, regulation = _version(request, code, pk)
    duty = _duty(regulation, duty_pk)
    form = RegionDutyForm(request.POST, prefix=f"d{duty.pk}")
    _submit(request, form, partial(actions.correct_duty, duty=duty, actor=request.user), _("已保存校正。"))
    return redirect("regulations:region_version", code=region.code, pk=regulation.pk)


@login_required
@require_POST
def region_duty_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, regulation = _version(request, code, pk)
    add_from_form(request, regulation, RegionNewDutyForm(request.POST, prefix="new"))
    return redirect("regulations:region_version", code=region.code, pk=regulation.pk)


@login_required
@require_POST
def region_duty_remove(request: HttpRequest, code: str, pk: int, duty_pk: int) -> HttpResponse:
    region, regulation = _version(request, code, pk)
    duty = _duty(regulation, duty_pk)
    try:
        actions.remove_duty(duty=duty, actor=request.user)
        messages.success(request, _("已删除该履职要求。"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("regulations:region_version", code=region.code, pk=regulation.pk)


@login_required
@require_POST
def region_mark(request: HttpRequest, code: str, pk: int, duty_pk: int) -> HttpResponse:
    region, regulation = _version(request, code, pk)
    duty = _duty(regulation, duty_pk)
    form = ModelMarkForm(request.POST)
    _submit(
        request,
        form,
        partial(model_actions.mark_model_duty, duty=duty, actor=request.user),
        _("已更新示范条款。"),
    )
    return redirect("regulations:region_version", code=region.code, pk=regulation.pk)


@login_required
@require_POST
def region_activate(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, regulation = _version(request, code, pk)
    form = ActivateForm(request.POST)
    write = partial(actions.activate_regulation, regulation=regulation, actor=request.user)
    _submit(request, form, write, _("第 %(v)d 版已启用。") % {"v": regulation.version})
    return redirect("regulations:region_version", code=region.code, pk=regulation.pk)


@login_required
@require_POST
def region_discard(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, regulation = _version(request, code, pk)
    try:
        actions.discard_draft(regulation=regulation, actor=request.user)
        messages.success(request, _("草稿已作废。"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("regulations:region", code=region.code)


@login_required
@require_POST
def region_mapping(request: HttpRequest, code: str) -> HttpResponse:
    region = region_for_user(request.user, code)
    post = request.POST.get("post", "")
    form = PostMappingForm(request.POST, prefix=post if post in RegionPost.values else None)
    write = partial(model_actions.set_post_mapping, region=region, actor=request.user)
    _submit(request, form, write, _("已保存岗位对应。"))
    return redirect("regulations:region", code=region.code)
