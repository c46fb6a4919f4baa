from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import ALL_POSTS, DutyKind, Period, PostKind, RegionPost


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("制度文件"),
        help_text=_("支持 .txt（UTF-8 或 GBK）和 .docx 文件"),
        error_messages={"required": _("请选择要导入的制度文件。"), "empty": _("文件为空。")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.REGULATION_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大（%(size).1f MB），制度文件不能超过 %(limit)d MB。")
                % {"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024}
            )
        return upload


class DutyForm(forms.Form):
    post = forms.ChoiceField(label=_("岗位"), choices=[("", "—"), *PostKind.choices], required=False)
    kind = forms.ChoiceField(label=_("履职方式"), choices=DutyKind.choices)
    min_count = forms.IntegerField(
        label=_("最少次数"),
        required=False,
        min_value=1,
        max_value=400,
        error_messages={"min_value": _("最少次数须为正整数。"), "invalid": _("请输入整数。")},
    )
    period = forms.ChoiceField(
        label=_("周期"), choices=[("", _("定期（无次数）")), *Period.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A row of a duty table shows the fields inline, without a visible label: each names itself to a reader.
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("min_count") is not None and not data.get("period"):
            self.add_error("period", _("填写了次数就必须选择周期。"))
        return data


class NewDutyForm(DutyForm):
    article = forms.IntegerField(label=_("条"), required=False, min_value=1)
    item = forms.IntegerField(label=_("项"), required=False, min_value=1)
    text = forms.CharField(label=_("条文"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ActivateForm(forms.Form):
    effective_from = forms.DateField(
        label=_("生效日期"),
        required=False,
        # A date input takes only YYYY-MM-DD; the zh-CN locale format (2022/08/04) would show an empty field.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请输入有效日期，如 2022-08-04。")},
    )


class RegionDutyForm(DutyForm):
    """A duty of a level's own regulation: its posts are the level's, or a town post the text binds directly."""

    post = forms.ChoiceField(label=_("岗位"), choices=[("", "—"), *ALL_POSTS], required=False)


class RegionNewDutyForm(NewDutyForm):
    post = forms.ChoiceField(label=_("岗位"), choices=[("", "—"), *ALL_POSTS], required=False)


class PostMappingForm(forms.Form):
    region_post = forms.ChoiceField(label=_("本级岗位"), choices=RegionPost.choices)
    town_post = forms.ChoiceField(
        label=_("乡镇岗位"), choices=[("", _("不对应乡镇岗位")), *PostKind.choices], required=False
    )


class ModelMarkForm(forms.Form):
    is_model = forms.BooleanField(label=_("示范条款"), required=False)
