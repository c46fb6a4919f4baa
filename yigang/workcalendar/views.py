"""The working calendar's pages: the years and where each comes from, a year's days, and entering a year from
the State Council's notice (paste or upload → review what was read → confirm).

Reading is for every reader of the town (it is reference data, like the register). Entering is the 安委办
officer's, for the town; a county viewer enters for every town of the county (docs/user-guide.md).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yigang.inputs import strip_control_characters
from yigang.towns.access import current_town, deny
from yigang.towns.models import Role, Town, roles_in

from . import actions
from .days import Calendar, missing_years
from .models import CalendarYear, Source
from .notice import MAX_CHARS
from .source import MAX_UPLOAD, read_file
from .statutory import statutory_holidays


class NoticeForm(forms.Form):
    text = forms.CharField(
        label=_("通知全文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("从中国政府网复制“国务院办公厅关于××××年部分节假日安排的通知”全文粘贴到这里。"),
    )
    file = forms.FileField(label=_("或上传文件（.txt 或 .docx）"), required=False)
    year = forms.IntegerField(
        label=_("年份"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("通知标题里有年份时不必填写。"),
    )


def _decode(upload: Any) -> str:
    return read_file(upload.read(MAX_UPLOAD + 1), upload.name or "")


def _scope(request: HttpRequest, town: Town) -> dict[str, Any] | None:
    """Who enters for what: the officer for the town, a county viewer for the town's county; else None."""
    roles = roles_in(request.user, town)
    if Role.OFFICER in roles:
        return {"town": town, "county": ""}
    if Role.COUNTY_VIEWER in roles and town.county:
        return {"town": None, "county": town.county}
    return None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    cal = Calendar.for_town(town)
    today = timezone.localdate()
    years = [cal.year(y) for y in (today.year - 1, today.year, today.year + 1)]
    for y in years:
        y["label"] = dict(Source.choices)[y["source"]]
    q = Q(town=town) | (Q(town__isnull=True, county=town.county) if town.county else Q(pk__in=[]))
    entries = CalendarYear.objects.filter(q).select_related("town", "entered_by")[:60]
    return TemplateResponse(
        request,
        "workcalendar/index.html",
        {
            "years": years,
            "entries": entries,
            "missing": missing_years(town, today),
            "may_enter": _scope(request, town) is not None,
        },
    )


def _names(cal: Calendar, year: int, source: str) -> dict[str, str]:
    """The holiday each listed day belongs to, by its ISO date."""
    names: dict[str, str] = {}
    if source == Source.PACKAGE:
        from chinese_calendar import constants

        chinese = {h.value: h.chinese for h in constants.Holiday}
        for table in (constants.holidays, constants.workdays):
            names.update({d.isoformat(): chinese.get(v, v) for d, v in table.items() if d.year == year})
    elif source == Source.STATUTORY:
        names.update({d.isoformat(): n for d, n in statutory_holidays(year).items()})
    for y in (year, year + 1):
        entry = cal.entries.get(y)
        if entry is not None:
            names.update({**entry.holidays, **entry.workdays})
    return names


@login_required
def year(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404
    town = current_town(request)
    cal = Calendar.for_town(town)
    shown = cal.year(year)
    entry = cal.entries.get(year)
    names = _names(cal, year, shown["source"])
    return TemplateResponse(
        request,
        "workcalendar/year.html",
        {
            "shown": shown,
            "holidays": [(d, names.get(d, "")) for d in shown["holidays"]],
            "workdays": [(d, names.get(d, "")) for d in shown["workdays"]],
            "label": dict(Source.choices)[shown["source"]],
            "entry": entry,
            "year": year,
            "may_enter": _scope(request, town) is not None,
        },
    )


@login_required
def enter(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    scope = _scope(request, town)
    if scope is None:
        deny(request, town, "录入放假安排需安委办工作人员（或旗县监管人员为全旗县录入）")
    form = NoticeForm(request.POST or None, request.FILES or None)
    label = town.name if scope["town"] else f"{town.county}（全旗县各乡镇）"
    ctx: dict[str, Any] = {"form": form, "scope_label": label}
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, "workcalendar/enter.html", ctx)
    text = form.cleaned_data["text"] or ""
    try:
        if form.cleaned_data["file"] is not None:
            text = _decode(form.cleaned_data["file"])
    except ValidationError as exc:
        form.add_error("file", exc.messages[0])
        return TemplateResponse(request, "workcalendar/enter.html", ctx)
    if not text.strip():
        form.add_error("text", "请粘贴通知全文，或上传文件。")
        return TemplateResponse(request, "workcalendar/enter.html", ctx)
    if len(text) > MAX_CHARS:
        form.add_error("text", f"文本超过 {MAX_CHARS} 字，不像一份放假安排通知。")
        return TemplateResponse(request, "workcalendar/enter.html", ctx)
    text = strip_control_characters(text)
    year_given = form.cleaned_data["year"]
    if request.POST.get("confirm") == "1":
        try:
            entry, changed = actions.enter_year(
                text=text,
                **scope,
                year=year_given,
                replace=request.POST.get("replace") == "1",
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            msg = f"已录入 {entry.year} 年放假安排（{entry.scope_label}）。"
            if changed:
                msg += f"按新日历重算了 {len(changed)} 条未办结隐患的整改期限，详见各隐患的处置记录。"
            messages.success(request, msg)
            return redirect("workcalendar:year", year=entry.year)
    result = actions.preview(text=text, **scope, year=year_given)
    ctx.update({"preview": result, "parsed": result.parsed, "text": text})
    return TemplateResponse(request, "workcalendar/enter.html", ctx)
