"""Forms of the 责令限期整改通知书 pages: issuing one, recording its receipt, withdrawing it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yigang.org.models import Unit

from .actions import LEGAL_BASIS_EXAMPLES

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
    basis_picks = forms.MultipleChoiceField(
        label=_("常用法律依据（可多选，请核对是否适用）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_basis = forms.CharField(
        label=_("其他法律依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("由下达单位填写适用的条款，如本行业的法律、法规"),
    )
    hazard = forms.IntegerField(required=False, widget=forms.HiddenInput, max_value=2**62)
    replaces = forms.IntegerField(required=False, widget=forms.HiddenInput, max_value=2**62)

    def __init__(self, *args: Any, bodies: Sequence[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["unit"]
        field.queryset = Unit.objects.filter(pk__in=[b.pk for b in bodies]).order_by("name")
        if len(bodies) == 1:
            field.empty_label = None
        picks: Any = self.fields["basis_picks"]
        picks.choices = [(citation, f"{citation}：{words}") for citation, words in LEGAL_BASIS_EXAMPLES]

    def basis(self) -> str:
        """The citations ticked and the text written, joined as the document cites them."""
        parts = [*self.cleaned_data["basis_picks"], self.cleaned_data["legal_basis"].strip()]
        return "、".join(p for p in parts if p)

    def item_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["items"].splitlines() if line.strip()]


class ReceiptForm(forms.Form):
    received_by = forms.CharField(label=_("签收人"), max_length=50, required=False)
    received_on = forms.DateField(label=_("签收日期"), required=False, widget=_DATE)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200, required=False)
