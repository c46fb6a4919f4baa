"""Hazard pages: the list (filters, pagination), the phone report form, a hazard's timeline with the step its
reader may take, photos served through a scope check, and the statistics (ECharts and .xlsx)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yigang.audit.log import client_ip
from yigang.evidence import download
from yigang.exports.download import XLSX, export_file
from yigang.inputs import year_param
from yigang.org.models import Person
from yigang.towns.access import current_town, deny, get_for_user
from yigang.towns.models import AUDIT_ROLES, has_role
from yigang.towns.scope import Scope

from . import actions, closing, steps
from .access import (
    is_enterprise,
    is_officer,
    may_decide,
    may_decide_extension,
    may_handle,
    may_nudge,
    may_report,
    may_submit,
    own_place,
)
from .answering import Answering
from .forms import STEPS, FilterForm, NudgeForm, ReportForm, StepForm
from .models import OPEN_STATUSES, Channel, ExtensionStatus, Hazard, Photo, Source, Status
from .stats import compute, stats_xlsx


def _at_fields(form: Any, exc: ValidationError) -> None:
    """The action's errors at the fields they concern (as the form's own), any other one above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _uploads(request: HttpRequest) -> list[actions.Upload]:
    return [actions.Upload(f, f.name or "") for f in request.FILES.getlist("photos")]


@login_required
@require_GET
def hazard_list(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    today = timezone.localdate()
    hazards = (
        Hazard.objects.for_user(request.user)
        .filter(town=town)
        .select_related("sector", "village", "owner_unit", "enterprise")
    )
    form = FilterForm(request.GET or None, town=town, user=request.user)
    person = None
    if form.is_valid():
        f = form.cleaned_data
        if f["person"]:
            person = f["person"]
            answering = Answering.of(person, today)
            hazards = hazards.filter(answering.q(today))
            if f["escalated"]:
                hazards = hazards.filter(answering.escalated_q())
        elif f["escalated"]:
            hazards = hazards.filter(escalation_level__gt=0)
        if f["open"] or f["escalated"]:
            hazards = hazards.filter(status__in=OPEN_STATUSES)
        if f["sector"]:
            hazards = hazards.filter(sector=f["sector"])
        if f["village"]:
            hazards = hazards.filter(village=f["village"])
        if f["grade"]:
            hazards = hazards.filter(grade=f["grade"])
        if f["status"]:
            hazards = hazards.filter(status=f["status"])
        if f["overdue"]:
            hazards = hazards.filter(status__in=OPEN_STATUSES, deadline__lt=today)
        if f["year"]:
            hazards = hazards.filter(found_on__year=f["year"])
    elif form.is_bound:
        # A filter that does not hold (a person outside the reader's range, a year out of bounds) shows nothing
        # and says why: the whole list under a person's or a year's heading would be a false answer.
        hazards = hazards.none()
    page = Paginator(hazards.order_by("-found_on", "-pk"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "hazards/list.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "query": query.urlencode(),
            "may_report": may_report(request.user, town),
            "person": person,
            # The reader's own person, for "只看我负责的" (a reader may see more than they answer for).
            "me": Person.objects.filter(town=town, user_id=request.user.pk or 0).first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    if not may_report(request.user, town):
        deny(request, town)
    place = _own_place(request, town)
    person = getattr(request.user, "person", None)
    initial: dict[str, Any] = {"found_on": timezone.localdate(), "found_by": person.name if person else ""}
    if place is not None:
        initial.update(address=place.address or place.name, found_by=getattr(request.user, "first_name", ""))
    villages = Scope.for_user(request.user).village_ids
    if len(villages) == 1:  # a village's staff report in their village: one field less on the phone
        initial["village"] = next(iter(villages))
    record = request.GET.get("record", "")
    if record.isdigit() and len(record) < 18:  # "report what this inspection found" from a duty record
        initial["duty_record"] = int(record)
        initial["source"] = Source.INSPECTION
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        town=town,
        user=request.user,
        place=place,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data
        data = actions.HazardData(
            sector=f["sector"],
            description=f["description"],
            address=f["address"],
            found_on=f["found_on"],
            found_by=f["found_by"],
            source=f["source"] if place is None else Source.SELF_CHECK,
            grade=f["grade"],
            village=f["village"] if place is None else place.village,
            enterprise=f["enterprise"] if place is None else place.unit,
            site="" if place is None else place.name,
            latitude=f["latitude"],
            longitude=f["longitude"],
            deadline=f["deadline"],
            working_days=f["working_days"],
            duty_record=f.get("duty_record"),
        )
        try:
            hazard, created = actions.report_hazard(
                town=town,
                data=data,
                photos=_uploads(request),
                client_key=f["client_key"] or None,
                channel=Channel.FORM,
                actor=request.user,
            )
        except ValidationError as exc:
            _at_fields(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("隐患已上报，编号 %(n)s，已交“%(u)s”办理。")
                    % {"n": hazard.number, "u": hazard.owner_unit},
                )
            if not Hazard.objects.for_user(request.user).filter(pk=hazard.pk).exists():
                return redirect("hazards:list")  # reported outside what they read (a leader's portfolio)
            return redirect("hazards:detail", pk=hazard.pk)
    elif request.method == "POST":
        # The form refused (a field, or the dates' order): the photos are checked too, so all shows at once.
        try:
            actions.check_photos(_uploads(request))
        except ValidationError as exc:
            _at_fields(form, exc)
    # A browser never sends a chosen photo back after an error: the form says to choose it again.
    attach_again = request.method == "POST" and bool(request.FILES.getlist("photos"))
    return TemplateResponse(
        request, "hazards/report.html", {"form": form, "attach_again": attach_again, "place": place}
    )


def _own_place(request: HttpRequest, town: Any) -> Any:
    """The place an enterprise's account reports at (企业自查), None for everyone else; a 403 when its enterprise
    stands for no open place any more (closed, or unlinked since the role was granted)."""
    if not is_enterprise(request.user, town):
        return None
    place = own_place(request.user, town)
    if place is None:
        deny(request, town, "no open place")
    return place


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _hazard(request, pk))


def _hazard(request: HttpRequest, pk: int) -> Hazard:
    return get_for_user(
        Hazard.objects.select_related("town", "sector", "village", "enterprise", "owner_unit", "duty_record"),
        request.user,
        pk=pk,
    )


def _detail_page(
    request: HttpRequest,
    hazard: Hazard,
    form: StepForm | None = None,
    failed: str = "",
    nudge_form: NudgeForm | None = None,
) -> HttpResponse:
    """The hazard's page; after a refused step, with that step's form as it was sent and its errors in place."""
    handle = may_handle(request.user, hazard)
    decide = may_decide(request.user, hazard)
    # 整改与验收分离: the one who submitted sees why they may not judge it, and who may instead.
    separated = (
        actions.separation_problem(hazard, request.user)
        if decide and hazard.status == Status.SUBMITTED
        else None
    )
    today = timezone.localdate()
    nudging = hazard.is_overdue(today) and may_nudge(request.user, hazard)
    nudged = actions.last_nudge(hazard, request.user) if nudging else None
    extensions = list(hazard.extensions.order_by("asked_at", "id"))
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    steps = {
        "decline": handle and hazard.status == Status.ASSIGNED,
        "rectify": handle and hazard.status == Status.ASSIGNED,
        "submit": hazard.status == Status.RECTIFYING and (handle or may_submit(request.user, hazard)),
        "decide": decide and hazard.status == Status.DECLINED,
        "accept": decide and hazard.status == Status.SUBMITTED and not separated,
        "send_back": decide and hazard.status == Status.SUBMITTED and not separated,
        # 延期整改: the rectifier asks before the deadline passes (asked later, the action says why not).
        "extend": handle and hazard.status in actions.EXTENSION_OPEN and pending is None,
        "extend_decide": pending is not None
        and may_decide_extension(request.user, hazard)
        and pending.asked_by_id != request.user.pk,
    }
    return TemplateResponse(
        request,
        "hazards/detail.html",
        {
            "hazard": hazard,
            "events": hazard.events.select_related("actor").order_by("at", "id"),
            "photos": hazard.photos.all(),
            "plans": hazard.plans.all(),
            "extensions": extensions,
            "pending": pending,
            "overdue": hazard.is_overdue(),
            "steps": steps,
            "any_step": any(steps.values()) or bool(separated),
            "separated": separated,
            "closing": closing.preview(hazard, today) if steps["accept"] else None,
            "nudging": nudging,
            "nudged": nudged,
            "next_nudge": actions.next_nudge_at(nudged) if nudged else None,
            "nudge_form": nudge_form or NudgeForm(),
            "form": form or StepForm(town=hazard.town),
            "failed": failed,
            "note": (form.data.get("note", "") if form is not None else ""),
            "reattach": bool(failed and request.FILES),
        },
    )


@login_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = _hazard(request, pk)
    asked = request.POST.get("step", "")
    if asked in STEPS and not steps.may_take(request.user, hazard, asked):
        deny(
            request, hazard.town
        )  # who may comes before what was typed (a 销号 left unconfirmed is still 403)
    form = StepForm(request.POST, request.FILES, town=hazard.town)
    if not form.is_valid():
        # Back to the page with what was typed and the errors at their fields (not a redirect that loses them).
        failed = request.POST.get("step", "")
        form.add_error(None, _("没有办理：请按标红的提示改正后再提交。"))
        return _detail_page(request, hazard, form, failed if failed in STEPS else "")
    name = form.cleaned_data["step"]
    if not steps.may_take(request.user, hazard, name):
        deny(request, hazard.town)
    try:
        data = {**form.cleaned_data, "ip": client_ip(request)}
        steps.take_step(hazard, name, request.user, data, _uploads(request))
    except ValidationError as exc:
        _at_fields(form, exc)
        return _detail_page(request, hazard, form, name)
    messages.success(request, _("已办理。"))
    return redirect("hazards:detail", pk=hazard.pk)


@login_required
@require_POST
def nudge(request: HttpRequest, pk: int) -> HttpResponse:
    """催办: the officer, or a leader who answers for the hazard, presses those who answer for it (403 for others,
    audited); a refusal (not overdue, too soon again, no message) answers with the page and the reason."""
    hazard = _hazard(request, pk)
    if not may_nudge(request.user, hazard):
        deny(request, hazard.town)
    form = NudgeForm(request.POST)
    if form.is_valid():
        try:
            done = actions.nudge(hazard=hazard, message=form.cleaned_data["message"], actor=request.user)
        except ValidationError as exc:
            _at_fields(form, exc)
        else:
            messages.success(
                request, _("已催办，已通知：%(names)s。") % {"names": "、".join(done.recipients)}
            )
            return redirect("hazards:detail", pk=hazard.pk)
    return _detail_page(request, hazard, nudge_form=form)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo of a hazard the user may read (else 404), checked against its SHA-256 before it is sent: its
    clean copy, or with `?original=1` the original (the 安委办 and the audit administrator)."""
    item = download.get_evidence(Photo.objects.select_related("hazard", "town"), request.user, pk)
    if not has_role(request.user, item.town, AUDIT_ROLES):  # a photo follows its hazard's scope
        get_for_user(Hazard.objects.all(), request.user, pk=item.hazard_id)
    return download.serve(
        request, item, town=item.town, stem="photo", event="hazards.photo.corrupt", audit_obj=item.hazard
    )


@login_required
@require_GET
def stats(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    town = current_town(request)
    year = year_param(request)
    result = compute(Hazard.objects.for_user(request.user), town=town, year=year)
    if fmt == "xlsx":
        name = f"{town.name}{year}年隐患统计.xlsx"
        return export_file(stats_xlsx(result), XLSX, name, f"hazards-{year}.xlsx")
    return TemplateResponse(
        request,
        "hazards/stats.html",
        {"year": year, "stats": result, "chart": result.chart(), "officer": is_officer(request.user, town)},
    )


def concerning(user: Any, town: Any, person: Any = None, limit: int = 8) -> dict[str, Any]:
    """Open hazards that concern a page's subject, scoped to what `user` may read.

    For a person: the hazards they answer for (answering.py — the same set the hazard list's "我负责的" filter
    and the API's `person` give), and how many of them escalated to them by name. For the town overview: all
    open ones, the listed and overdue first."""
    today = timezone.localdate()
    hazards = Hazard.objects.for_user(user).filter(town=town, status__in=OPEN_STATUSES)
    escalated = None
    if person is not None:
        answering = Answering.of(person, today)
        hazards = hazards.filter(answering.q(today))
        escalated = hazards.filter(answering.escalated_q()).count()
    return {
        "open": hazards.count(),
        "major": hazards.filter(grade="major").count(),
        "overdue": hazards.filter(deadline__lt=today).count(),
        "escalated": escalated,
        "items": list(hazards.select_related("sector", "owner_unit").order_by("deadline", "pk")[:limit]),
        "today": today,
        "person": person,
    }
