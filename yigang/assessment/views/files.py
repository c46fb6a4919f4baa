"""The accountability file of an accident or a hazard: read now or as issued, downloaded, written by the 安委办."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yigang.accidents.models import Accident
from yigang.exports.download import DOCX, PDF, export_file
from yigang.hazards.models import Hazard
from yigang.towns.access import current_town, get_for_user, require_role
from yigang.towns.models import MANAGE_ROLES, has_role
from yigang.towns.naming import display_name
from yigang.towns.posting import said

from .. import accountability, actions, exports, file_paper, pdf
from ..access import visible_file


def _subject(request: HttpRequest, kind: str, pk: int) -> Any:
    # The object's own town, not the current one: a county viewer comes here from any town's hazard or accident
    # page, which answers them by their scope alone (issue 26.6).
    if kind == "accident":
        return get_for_user(Accident.objects.filter(latest__isnull=False), request.user, pk=pk)
    if kind == "hazard":
        return get_for_user(Hazard.objects.all(), request.user, pk=pk)
    raise Http404


def _file_data(request: HttpRequest, kind: str, pk: int) -> tuple[dict[str, Any], dict[str, Any] | None, Any]:
    """(the file's JSON narrowed to what the user may see, the issued version shown or None, versions)."""
    from ..models import IssuedFile

    obj = _subject(request, kind, pk)
    town = obj.town
    versions = list(
        IssuedFile.objects.filter(town=town, subject_kind=kind, subject_id=obj.pk)
        .select_related("issued_by")
        .order_by("version")
    )
    wanted = request.GET.get("version", "")
    issued = None
    if wanted:
        chosen = next((v for v in versions if str(v.version) == wanted), None)
        if chosen is None:
            raise Http404
        data = chosen.content
        issued = {
            "version": chosen.version,
            "sha256": chosen.sha256,
            "at": timezone.localtime(chosen.issued_at).isoformat(),
            "by": display_name(chosen.issued_by, chosen.issued_at),
        }
    else:
        file = accountability.for_accident(obj) if kind == "accident" else accountability.for_hazard(obj)
        data = file.as_json()
    return visible_file(data, request.user, town), issued, versions


def _file_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    from ..models import Verdict

    data, issued, versions = _file_data(request, kind, pk)
    return TemplateResponse(
        request,
        "assessment/file.html",
        {
            "data": data,
            "kind": kind,
            "pk": pk,
            "issued": issued,
            "versions": versions,
            "title": file_paper.TITLE,
            "subtitle": file_paper.subtitle(data),
            "sections": file_paper.sections(data, issued),
            "is_officer": has_role(request.user, current_town(request), MANAGE_ROLES) and issued is None,
            "verdicts": Verdict.choices,
            "unadmitted": [r for r in data["late_records"] if not r["admitted"]],
        },
    )


def _file_download(request: HttpRequest, kind: str, pk: int, fmt: str) -> HttpResponse:
    data, issued, _versions = _file_data(request, kind, pk)
    what = "事故" if kind == "accident" else "隐患"
    suffix = f"第{issued['version']}版" if issued else ""
    name = f"{what}{pk}履职情况材料{suffix}.{fmt}"
    fallback = f"accountability-{kind}-{pk}{'-v' + str(issued['version']) if issued else ''}.{fmt}"
    if fmt == "docx":
        return export_file(exports.file_docx(data, issued), DOCX, name, fallback)
    try:
        body = pdf.file_pdf(data, issued)
    except ImproperlyConfigured as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return export_file(body, PDF, name, fallback)


@login_required
@require_GET
def accident_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_page(request, "accident", pk)


@login_required
@require_GET
def hazard_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_page(request, "hazard", pk)


@login_required
@require_GET
def accident_file_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_download(request, "accident", pk, "docx")


@login_required
@require_GET
def accident_file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_download(request, "accident", pk, "pdf")


@login_required
@require_GET
def hazard_file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_download(request, "hazard", pk, "pdf")


@login_required
@require_GET
def hazard_file_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_download(request, "hazard", pk, "docx")


def _file_write(request: HttpRequest, kind: str, pk: int) -> tuple[Any, str]:
    obj = _subject(request, kind, pk)
    require_role(request, current_town(request), MANAGE_ROLES)
    return obj, reverse(f"assessment:{kind}_file", args=[obj.pk])


def _int(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


@login_required
@require_POST
def file_admit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The 安委办 admits one 事后补录 record of the file, with a reason."""
    obj, back = _file_write(request, kind, pk)
    with said(request, _("已采信该事后补录记录，理由记入材料。")):
        actions.admit_late_record(
            kind=kind,
            subject_id=obj.pk,
            record_id=_int(request.POST.get("record", "")),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    return redirect(back)


@login_required
@require_POST
def file_finding(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The 安委办's finding on one person (追责建议 / 免责建议), with reasons and the officer's password."""
    obj, back = _file_write(request, kind, pk)
    person, _sep, post = request.POST.get("subject", "").partition(":")
    with said(request, _("已记录镇安委办意见。")):
        actions.record_finding(
            kind=kind,
            subject_id=obj.pk,
            person_id=_int(person),
            post_id=_int(post),
            verdict=request.POST.get("verdict", ""),
            reasons=request.POST.get("reasons", ""),
            secret=request.POST.get("secret", ""),
            actor=request.user,
        )
    return redirect(back)


@login_required
@require_POST
def file_issue(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """出具: the file as it reads now is frozen as the next version (SHA-256); earlier versions are kept."""
    obj, back = _file_write(request, kind, pk)
    issued = actions.issue_file(kind=kind, subject_id=obj.pk, actor=request.user)
    messages.success(request, _("已出具第 %(version)s 版，内容已固定。") % {"version": issued.version})
    return redirect(f"{back}?version={issued.version}")
