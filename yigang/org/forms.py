from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Sector, Unit


class SectorForm(forms.Form):
    name = forms.CharField(
        label=_("行业领域"), max_length=80, error_messages={"required": _("请填写行业领域名称。")}
    )
    description = forms.CharField(label=_("说明"), max_length=300, required=False)


class SupervisionForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("行业领域"), queryset=Sector.objects.none())
    unit = forms.ModelChoiceField(label=_("监管单位"), queryset=Unit.objects.none())
    scope = forms.CharField(label=_("范围"), max_length=80, required=False, help_text=_("如：运输、九小场所"))

    def __init__(self, *args: Any, town: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.in_town(town)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.in_town(town).filter(active=True)  # type: ignore[attr-defined]
