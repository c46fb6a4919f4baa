"""The town's own frequency duties (镇定要求): the 安委办 adds them to any post and ends them on a date."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from yigang.org.models import Post
from yigang.regulations.choices import DutyKind, Period
from yigang.towns.access import current_town, require_role
from yigang.towns.models import Town
from yigang.towns.posting import said

from . import actions
from .access import is_officer
from .models import TownDuty


class PostField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:
        return f"{obj.unit.name} · {obj.title}"


class TownDutyForm(forms.Form):
    post = PostField(label=_("岗位"), queryset=Post.objects.none())
    kind = forms.ChoiceField(label=_("履职方式"), choices=DutyKind.choices)
    period = forms.ChoiceField(label=_("周期"), choices=Period.choices, initial=Period.MONTH)
    min_count = forms.IntegerField(label=_("至少次数"), min_value=1, max_value=100, initial=1)
    text = forms.CharField(label=_("要求内容"), widget=forms.Textarea(attrs={"rows": 2}))
    valid_from = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["post"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Post.objects.filter(town=town, active=True)
            .select_related("unit")
            .order_by("unit__kind", "unit__name", "title")
        )


@login_required
def town_duties(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    form = TownDutyForm(request.POST or None, town=town, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_town_duty(
                post=data["post"],
                kind=data["kind"],
                period=data["period"],
                min_count=data["min_count"],
                text=data["text"],
                valid_from=data["valid_from"],
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已添加本镇履职要求。"))
            return redirect("duties:town_duties")
    duties = TownDuty.objects.filter(town=town).select_related("post__unit")
    return TemplateResponse(
        request,
        "duties/town_duties.html",
        {
            "form": form,
            "duties": duties,
            "today": timezone.localdate(),
            "is_officer": is_officer(request.user, town),
        },
    )


@login_required
@require_POST
def town_duty_end(request: HttpRequest, pk: int) -> HttpResponse:
    town = current_town(request)
    duty = get_object_or_404(TownDuty, town=town, pk=pk)
    require_role(request, town)
    with said(request, str(_("已终止该要求；终止前的周期照常考核。")), joined=True):
        last_day = forms.DateField().clean(request.POST.get("last_day"))
        actions.end_town_duty(duty=duty, last_day=last_day, actor=request.user)
    return redirect("duties:town_duties")
