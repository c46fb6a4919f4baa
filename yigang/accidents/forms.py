"""The phone-friendly accident report form (and its change form), the arrival, extension and finding forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yigang.duties.forms import MultipleFileField
from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.forms import secret_field

from . import actions, grading
from .models import AccidentKind, FindingKind


def _please_fill(label: Any) -> Any:
    """ "请填写…。" naming the field, translated when shown (not when the module is imported)."""
    return lazy(lambda: gettext("请填写%(f)s。") % {"f": label}, str)()


def _please_fill_count(label: Any) -> Any:
    return lazy(lambda: gettext("请填写%(f)s（没有请填 0）。") % {"f": label}, str)()


MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _moment(label: Any, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=MOMENT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _please_fill(label), "invalid": _("时间格式不正确。")},
    )


def _count(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        initial="0",
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _please_fill_count(label)},
    )


class ReportForm(forms.Form):
    occurred_at = _moment(_("事故发生时间"))
    learned_at = _moment(_("单位负责人接到报告时间"), help_text=_("1 小时报告时限从此时起算"))
    reported_at = _moment(
        _("向县级应急管理等部门报告时间"), required=False, help_text=_("尚未报告的请留空，系统会计时")
    )
    unit = forms.ModelChoiceField(
        label=_("事故单位（已登记的生产经营单位）"), queryset=Unit.objects.none(), required=False
    )
    unit_name = forms.CharField(
        label=_("或填写事故单位名称"), max_length=200, required=False, help_text=_("未登记的单位或个人")
    )
    sector = forms.ModelChoiceField(
        label=_("行业领域"),
        queryset=Sector.objects.none(),
        error_messages={"required": _("请选择行业领域。")},
    )
    kind = forms.ChoiceField(label=_("事故类型"), choices=AccidentKind.choices)
    village = forms.ModelChoiceField(
        label=_("所在嘎查村（社区）"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("镇区 / 全镇"),
    )
    address = forms.CharField(
        label=_("事故地点"), max_length=200, error_messages={"required": _("请填写事故地点。")}
    )
    course = forms.CharField(
        label=_("事故简要经过"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写事故简要经过。")},
    )
    deaths = _count(_("死亡人数"))
    serious_injuries = _count(_("重伤人数（含急性工业中毒）"))
    missing = _count(_("失踪人数"))
    direct_loss = forms.CharField(
        label=_("初步估计的直接经济损失（元）"),
        initial="0",
        max_length=30,
        help_text=_("以元为单位，可用千位分隔符，如 12,000；不要填“万元”"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("请填写直接经济损失（没有请填 0）。")},
    )
    measures = forms.CharField(
        label=_("已经采取的措施"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reporter = forms.CharField(
        label=_("报告人"), max_length=100, error_messages={"required": _("请填写报告人。")}
    )
    attachments = MultipleFileField(label=_("现场照片或材料"), required=False)

    def __init__(self, *args: Any, town: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = Unit.objects.filter(town=town, kind=UnitKind.ENTERPRISE, active=True)
        fields["sector"].queryset = Sector.objects.filter(town=town).order_by("name")
        fields["village"].queryset = Unit.objects.filter(town=town, kind=UnitKind.VILLAGE, active=True)

    def _clean_count(self, name: str, label: str) -> int:
        try:
            return grading.parse_count(self.cleaned_data[name], label)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_deaths(self) -> int:
        return self._clean_count("deaths", "死亡人数")

    def clean_serious_injuries(self) -> int:
        return self._clean_count("serious_injuries", "重伤人数")

    def clean_missing(self) -> int:
        return self._clean_count("missing", "失踪人数")

    def clean_direct_loss(self) -> Any:
        try:
            return grading.parse_yuan(self.cleaned_data["direct_loss"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("unit")
            and not (data.get("unit_name") or "").strip()
            and "unit_name" not in self.errors
        ):
            self.add_error("unit_name", _("请选择登记的生产经营单位或填写事故单位名称。"))
        # The actions' order of the moments, on whichever of them parsed: shown with the field errors at once.
        for message in actions.time_errors(
            data.get("occurred_at"), data.get("learned_at"), data.get("reported_at")
        ):
            self.add_error(None, message)
        return data


class ChangeForm(ReportForm):
    made_at = _moment(
        _("变更（补报）时间"), required=False, help_text=_("向县级部门补报或发现变化的时间；留空为现在")
    )
    reason = forms.CharField(
        label=_("变更说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：伤者经抢救无效死亡（补报）、地点更正"),
        error_messages={"required": _("请填写变更说明。")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for message in actions.made_at_errors(data.get("made_at"), data.get("occurred_at")):
            self.add_error("made_at", message)
        return data


class ArrivalForm(forms.Form):
    arrived_at = _moment(_("到达现场时间"))


class CloseForm(forms.Form):
    """结案: the day of the reply, a note, the closer's own password or TOTP code and a deliberate tick."""

    closed_on = forms.DateField(
        label=_("结案日期（批复日期）"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写结案日期。"), "invalid": _("日期格式不正确。")},
    )
    note = forms.CharField(
        label=_("结案说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    secret = secret_field(
        max_length=200,
        strip=False,
        required_message=_("请输入您的登录密码（已绑定动态验证码的，填写验证码）以确认结案。"),
    )
    confirm = forms.BooleanField(
        label=_("我已知悉结案后不可更改，确认结案"),
        error_messages={"required": _("请勾选确认：结案后报告、调查和到场任务不再变更。未结案。")},
    )


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("延长理由"), widget=forms.Textarea(attrs={"rows": 2}))


class InvestigationForm(forms.Form):
    submitted_on = forms.DateField(
        label=_("调查报告提交日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("认定"), choices=FindingKind.choices)
    reason = forms.CharField(label=_("认定理由"), widget=forms.Textarea(attrs={"rows": 3}))
