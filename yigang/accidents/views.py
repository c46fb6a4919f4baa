"""Accident pages: the list with filters, the report form, an accident's timeline with its clocks, on-site tasks
and frozen chain, changes as new versions (never edits), the year's figures (ECharts, .xlsx) and the .docx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from yigang.evidence import download
from yigang.exports import sanitise
from yigang.exports.download import DOCX, XLSX, export_file
from yigang.inputs import year_param
from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.access import current_town, deny, get_for_user, require_role
from yigang.towns.models import MANAGE_ROLES, has_role
from yigang.towns.posting import step_view, take
from yigang.words import span_in_words

from . import actions, clocks, exports
from .forms import (
    ArrivalForm,
    ChangeForm,
    CloseForm,
    ExtensionForm,
    FindingForm,
    InvestigationForm,
    ReportForm,
)
from .grading import Grade, format_yuan
from .models import (
    Accident,
    AccidentKind,
    Attachment,
    Closure,
    Extension,
    InvestigationReport,
    OnSiteTask,
    Report,
    Source,
)
from .stats import year_figures


def _is_officer(request: HttpRequest, town: Any) -> bool:
    return has_role(request.user, town, MANAGE_ROLES)


@login_required
@require_GET
def accident_list(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    year = year_param(request)
    accidents = (
        Accident.objects.in_year(year)
        .for_user(request.user)
        .filter(town=town)
        .select_related("latest__sector", "latest__village", "latest__unit", "extension", "investigation")
    )
    chosen = {k: request.GET.get(k, "") for k in ("grade", "sector", "village", "kind", "late", "overdue")}
    if chosen["grade"] in Grade.ORDER:
        accidents = accidents.filter(latest__grade=chosen["grade"])
    if chosen["sector"].isdigit():
        accidents = accidents.filter(latest__sector_id=int(chosen["sector"]))
    if chosen["village"].isdigit():
        accidents = accidents.filter(latest__village_id=int(chosen["village"]))
    if chosen["kind"] in AccidentKind.values:
        accidents = accidents.filter(latest__kind=chosen["kind"])
    if chosen["late"] == "1":
        accidents = accidents.filter(latest__late_by__isnull=False)
    now = timezone.now()
    if chosen["overdue"] == "1":
        # The clocks are computed, not stored (their deadlines move with an extension); a town has a handful of
        # accidents a year, so the year's are judged here rather than in SQL.
        accidents = accidents.filter(pk__in=[a.pk for a in accidents if clocks.overdue(a, now)])
    page = Paginator(accidents.order_by("-latest__occurred_at", "-pk"), 50).get_page(request.GET.get("page"))
    rows = [(accident, clocks.overdue(accident, now)) for accident in page]
    return TemplateResponse(
        request,
        "accidents/list.html",
        {
            "year": year,
            "page": page,
            "rows": rows,
            "chosen": chosen,
            "grades": Grade.ORDER,
            "kinds": AccidentKind.choices,
            "sectors": Sector.objects.for_user(request.user).filter(town=town).order_by("name"),
            "villages": Unit.objects.for_user(request.user).filter(town=town, kind=UnitKind.VILLAGE),
            "is_officer": _is_officer(request, town),
        },
    )


def _data(form: ReportForm) -> actions.ReportData:
    d = form.cleaned_data
    return actions.ReportData(
        occurred_at=d["occurred_at"],
        learned_at=d["learned_at"],
        reported_at=d.get("reported_at"),
        sector=d["sector"],
        kind=d["kind"],
        address=d["address"],
        course=d["course"],
        reporter=d["reporter"],
        unit=d.get("unit"),
        unit_name=d.get("unit_name") or "",
        village=d.get("village"),
        deaths=d["deaths"],
        serious_injuries=d["serious_injuries"],
        missing=d["missing"],
        direct_loss=d["direct_loss"],
        measures=d.get("measures") or "",
    )


def _uploads(form: ReportForm) -> list[actions.Upload]:
    return [actions.Upload(file=f, name=f.name) for f in form.cleaned_data.get("attachments") or []]


@login_required
def accident_new(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    form = ReportForm(request.POST or None, request.FILES or None, town=town)
    if request.method == "POST" and form.is_valid():
        try:
            accident = actions.report_accident(
                town=town, data=_data(form), files=_uploads(form), source=Source.FORM, actor=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("事故已登记。此后的任何变更都会作为新版本保存。"))
            return redirect("accidents:detail", pk=accident.pk)
    return TemplateResponse(request, "accidents/form.html", {"form": form, "changing": None})


def _accident(request: HttpRequest, pk: int) -> Accident:
    return get_for_user(
        Accident.objects.select_related("town", "latest__sector", "latest__village"), request.user, pk=pk
    )


@login_required
@require_GET
def accident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _accident(request, pk))


def _detail_page(
    request: HttpRequest, accident: Accident, close_form: CloseForm | None = None
) -> HttpResponse:
    versions = list(
        Report.objects.filter(accident=accident)
        .select_related("created_by", "sector", "village", "unit")
        .prefetch_related("attachments")
        .order_by("-version")
    )
    closure = Closure.objects.filter(accident=accident).select_related("created_by").first()
    tasks = list(accident.tasks.select_related("post", "person__user", "confirmed_by", "verified_by"))
    officer = _is_officer(request, accident.town)
    now = timezone.localtime().replace(second=0, microsecond=0)
    for task in tasks:
        task.accident = accident  # the state reads the accident's closure and moment, already loaded
        task.shown_state = task.state()
        task.may_confirm = (
            task.arrived_at is None
            and closure is None
            and (officer or (task.person is not None and task.person.user_id == request.user.pk))
        )
        # Each task's form has its own ids, so its label points at its own input (axe: label, duplicate-id).
        task.arrival_form = ArrivalForm(initial={"arrived_at": now}, auto_id=f"arrival-{task.pk}-%s")
        task.verify_why = actions.verify_refusal(task, request.user) if officer else None
        task.may_verify = officer and task.verify_why is None
    report = accident.latest
    assert report is not None
    findings = list(accident.findings.select_related("created_by"))
    extension = Extension.objects.filter(accident=accident).first()
    investigation = InvestigationReport.objects.filter(accident=accident).select_related("created_by").first()
    close_why = actions.close_refusal(accident, request.user) if officer and investigation else None
    return TemplateResponse(
        request,
        "accidents/detail.html",
        {
            "accident": accident,
            "report": report,
            "late_text": span_in_words(report.late_by) if report.late_by else "",
            "loss": format_yuan(report.direct_loss),
            "timeline": _timeline(report, versions, tasks, findings, extension, investigation, closure),
            "has_extension": extension is not None,
            "has_investigation": investigation is not None,
            "investigation": investigation,
            "closure": closure,
            "close_why": close_why,
            "may_close": officer and investigation is not None and close_why is None,
            "close_form": close_form
            or CloseForm(initial={"closed_on": timezone.localdate()}, auto_id="close-%s"),
            "unconfirmed": [t for t in tasks if t.arrived_at is None],
            "versions": versions,
            "tasks": tasks,
            "clocks": clocks.for_accident(accident),
            "findings": findings,
            "chain": accident.chain,
            "is_officer": officer,
            # One id per field on the page: the forms share field names (reason, note).
            "extension_form": ExtensionForm(auto_id="extension-%s"),
            "investigation_form": InvestigationForm(
                initial={"submitted_on": timezone.localdate()}, auto_id="investigation-%s"
            ),
            "finding_form": FindingForm(auto_id="finding-%s"),
        },
    )


def _timeline(
    report: Report,
    versions: list[Report],
    tasks: list[OnSiteTask],
    findings: list[Any],
    extension: Extension | None,
    investigation: InvestigationReport | None,
    closure: Closure | None = None,
) -> list[dict[str, Any]]:
    """What happened when: the accident, the report to the county, each version, arrivals, the investigation."""
    events: list[dict[str, Any]] = [
        {"at": report.occurred_at, "text": _("事故发生")},
        {"at": report.learned_at, "text": _("单位负责人接到报告")},
    ]
    if report.reported_at:
        late = _("（迟报）") if report.late_by else ""
        events.append({"at": report.reported_at, "text": _("向县级有关部门报告") + late})
    for v in versions:
        if v.version == 1:
            text = _("首报录入（%(g)s）") % {"g": v.grade}
        else:
            kind = _("补报") if v.casualties_changed else _("变更")
            text = _("第 %(n)d 版：%(k)s（%(g)s）%(r)s") % {
                "n": v.version,
                "k": kind,
                "g": v.grade,
                "r": v.reason,
            }
            if v.past_window:
                text += _("，超出补报期限")
        events.append({"at": v.made_at, "text": text})
    for t in tasks:
        if t.arrived_at:
            who = t.person.name if t.person else t.post.title
            events.append(
                {"at": t.arrived_at, "text": _("%(p)s（%(w)s）到达现场") % {"p": t.post.title, "w": who}}
            )
    if extension is not None:
        events.append(
            {
                "at": extension.created_at,
                "text": _("调查期限延长 %(d)d 日：%(r)s") % {"d": extension.days, "r": extension.reason},
            }
        )
    if investigation is not None:
        events.append(
            {
                "at": investigation.created_at,
                "text": _("登记调查报告（%(d)s 提交）") % {"d": investigation.submitted_on},
            }
        )
    for t in tasks:
        if t.verified_at:
            events.append({"at": t.verified_at, "text": _("核实%(p)s到场") % {"p": t.post.title}})
    if closure is not None:
        events.append({"at": closure.created_at, "text": _("结案（%(d)s）") % {"d": closure.closed_on}})
    for f in findings:
        events.append(
            {"at": f.created_at, "text": _("认定%(k)s：%(r)s") % {"k": f.get_kind_display(), "r": f.reason}}
        )
    return sorted(events, key=lambda e: e["at"])


@login_required
def accident_change(request: HttpRequest, pk: int) -> HttpResponse:
    accident = _accident(request, pk)
    require_role(request, accident.town)
    report = accident.latest
    assert report is not None
    initial: dict[str, Any] = {
        "occurred_at": timezone.localtime(report.occurred_at),
        "learned_at": timezone.localtime(report.learned_at),
        "reported_at": timezone.localtime(report.reported_at) if report.reported_at else None,
        "unit": report.unit_id,
        "unit_name": report.unit_name,
        "sector": report.sector_id,
        "kind": report.kind,
        "village": report.village_id,
        "address": report.address,
        "course": report.course,
        "deaths": report.deaths,
        "serious_injuries": report.serious_injuries,
        "missing": report.missing,
        "direct_loss": report.direct_loss,
        "measures": report.measures,
        "reporter": report.reporter,
    }
    form = ChangeForm(request.POST or None, request.FILES or None, town=accident.town, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.change_report(
                accident=accident,
                data=_data(form),
                reason=form.cleaned_data["reason"],
                made_at=form.cleaned_data.get("made_at"),
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            text = _("已保存为第 %(v)d 版，原版本保留可查。") % {"v": new.version}
            if new.past_window:
                text += _("注意：伤亡人数变化已超出补报期限，已记录并标记，但不改变事故等级。")
            messages.success(request, text)
            return redirect("accidents:detail", pk=accident.pk)
    return TemplateResponse(request, "accidents/form.html", {"form": form, "changing": accident})


@login_required
@require_POST
def task_arrive(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_for_user(
        OnSiteTask.objects.select_related("accident__town", "accident__latest", "person"), request.user, pk=pk
    )
    town = task.accident.town
    holder = task.person is not None and task.person.user_id == request.user.pk
    if not (holder or _is_officer(request, town)):
        deny(request, town)
    take(request, ArrivalForm(request.POST), actions.confirm_arrival, _("已确认到场。"), task=task)
    return redirect("accidents:detail", pk=task.accident_id)


@login_required
@require_POST
def task_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """The 安委办 checks a confirmed arrival (never the one who confirmed it, nor the person who arrived)."""
    task = get_for_user(OnSiteTask.objects.select_related("accident__town"), request.user, pk=pk)
    require_role(request, task.accident.town)
    take(request, None, actions.verify_arrival, _("已核实到场。"), task=task)
    return redirect("accidents:detail", pk=task.accident_id)


@login_required
@require_POST
def accident_close(request: HttpRequest, pk: int) -> HttpResponse:
    """结案, with the closer's password and a deliberate tick; a refusal shows the page again with the reason."""
    accident = _accident(request, pk)
    require_role(request, accident.town)
    form = CloseForm(request.POST, auto_id="close-%s")
    if form.is_valid():
        try:
            actions.close_investigation(
                accident=accident,
                closed_on=form.cleaned_data["closed_on"],
                note=form.cleaned_data["note"],
                secret=form.cleaned_data["secret"],
                actor=request.user,
                ip=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("已结案：报告、调查和到场任务不再变更。"))
            return redirect("accidents:detail", pk=accident.pk)
    return _detail_page(request, accident, close_form=form)


def _officers_accident(request: HttpRequest, pk: int) -> Accident:
    """An accident the reader may see, for a step only the 安委办 takes (anyone else refused)."""
    accident = _accident(request, pk)
    require_role(request, accident.town)
    return accident


def _officer_step(
    form: type[forms.Form], act: Callable[..., object], done: Promise
) -> Callable[[HttpRequest, int], HttpResponse]:
    return step_view(_officers_accident, form, act, done, word="accident", back="accidents:detail")


accident_extend = _officer_step(ExtensionForm, actions.extend_investigation, gettext_lazy("调查期限已延长。"))
accident_investigation = _officer_step(
    InvestigationForm, actions.submit_investigation, gettext_lazy("已登记调查报告。")
)
accident_finding = _officer_step(FindingForm, actions.record_finding, gettext_lazy("认定已记录。"))


@login_required
@require_GET
def accident_docx(request: HttpRequest, pk: int) -> HttpResponse:
    accident = _accident(request, pk)
    report = accident.latest
    assert report is not None
    tasks = list(accident.tasks.select_related("post", "person"))
    body = exports.report_docx(accident, tasks)
    name = sanitise.filename(f"{report.occurred_on:%Y%m%d}{report.unit_label}事故报告.docx")
    return export_file(body, DOCX, name, f"accident-{accident.pk}.docx")


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    year = year_param(request)
    data = year_figures(Accident.objects.for_user(request.user).filter(town=town), year)
    return TemplateResponse(
        request, "accidents/figures.html", {"year": year, "figures": data, "chart": data.chart()}
    )


@login_required
@require_GET
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    year = year_param(request)
    data = year_figures(Accident.objects.for_user(request.user).filter(town=town), year)
    return export_file(
        exports.figures_xlsx(data), XLSX, f"{town.name}{year}年事故统计.xlsx", f"accidents-{year}.xlsx"
    )


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment the user's scope holds (else 404), checked against its SHA-256 before it is sent; an image
    as its clean copy, or with `?original=1` as uploaded (the 安委办 and the audit administrator)."""
    item = download.get_evidence(Attachment.objects.select_related("town"), request.user, pk)
    return download.serve(
        request, item, town=item.town, stem="attachment", event="accidents.attachment.corrupt"
    )
