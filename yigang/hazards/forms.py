"""Forms for the hazard pages: the one-handed phone report, the filters, and each step's small form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yigang.duties.models import DutyRecord
from yigang.org.models import Person, Sector, Unit, UnitKind
from yigang.towns.forms import secret_field

from . import actions, steps
from .models import INSPECTION_KINDS, Grade, Source, Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one field (Django's FileField takes one); each is vetted again by the actions."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data]
        return one(data, initial)


class ReportForm(forms.Form):
    sector = forms.ModelChoiceField(
        queryset=Sector.objects.none(), label=_("行业领域"), empty_label=_("请选择")
    )
    village = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("嘎查村（社区）"),
        empty_label=_("全镇（不在嘎查村）"),
    )
    enterprise = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("生产经营单位（如有）"), empty_label=_("无")
    )
    address = forms.CharField(label=_("地址"), max_length=200)
    description = forms.CharField(
        label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    photos = MultipleFileField(
        label=_("现场照片"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment", "multiple": True}),
    )
    grade = forms.ChoiceField(label=_("等级"), choices=Grade.choices, initial=Grade.GENERAL)
    source = forms.ChoiceField(label=_("发现方式"), choices=Source.choices, initial=Source.INSPECTION)
    found_on = forms.DateField(
        label=_("发现日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    found_by = forms.CharField(label=_("发现人"), max_length=100)
    working_days = forms.IntegerField(
        label=_("整改期限（工作日）"), required=False, min_value=1, max_value=365, initial=10
    )
    deadline = forms.DateField(
        label=_("或整改期限（日期）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    client_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)
    duty_record = forms.ModelChoiceField(
        queryset=DutyRecord.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, town: Any, user: Any = None, place: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if place is not None:
            # 企业自查 by the enterprise's own account: its enterprise, village and place are fixed (the view fills
            # them in), the way it was found too; the sector is one of its place's.
            for name in ("village", "enterprise", "source", "duty_record"):
                del self.fields[name]
            self.fields["sector"].queryset = place.sectors.order_by("name")  # type: ignore[attr-defined]
            return
        # An inspection the reporter may read: the hazard is listed on that record as what it found.
        self.fields["duty_record"].queryset = DutyRecord.objects.for_user(user).filter(  # type: ignore[attr-defined]
            town=town, kind__in=INSPECTION_KINDS
        )
        self.fields["sector"].queryset = Sector.objects.filter(town=town)  # type: ignore[attr-defined]
        self.fields["village"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            town=town, kind=UnitKind.VILLAGE, active=True
        )
        self.fields["enterprise"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            town=town, kind=UnitKind.ENTERPRISE, active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("deadline") and data.get("working_days"):
            data["working_days"] = None  # a date typed in wins over the default number of working days
        # The actions' order of the dates, on whichever of them parsed: shown with the field errors at once.
        for field, messages in actions.date_errors(data.get("found_on"), data.get("deadline")).items():
            for message in messages:
                self.add_error(field, message)
        return data


class FilterForm(forms.Form):
    sector = forms.ModelChoiceField(
        queryset=Sector.objects.none(), required=False, label=_("行业领域"), empty_label=_("全部行业领域")
    )
    village = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("嘎查村（社区）"),
        empty_label=_("全部嘎查村（社区）"),
    )
    grade = forms.ChoiceField(choices=[("", _("全部等级")), *Grade.choices], required=False, label=_("等级"))
    status = forms.ChoiceField(
        choices=[("", _("全部状态")), *Status.choices], required=False, label=_("状态")
    )
    overdue = forms.BooleanField(required=False, label=_("只看逾期"))
    open = forms.BooleanField(required=False, label=_("只看未销号"))
    escalated = forms.BooleanField(required=False, label=_("只看已督办"))
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label=_("年度"))
    # The person whose hazards these are (hazards/answering.py): the home's and the person page's links.
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("负责人"), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, town: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.for_user(user) if user is not None else Person.objects.none()
        self.fields["person"].queryset = people.filter(town=town)  # type: ignore[attr-defined]
        self.fields["sector"].queryset = Sector.objects.filter(town=town)  # type: ignore[attr-defined]
        self.fields["village"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            town=town, kind=UnitKind.VILLAGE
        )


# The step names come from the one step table (steps.py), which the API's schema lists too.
STEPS = steps.STEPS
EXTENSION_STEPS = steps.EXTENSION_STEPS


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=[(s, s) for s in STEPS])
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("改交单位"))
    responsible = forms.CharField(required=False, max_length=100, label=_("责任人"))
    measures = forms.CharField(required=False, label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 2}))
    funds = forms.CharField(required=False, max_length=200, label=_("整改资金"))
    plan_deadline = forms.DateField(
        required=False, label=_("整改时限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    emergency_plan = forms.CharField(
        required=False, label=_("应急预案"), widget=forms.Textarea(attrs={"rows": 2})
    )
    extension_deadline = forms.DateField(
        required=False,
        label=_("延至"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decision = forms.ChoiceField(
        required=False,
        label=_("审批"),
        choices=[("approve", _("同意延期")), ("refuse", _("不予延期"))],
        widget=forms.RadioSelect,
    )
    # 销号: the closer confirms what follows and re-enters their password (or TOTP code).
    confirm = forms.BooleanField(required=False, label=_("我已知悉销号后的结果，确认销号"))
    secret = secret_field(required=False, strip=False, max_length=200)
    photos = MultipleFileField(
        required=False,
        label=_("整改后照片"),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment", "multiple": True}),
    )

    def __init__(self, *args: Any, town: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            town=town, kind__in=(UnitKind.BODY, UnitKind.VILLAGE), active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("step") == "accept" and not data.get("confirm"):
            self.add_error("confirm", _("请先阅读销号后的结果，勾选“确认销号”。"))
        return data


class NudgeForm(forms.Form):
    message = forms.CharField(
        label=_("催办内容"),
        max_length=actions.nudging.MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写催办内容。")},
    )
