"""The year's assessment pages: the results, the scheme, opening and publishing the round, ties, the 通报."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yigang.exports.download import DOCX, XLSX, export_file
from yigang.towns.access import current_town, require_role
from yigang.towns.models import MANAGE_ROLES, has_role
from yigang.towns.posting import said

from .. import actions, exports
from ..access import reads_all
from ..models import Round, Scheme
from ..results import cn_date, scheme_for, year_closed
from ..scoring import DEDUCTIONS, DEFAULT_RULES, DEFAULT_SOURCES, INDICATORS, VETOES, rule_text
from .common import _confirmed, _data, _officer_year, _opened, _year


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
            with said(request, _("已保存考核方案。")):
                actions.save_scheme(
                    town=town, year=year, title=request.POST.get("title", ""), rules=rules, actor=request.user
                )
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


def _scheme_sections(rules: dict[str, Any]) -> list[dict[str, Any]]:
    """The scheme's rules in words, each part saying whether it is the default and where the default comes from."""
    from ..scoring import DEFAULT_ADVANCED_SHARE, EXCELLENT, GOOD, PASS

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
@require_POST
def open_round(request: HttpRequest) -> HttpResponse:
    """The 安委办 starts the year's round, having confirmed what follows: the year's scheme (the default one if
    none) is used and frozen; before the year ends the results are 预评."""
    town, year = _officer_year(request)
    if Round.objects.filter(town=town, year=year).exists():
        messages.info(request, _("本年度考核已开展。"))
    elif not _confirmed(request):
        messages.error(request, _("请勾选确认：开展后考核方案即被启用，不再修改。未开展。"))
    else:
        with said(request, _("已开展本年度考核：考核方案自此不再修改，发布前如需更正可另存新方案。")):
            actions.open_round(town=town, year=year, actor=request.user)
    return redirect(f"{reverse('assessment:index')}?year={year}")


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    """Publishing: confirmed, with the officer's password or TOTP code (as a sign-off), the 文号 and 成文日期."""
    town, year = _officer_year(request)
    with said(request, _("考核结果已发布，此后新录入的数据不再改变本年度结果。")):
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
    return redirect(f"{reverse('assessment:index')}?year={year}")


@login_required
@require_POST
def tie(request: HttpRequest) -> HttpResponse:
    town, year = _officer_year(request)
    with said(request, _("已记录并列名次的决定。")):
        actions.decide_tie(
            rnd=_opened(town, year),
            group=request.POST.get("group", ""),
            chosen=request.POST.getlist("chosen"),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
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
    return export_file(
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
    return export_file(
        exports.notice_xlsx(data, _meta(town, year)),
        XLSX,
        f"{year}年度安全生产责任制考核结果.xlsx",
        f"assessment-{year}.xlsx",
    )
