"""Assessment pages: the year's results (each reader sees what they may), a subject's workings, the officer's
adjustments and publishing, the 通报 downloads, and the accountability file of an accident or a hazard."""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yigang.accidents.models import Accident
from yigang.evidence import download
from yigang.hazards.models import Hazard
from yigang.towns.access import current_town, get_for_user, require_role
from yigang.towns.models import MANAGE_ROLES, has_role

from . import accountability, actions, exports, file_paper, pdf
from .access import own_people, own_units, reads_all, visible, visible_file
from .models import Adjustment, NotApplicable, Round, Scheme
from .results import cn_date, results, scheme_for, year_closed
from .scoring import DEDUCTIONS, DEFAULT_RULES, DEFAULT_SOURCES, INDICATORS, VETOES, rule_text
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
            "closed": year_closed(year),
            "as_of_label": cn_date(data.get("as_of")),
            "published_label": cn_date(timezone.localdate(rnd.published_at))
            if rnd and rnd.published_at
            else "",
            "doc_date_label": cn_date(rnd.doc_date) if rnd else "",
            "ties": list((data.get("ties") or {}).values()) if reads_all(request.user, town) else [],
            "today": timezone.localdate(),
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
            "versions": list(
                Scheme.objects.filter(town=town, year=year).order_by("-version").select_related("created_by")
            ),
            "sections": _scheme_sections(rules),
            "text": text or json.dumps(rules, ensure_ascii=False, indent=2),
            "labels": {**INDICATORS, **DEDUCTIONS, **VETOES},
            "is_officer": has_role(request.user, town, MANAGE_ROLES),
            "published": Round.objects.filter(town=town, year=year, published=True).exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _labelled(markings: Any) -> list[NotApplicable]:
    out = list(markings)
    for m in out:
        m.label = INDICATORS.get(m.item, m.item)
    return out


def _scheme_sections(rules: dict[str, Any]) -> list[dict[str, Any]]:
    """The scheme's rules in words, each part saying whether it is the default and where the default comes from."""
    from .scoring import DEFAULT_ADVANCED_SHARE, EXCELLENT, GOOD, PASS

    def default(part: str) -> str:
        value = rules.get(part, DEFAULT_ADVANCED_SHARE if part == "advanced_share" else None)
        return DEFAULT_SOURCES[part] if value == DEFAULT_RULES[part] else ""

    indicators = rules.get("indicators", [])
    no_record_default = all(
        i.get("no_record")
        == next((d.get("no_record") for d in DEFAULT_RULES["indicators"] if d["key"] == i["key"]), None)
        for i in indicators
    )
    thresholds = rules.get("thresholds", {})
    share = rules.get("advanced_share", DEFAULT_ADVANCED_SHARE)
    return [
        {
            "title": _("指标（满分 100 分）"),
            "lines": [f"{INDICATORS.get(i['key'], i['key'])}：{rule_text(i)}" for i in indicators],
            "default": default("indicators"),
        },
        {
            "title": _("无记录时的得分"),
            "lines": [
                f"{INDICATORS.get(i['key'], i['key'])}："
                + (
                    f"{i['no_record']} 分"
                    if "no_record" in i
                    else _("未规定（按满分计，本方案保存于无记录规则之前）")
                )
                for i in indicators
            ],
            "default": DEFAULT_SOURCES["no_record"] if no_record_default else "",
        },
        {
            "title": _("扣分项"),
            "lines": [
                f"{DEDUCTIONS.get(d['key'], d['key'])}：每次 {d['points']} 分，封顶 {d['cap']} 分"
                for d in rules.get("deductions", [])
            ],
            "default": default("deductions"),
        },
        {
            "title": _("等次分数线"),
            "lines": [f"{g} ≥ {thresholds.get(g)}" for g in (EXCELLENT, GOOD, PASS)]
            + [str(_("不合格：低于合格分数线，或被一票否决"))],
            "default": default("thresholds"),
        },
        {
            "title": _("一票否决"),
            "lines": [VETOES.get(v, v) for v in rules.get("vetoes", [])] or [str(_("无"))],
            "default": default("vetoes"),
        },
        {
            "title": _("先进名额"),
            "lines": [
                f"每个名单（单位、镇领导）至多 {share}% 拟评先进，向下取整；须为优秀且未被一票否决；"
                "名额线上并列超出名额的，由安委办决定并说明理由"
            ],
            "default": default("advanced_share"),
        },
    ]


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
            "round": rnd,
            "markings": _labelled(
                NotApplicable.objects.filter(round=rnd, subject=key).select_related(
                    "created_by", "withdrawn_by"
                )
                if rnd
                else []
            ),
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
        rnd = _opened(town, year)
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


def _opened(town: Any, year: int) -> Round:
    """The year's round, which the 安委办 must have started (开展) with its confirmation."""
    rnd = Round.objects.filter(town=town, year=year).select_related("scheme", "town").first()
    if rnd is None:
        raise ValidationError(_("本年度考核尚未开展：请先在考核页面确认开展。"))
    return rnd


def _confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "1"


@login_required
@require_POST
def open_round(request: HttpRequest) -> HttpResponse:
    """The 安委办 starts the year's round, having confirmed what follows: the year's scheme (the default one if
    none) is used and frozen; before the year ends the results are 预评."""
    town = current_town(request)
    require_role(request, town, MANAGE_ROLES)
    year = _year(request.POST.get("year", ""))
    if Round.objects.filter(town=town, year=year).exists():
        messages.info(request, _("本年度考核已开展。"))
    elif not _confirmed(request):
        messages.error(request, _("请勾选确认：开展后考核方案即被启用，不再修改。未开展。"))
    else:
        try:
            actions.open_round(town=town, year=year, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("已开展本年度考核：考核方案自此不再修改，发布前如需更正可另存新方案。")
            )
    return redirect(f"{reverse('assessment:index')}?year={year}")


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    """Publishing: confirmed, with the officer's password or TOTP code (as a sign-off), the 文号 and 成文日期."""
    town = current_town(request)
    require_role(request, town, MANAGE_ROLES)
    year = _year(request.POST.get("year", ""))
    try:
        rnd = _opened(town, year)
        if not _confirmed(request):
            raise ValidationError(_("请勾选确认：发布后结果冻结，不能再调整、标注或更换方案。未发布。"))
        raw_date = request.POST.get("doc_date", "").strip()
        try:
            doc_date = datetime.date.fromisoformat(raw_date) if raw_date else None
        except ValueError:
            raise ValidationError(_("成文日期格式不正确。")) from None
        actions.publish(
            rnd=rnd,
            actor=request.user,
            secret=request.POST.get("secret", ""),
            doc_number=request.POST.get("doc_number", ""),
            doc_date=doc_date,
            ip=request.META.get("REMOTE_ADDR"),
        )
        messages.success(request, _("考核结果已发布，此后新录入的数据不再改变本年度结果。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(f"{reverse('assessment:index')}?year={year}")


# --- issue 21: 不适用 markings and tie decisions ------------------------------------------------------------------


@login_required
@require_POST
def not_applicable(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town, MANAGE_ROLES)
    year = _year(request.POST.get("year", ""))
    key = request.POST.get("key", "")
    try:
        actions.mark_not_applicable(
            rnd=_opened(town, year),
            subject=key,
            item=request.POST.get("item", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
        messages.success(request, _("已标注不适用，该项不计分，其余各项折算为百分制。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(f"{reverse('assessment:subject')}?year={year}&key={quote(key)}")


@login_required
@require_POST
def not_applicable_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    town = current_town(request)
    require_role(request, town, MANAGE_ROLES)
    marking = NotApplicable.objects.filter(round__town=town, pk=pk).select_related("round__town").first()
    if marking is None:
        raise Http404
    try:
        actions.withdraw_not_applicable(
            marking=marking, reason=request.POST.get("reason", ""), actor=request.user
        )
        messages.success(request, _("已撤销不适用标注，该项重新计分。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(f"{reverse('assessment:subject')}?year={marking.round.year}&key={quote(marking.subject)}")


@login_required
@require_POST
def tie(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town, MANAGE_ROLES)
    year = _year(request.POST.get("year", ""))
    try:
        actions.decide_tie(
            rnd=_opened(town, year),
            group=request.POST.get("group", ""),
            chosen=request.POST.getlist("chosen"),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
        messages.success(request, _("已记录并列名次的决定。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(f"{reverse('assessment:index')}?year={year}")


def _meta(town: Any, year: int) -> dict[str, Any]:
    """The published round's 文号 and 成文日期 for the 通报."""
    rnd = Round.objects.filter(town=town, year=year, published=True).first()
    return {"doc_number": rnd.doc_number, "doc_date": rnd.doc_date} if rnd else {}


@login_required
@require_GET
def notice_docx(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    town, data = _data(request, year)
    return _download(
        exports.notice_docx(data, _meta(town, year)),
        DOCX,
        f"{year}年度安全生产责任制考核通报.docx",
        f"assessment-{year}.docx",
    )


@login_required
@require_GET
def notice_xlsx(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    town, data = _data(request, year)
    return _download(
        exports.notice_xlsx(data, _meta(town, year)),
        XLSX,
        f"{year}年度安全生产责任制考核结果.xlsx",
        f"assessment-{year}.xlsx",
    )


# --- The accountability file (issue 21, point 5): read now or as issued; 补录 admitted, findings, issuing -------


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
    from .models import IssuedFile

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
            "by": chosen.issued_by.get_username() if chosen.issued_by else "",
        }
    else:
        file = accountability.for_accident(obj) if kind == "accident" else accountability.for_hazard(obj)
        data = file.as_json()
    return visible_file(data, request.user, town), issued, versions


def _file_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    from .models import Verdict

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
        return _download(exports.file_docx(data, issued), DOCX, name, fallback)
    try:
        body = pdf.file_pdf(data, issued)
    except ImproperlyConfigured as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return _download(body, PDF, name, fallback)


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
    try:
        actions.admit_late_record(
            kind=kind,
            subject_id=obj.pk,
            record_id=_int(request.POST.get("record", "")),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
        messages.success(request, _("已采信该事后补录记录，理由记入材料。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(back)


@login_required
@require_POST
def file_finding(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The 安委办's finding on one person (追责建议 / 免责建议), with reasons and the officer's password."""
    obj, back = _file_write(request, kind, pk)
    person, _sep, post = request.POST.get("subject", "").partition(":")
    try:
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
        messages.success(request, _("已记录镇安委办意见。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(back)


@login_required
@require_POST
def file_issue(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """出具: the file as it reads now is frozen as the next version (SHA-256); earlier versions are kept."""
    obj, back = _file_write(request, kind, pk)
    issued = actions.issue_file(kind=kind, subject_id=obj.pk, actor=request.user)
    messages.success(request, _("已出具第 %(version)s 版，内容已固定。") % {"version": issued.version})
    return redirect(f"{back}?version={issued.version}")


@login_required
@require_GET
def adjustment_file(request: HttpRequest, pk: int) -> HttpResponse:
    """An adjustment's supporting file, to whoever may see the adjusted row (else 404), checked by SHA-256."""
    town = current_town(request)
    item = Adjustment.objects.filter(round__town=town, pk=pk).select_related("round").first()
    if item is None or not _may_see(request, town, item.subject):
        raise Http404
    return download.serve(request, item, town=town, stem="attachment", event="assessment.adjustment.corrupt")


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
