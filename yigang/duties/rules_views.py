"""The 安委办's page for the town's record rules: 补录 days and what each record kind must carry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from yigang.regulations.choices import DutyKind
from yigang.towns.access import current_town, require_role

from . import actions
from .access import is_officer
from .models import RecordRules
from .rules import RecordKind, Requirement, matches_of, requirements_of


class RulesForm(forms.Form):
    late_after_days = forms.IntegerField(
        label=_("补录天数"),
        min_value=0,
        max_value=366,
        help_text=_("履职日期之后超过该天数才录入的记录标为补录：照常计入，单独统计并在各处标明"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in RecordKind.choices:
            self.fields[f"req_{code}"] = forms.MultipleChoiceField(
                label=label,
                choices=Requirement.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for code, label in DutyKind.choices:
            self.fields[f"match_{code}"] = forms.MultipleChoiceField(
                label=label,
                choices=RecordKind.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("同名的履职方式总是计入"),
            )

    def requirement_fields(self) -> list[Any]:
        return [self[f"req_{code}"] for code in RecordKind.values]

    def match_fields(self) -> list[Any]:
        return [self[f"match_{code}"] for code in DutyKind.values]

    def requirements(self) -> dict[str, list[str]]:
        return {code: list(self.cleaned_data.get(f"req_{code}") or []) for code in RecordKind.values}

    def matches(self) -> dict[str, list[str]]:
        return {code: list(self.cleaned_data.get(f"match_{code}") or []) for code in DutyKind.values}


@login_required
def record_rules(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    rules = RecordRules.for_town(town)
    initial: dict[str, Any] = {"late_after_days": rules.late_after_days}
    for code in RecordKind.values:
        initial[f"req_{code}"] = requirements_of(rules.requirements, code)
    for code in DutyKind.values:
        initial[f"match_{code}"] = matches_of(rules.matches, code)
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_record_rules(
                town=town,
                late_after_days=form.cleaned_data["late_after_days"],
                requirements=form.requirements(),
                matches=form.matches(),
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存记录规则。"))
            return redirect("duties:rules")
    return TemplateResponse(
        request, "duties/rules.html", {"form": form, "is_officer": is_officer(request.user, town)}
    )
