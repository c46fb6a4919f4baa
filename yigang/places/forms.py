"""Forms of the places pages: a place, a risk assessment, a closing, a plan line, the frequency table, a route."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yigang.duties.forms import RecordForm
from yigang.duties.rules import RecordKind
from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.models import Town

from .actions import PLAN_PERIODS
from .models import Place, PlaceKind, RiskLevel

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_PERIOD_CHOICES = [(p.value, p.label) for p in PLAN_PERIODS]


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120)
    kind = forms.ChoiceField(label=_("类型"), choices=PlaceKind.choices)
    village = forms.ModelChoiceField(
        label=_("所在嘎查村（社区）"),
        queryset=Unit.objects.none(),
        required=False,  # the action says what is missing, with the other problems
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("行业领域"), queryset=Sector.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("登记的生产经营单位"), queryset=Unit.objects.none(), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    legal_representative = forms.CharField(label=_("法定代表人（负责人）"), max_length=50, required=False)
    legal_representative_phone = forms.CharField(label=_("法定代表人电话"), max_length=30, required=False)
    safety_manager = forms.CharField(label=_("安全管理人员"), max_length=50, required=False)
    safety_manager_phone = forms.CharField(label=_("安全管理人员电话"), max_length=30, required=False)
    scale = forms.CharField(label=_("规模"), max_length=100, required=False)
    licences = forms.CharField(
        label=_("许可证"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个：许可证名称：编号"),
    )
    opened = forms.DateField(label=_("纳入监管日期"), required=False, widget=_DATE)
    risk_level = forms.ChoiceField(
        label=_("风险等级"), choices=[("", "—"), *RiskLevel.choices], required=False
    )
    risk_on = forms.DateField(label=_("评估日期"), required=False, widget=_DATE)
    risk_basis = forms.CharField(label=_("评估依据"), max_length=300, required=False)

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(town=town, active=True)
        self.fields["village"].queryset = units.filter(kind=UnitKind.VILLAGE)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units.filter(kind=UnitKind.ENTERPRISE)  # type: ignore[attr-defined]
        self.fields["sectors"].queryset = Sector.objects.filter(town=town)  # type: ignore[attr-defined]

    def licence_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.cleaned_data.get("licences", "").splitlines():
            name, _sep, number = line.replace(":", "：").partition("：")
            if line.strip():
                pairs.append((name.strip(), number.strip()))
        return pairs


class AssessForm(forms.Form):
    level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    assessed_on = forms.DateField(label=_("评估日期"), required=False, widget=_DATE)
    basis = forms.CharField(label=_("评估依据"), max_length=300, required=False)


class CloseForm(forms.Form):
    closed = forms.DateField(label=_("注销日期"), required=False, widget=_DATE)
    reason = forms.CharField(label=_("注销原因"), max_length=200, required=False)


class PlanItemForm(forms.Form):
    place = forms.IntegerField(widget=forms.HiddenInput)
    period = forms.ChoiceField(
        label=_("周期"), choices=[("", _("按风险等级")), *_PERIOD_CHOICES], required=False
    )
    count = forms.IntegerField(label=_("每周期次数"), min_value=1, max_value=31, required=False)


class FrequencyForm(forms.Form):
    level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    period = forms.ChoiceField(label=_("周期"), choices=_PERIOD_CHOICES)
    count = forms.IntegerField(label=_("每周期至少检查次数"), min_value=1, max_value=31)


class RouteForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("行业领域"), queryset=Sector.objects.none())
    kind = forms.ChoiceField(
        label=_("场所类型"), choices=[("", _("该领域所有场所")), *PlaceKind.choices], required=False
    )
    unit = forms.ModelChoiceField(label=_("负责单位"), queryset=Unit.objects.none())
    start = forms.DateField(label=_("起始日期"), required=False, widget=_DATE)
    note = forms.CharField(label=_("依据"), max_length=200, required=False)

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(town=town)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            town=town, active=True, kind=UnitKind.BODY
        )


def _place_label(place: Any) -> str:
    return f"{place.name}（{place.village}）"


class InspectionForm(RecordForm):
    """The duty record form of an inspection, with the places it covered (docs/places.md, Coverage)."""

    places = forms.ModelMultipleChoiceField(
        label=_("检查的场所"),
        queryset=Place.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("本次检查到的监管对象，可多选；计入各场所所属行业监管部门的检查覆盖"),
        error_messages={"required": _("请选择本次检查的场所。"), "invalid_choice": _("所选场所无效。")},
    )

    def __init__(self, *args: Any, places: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["places"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = places.order_by("village__name", "name")
        field.label_from_instance = _place_label  # type: ignore[assignment,method-assign]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(value, label) for value, label in RecordKind.choices if value in kinds]
