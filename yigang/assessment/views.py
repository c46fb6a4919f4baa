"""Assessment pages: the year's results (each reader sees what they may), a subject's workings, the officer's
adjustments and publishing, the 通报 downloads, and the accountability file of an accident or a hazard."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yigang.accidents.models import Accident
from yigang.audit.log import record as audit
from yigang.duties import attachments
from yigang.hazards.models import Hazard
from yigang.towns.access import current_town, get_for_user, require_role
from yigang.towns.models import MANAGE_ROLES, has_role

from . import accountability, actions, exports, pdf
from .access import own_people, own_units, reads_all, visible, visible_entries
from .models import Adjustment, Round
from .results import results, scheme_for
from .scoring import DEDUCTIONS, DEFAULT_RULES, INDICATORS, VETOES
from .standing import due_year

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(raw: str) -> int:
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return due_year(timezone.localdate())


def _download(body: bytes, mime: str, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _data(request: HttpRequest, year: int) -> tuple[Any, dict[str, Any]]:
    town = current_town(request)
    return town, visible(results(town, year), request.user, town)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    town, data = _data(request, year)
    rnd = Round.objects.filter(town=town, year=year).select_related("scheme").first()
    return TemplateResponse(
        request,
        "assessment/index.html",
        {
            "year": year,
            "data": data,
            "round": rnd,
            "is_officer": has_role(request.user, town, MANAGE_ROLES),
            "reads_all": reads_all(request.user, town),
        },
    )


@login_required
def scheme(request: HttpRequest) -> HttpResponse:
    """The year's scheme, readable by every reader; the 安委办 saves a new one (JSON rules) until published."""
    town = current_town(request)
    year = _year(request.POST.get("year", "") or request.GET.get("year", ""))
    text = ""
    if request.method == "POST":
        require_role(request, town, MANAGE_ROLES)
        text = request.POST.get("rules", "")
        try:
            rules = json.loads(text)
            if not isinstance(rules, dict):
                raise ValueError
        except ValueError:
            messages.error(request, _("考核规则须为 JSON 对象。"))
        else:
            try:
                actions.save_scheme(
                    town=town, year=year, title=request.POST.get("title", ""), rules=rules, actor=request.user
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("已保存考核方案。"))
                return redirect(f"{reverse('assessment:scheme')}?year={year}")
    current = scheme_for(town, year)
    rules = current.rules if current else DEFAULT_RULES
    return TemplateResponse(
        request,
        "assessment/scheme.html",
        {
            "year": year,
            "scheme": current,
            "rules": rules,
            "text": text or json.dumps(rules, ensure_ascii=False, indent=2),
            "labels": {**INDICATORS, **DEDUCTIONS, **VETOES},
            "is_officer": has_role(request.user, town, MANAGE_ROLES),
            "published": Round.objects.filter(town=town, year=year, published=True).exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def subject(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    town, data = _data(request, year)
    key = request.GET.get("key", "")
    row = next((r for r in data["units"] + data["persons"] if r["key"] == key), None)
    if row is None:
        raise Http404
    rnd = Round.objects.filter(town=town, year=year).first()
    trail = Adjustment.objects.filter(round=rnd, subject=key).select_related("created_by") if rnd else []
    return TemplateResponse(
        request,
        "assessment/subject.html",
        {
            "year": year,
            "row": row,
            "published": data["published"],
            "trail": trail,
            "is_officer": has_role(request.user, town, MANAGE_ROLES),
        },
    )


@login_required
@require_POST
def adjust(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town, MANAGE_ROLES)
    year = _year(request.POST.get("year", ""))
    key = request.POST.get("key", "")
    upload = request.FILES.get("file")
    try:
        rnd = actions.open_round(town=town, year=year, actor=request.user)
        actions.add_adjustment(
            rnd=rnd,
            subject=key,
            points=request.POST.get("points", ""),
            reason=request.POST.get("reason", ""),
            upload=upload,  # type: ignore[arg-type]
            filename=(upload.name or "") if upload is not None else "",
            actor=request.user,
        )
        messages.success(request, _("已记录人工调整。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(f"{reverse('assessment:subject')}?year={year}&key={quote(key)}")


@login_required
@require_POST
def open_round(request: HttpRequest) -> HttpResponse:
    """The 安委办 starts the year's round: the year's scheme (the default one if none) is used and frozen."""
    town = current_town(request)
    require_role(request, town, MANAGE_ROLES)
    year = _year(request.POST.get("year", ""))
    if Round.objects.filter(town=town, year=year).exists():
        messages.info(request, _("本年度考核已开展。"))
    else:
        actions.open_round(town=town, year=year, actor=request.user)
        messages.success(request, _("已开展本年度考核：考核方案自此不再修改，发布前如需更正可另存新方案。"))
    return redirect(f"{reverse('assessment:index')}?year={year}")


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town, MANAGE_ROLES)
    year = _year(request.POST.get("year", ""))
    try:
        rnd = actions.open_round(town=town, year=year, actor=request.user)
        actions.publish(rnd=rnd, actor=request.user)
        messages.success(request, _("考核结果已发布，此后新录入的数据不再改变本年度结果。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(f"{reverse('assessment:index')}?year={year}")


@login_required
@require_GET
def notice_docx(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    _town, data = _data(request, year)
    return _download(
        exports.notice_docx(data), DOCX, f"{year}年度安全生产责任制考核通报.docx", f"assessment-{year}.docx"
    )


@login_required
@require_GET
def notice_xlsx(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    _town, data = _data(request, year)
    return _download(
        exports.notice_xlsx(data), XLSX, f"{year}年度安全生产责任制考核结果.xlsx", f"assessment-{year}.xlsx"
    )


def _file(request: HttpRequest, kind: str, pk: int) -> accountability.File:
    # The object's own town, not the current one: a county viewer comes here from any town's hazard or accident
    # page, which answers them by their scope alone (issue 26.6).
    if kind == "accident":
        accident = get_for_user(Accident.objects.filter(latest__isnull=False), request.user, pk=pk)
        town = accident.town
        file = accountability.for_accident(accident)
    else:
        hazard = get_for_user(Hazard.objects.all(), request.user, pk=pk)
        town = hazard.town
        file = accountability.for_hazard(hazard)
    file.entries = visible_entries(file.entries, request.user, town)
    return file


@login_required
@require_GET
def accident_file(request: HttpRequest, pk: int) -> HttpResponse:
    return TemplateResponse(request, "assessment/file.html", {"file": _file(request, "accident", pk)})


@login_required
@require_GET
def hazard_file(request: HttpRequest, pk: int) -> HttpResponse:
    return TemplateResponse(request, "assessment/file.html", {"file": _file(request, "hazard", pk)})


@login_required
@require_GET
def accident_file_docx(request: HttpRequest, pk: int) -> HttpResponse:
    body = exports.file_docx(_file(request, "accident", pk))
    return _download(body, DOCX, f"事故{pk}履职情况材料.docx", f"accountability-accident-{pk}.docx")


@login_required
@require_GET
def accident_file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    body = pdf.file_pdf(_file(request, "accident", pk))
    return _download(body, PDF, f"事故{pk}履职情况材料.pdf", f"accountability-accident-{pk}.pdf")


@login_required
@require_GET
def hazard_file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    body = pdf.file_pdf(_file(request, "hazard", pk))
    return _download(body, PDF, f"隐患{pk}履职情况材料.pdf", f"accountability-hazard-{pk}.pdf")


@login_required
@require_GET
def hazard_file_docx(request: HttpRequest, pk: int) -> HttpResponse:
    body = exports.file_docx(_file(request, "hazard", pk))
    return _download(body, DOCX, f"隐患{pk}履职情况材料.docx", f"accountability-hazard-{pk}.docx")


@login_required
@require_GET
def adjustment_file(request: HttpRequest, pk: int) -> HttpResponse:
    """An adjustment's supporting file, to whoever may see the adjusted row (else 404), checked by SHA-256."""
    town = current_town(request)
    item = Adjustment.objects.filter(round__town=town, pk=pk).select_related("round").first()
    if item is None or not _may_see(request, town, item.subject):
        raise Http404
    return attachments.respond(
        request,
        path=item.file.name,
        sha256=item.sha256,
        content_type=item.content_type,
        name=item.name,
        town=town,
        stem="attachment",
        corrupt=lambda: audit(
            "assessment.adjustment.corrupt", actor=request.user, obj=item, town=town, success=False
        ),
    )


def _may_see(request: HttpRequest, town: Any, subject: str) -> bool:
    if reads_all(request.user, town):
        return True
    kind, _sep, rest = subject.partition(":")
    ident = rest.split(":", 1)[0]
    if not ident.isdigit():
        return False
    if kind == "unit":
        return int(ident) in own_units(request.user, town)
    return int(ident) in own_people(request.user, town)
