"""The phone-friendly record form, its amendment form, the import upload and the reminder setting."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yigang.org.models import Post, UnitKind
from yigang.regulations.choices import Period

from .models import ReminderPolicy
from .rules import RecordKind

NOON = datetime.time(12, 0)
LEADERSHIP_UNITS = [UnitKind.PARTY, UnitKind.GOVERNMENT, UnitKind.CONGRESS, UnitKind.DISCIPLINE]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the phone's camera roll); each is vetted later by content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/*,application/pdf,.docx,.xlsx", "multiple": True}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class PostChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, holders: dict[int, str] | None = None, **kwargs: Any) -> None:
        self.holders = holders or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        holder = self.holders.get(obj.pk)
        unit = f"{obj.unit.name} · " if obj.unit.name not in obj.title else ""
        return f"{unit}{obj.title}（{holder}）" if holder else f"{unit}{obj.title}（空缺）"


class RecordForm(forms.Form):
    client_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)
    kind = forms.ChoiceField(label=_("履职方式"), choices=RecordKind.choices)
    date = forms.DateField(
        label=_("履职日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("实际开展的日期（计入该日所在的周期），不是录入日期"),
        error_messages={"required": _("请填写履职日期。"), "invalid": _("日期格式不正确。")},
    )
    time = forms.TimeField(
        label=_("时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("时间格式不正确。")},
    )
    title = forms.CharField(label=_("主题"), max_length=200, error_messages={"required": _("请填写主题。")})
    place = forms.CharField(label=_("地点"), max_length=200, error_messages={"required": _("请填写地点。")})
    posts = PostChoiceField(
        label=_("认定的岗位"),
        queryset=Post.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("联合检查可选多个岗位；计入当日在任人员"),
        error_messages={"required": _("请至少选择一个认定的岗位。")},
    )
    led = PostChoiceField(
        label=_("主持或组织的岗位"),
        queryset=Post.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("须为上面认定的岗位之一；不选则视为认定的岗位均为主持或组织方"),
    )
    participants = forms.CharField(
        label=_("参加人员"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    findings = forms.CharField(
        label=_("发现的问题"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary = forms.CharField(
        label=_("内容摘要或会议纪要"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写内容摘要或会议纪要。")},
    )
    attachments = MultipleFileField(label=_("附件（照片、扫描件、PDF）"), required=False)

    def __init__(self, *args: Any, posts: QuerySet[Post], holders: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["posts"]
        assert isinstance(field, PostChoiceField)
        # Leaders first, then bodies, villages and enterprises: the order people look for them in.
        leadership = Case(When(unit__kind__in=LEADERSHIP_UNITS, then=Value(0)), default=Value(1))
        field.queryset = posts.select_related("unit").order_by(
            leadership, "unit__kind", "unit__name", "title"
        )
        field.holders = holders
        led = self.fields["led"]
        assert isinstance(led, PostChoiceField)
        led.queryset = field.queryset
        led.holders = holders

    def occurred_at(self) -> datetime.datetime:
        data = self.cleaned_data
        moment = datetime.datetime.combine(data["date"], data.get("time") or NOON)
        return timezone.make_aware(moment)


class AmendForm(RecordForm):
    reason = forms.CharField(
        label=_("更正理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("请填写更正理由。")},
    )
    withdraw = forms.BooleanField(label=_("撤销此记录（录入有误，不应计入）"), required=False)

    field_order = ["reason", "withdraw"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("履职记录表（.xlsx）"),
        error_messages={"required": _("请选择要导入的表格。"), "empty": _("文件为空。")},
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ReminderPolicy
        fields = [f"{p}_days" for p in Period.values]
