"""The 安委办's escalation setting for overdue hazards (逐级督办间隔) — the page beside `yigang hazard policy`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from yigang.towns.access import current_town, require_role

from . import actions
from .models import Policy


class PolicyForm(forms.Form):
    escalation_days = forms.IntegerField(
        label=_("逐级督办间隔（天）"),
        min_value=1,
        max_value=60,
        help_text=_("逾期隐患每过这么多天升高一级督办：单位负责人 → 分管领导 → 分管安全副镇长 → 镇长。"),
    )


@login_required
def settings(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    form = PolicyForm(request.POST or None, initial={"escalation_days": Policy.interval(town)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_policy(
                town=town, escalation_days=form.cleaned_data["escalation_days"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, "已保存隐患督办设置，下一次提醒运行起按新间隔督办。")
            return redirect("hazards:settings")
    return TemplateResponse(request, "hazards/settings.html", {"form": form})
