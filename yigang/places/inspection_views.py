"""The page for an inspection record that names the places it covered (检查记录·监管对象).

The duty record form of the duties app, with the places the reader may see and that are under supervision
today; saved through `actions.record_inspection` (the record and the places in one transaction), so the
inspection counts toward the posts' duties and the bodies' coverage alike. Who may enter it is who may enter a
duty record (duties.access)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from yigang.duties import record_form
from yigang.duties.access import WRITE_ROLES, creditable_posts
from yigang.duties.models import RecordRules, Source
from yigang.duties.rules import matches_of
from yigang.regulations.choices import DutyKind
from yigang.towns.access import current_town, require_role

from . import actions
from .forms import InspectionForm
from .models import Place


@login_required
def inspection_new(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town, WRITE_ROLES)
    posts = creditable_posts(request.user, town)
    today = timezone.localdate()
    places = Place.objects.for_user(request.user).filter(town=town).open_on(today).select_related("village")
    kinds = sorted(matches_of(RecordRules.for_town(town).matches, DutyKind.INSPECTION))
    now = timezone.localtime()
    initial: dict[str, Any] = {
        "date": now.date(),
        "time": now.time().replace(second=0, microsecond=0),
        "kind": DutyKind.INSPECTION if DutyKind.INSPECTION in kinds else kinds[0],
        **record_form.prefill(request, posts),
    }
    wanted = request.GET.get("place", "")
    if wanted.isdigit() and len(wanted) < 12 and places.filter(pk=int(wanted)).exists():
        initial["places"] = [int(wanted)]
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        posts=posts,
        holders=record_form.holders_today(town),
        places=places,
        kinds=kinds,
        initial=initial,
    )
    if request.method == "POST":
        record_form.refuse_foreign_posts(request, town, posts)
    if request.method == "POST" and form.is_valid():
        entry = record_form.submitted(
            request,
            town,
            form,
            actions.record_inspection,
            town=town,
            data=record_form.form_data(form),
            places=list(form.cleaned_data["places"]),
            files=record_form.form_uploads(form),
            source=Source.FORM,
        )
        if entry is not None:
            messages.success(
                request,
                _("检查记录已提交，并计入所选场所的检查覆盖。提交后不能修改或删除，如有错误请提交更正。"),
            )
            messages.info(request, record_form.counted_toward(town, entry))
            return redirect("duties:record", pk=entry.pk)
    return TemplateResponse(
        request,
        "duties/record_form.html",
        {
            "form": form,
            "amending": None,
            "inspection": True,
            "late_after_days": RecordRules.for_town(town).late_after_days,
            "attach_again": request.method == "POST" and bool(request.FILES.getlist("attachments")),
        },
    )
