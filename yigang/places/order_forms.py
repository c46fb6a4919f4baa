"""Forms of the 责令限期整改通知书 pages: issuing one, recording its receipt, withdrawing it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yigang.org.models import Unit

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrderForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("下达单位"), queryset=Unit.objects.none(), required=False)
    word = forms.CharField(
        label=_("机关代字"),
        max_length=20,
        required=False,
        help_text=_("文号中本单位的代字，如“应急”；文号按本单位、本年度自动顺序编号"),
    )
    issued_on = forms.DateField(label=_("下达日期"), required=False, widget=_DATE)
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=_DATE)
    found_on = forms.DateField(label=_("检查日期"), required=False, widget=_DATE)
    found_at = forms.CharField(label=_("检查地点"), max_length=200, required=False)
    finding = forms.CharField(
        label=_("检查发现的问题（隐患）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    items = forms.CharField(
        label=_("整改要求"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项"),
    )
    legal_basis = forms.CharField(
        label=_("法律依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("由下达单位填写适用的条款；下列常用条款可供参考"),
    )
    hazard = forms.IntegerField(required=False, widget=forms.HiddenInput, max_value=2**62)
    replaces = forms.IntegerField(required=False, widget=forms.HiddenInput, max_value=2**62)

    def __init__(self, *args: Any, bodies: Sequence[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["unit"]
        field.queryset = Unit.objects.filter(pk__in=[b.pk for b in bodies]).order_by("name")
        if len(bodies) == 1:
            field.empty_label = None

    def item_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["items"].splitlines() if line.strip()]


class ReceiptForm(forms.Form):
    received_by = forms.CharField(label=_("签收人"), max_length=50, required=False)
    received_on = forms.DateField(label=_("签收日期"), required=False, widget=_DATE)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200, required=False)
