"""Forms of the sign-off pages: confirming, attaching a scan, the target template."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yigang.towns.forms import secret_field

from .indicators import INDICATORS


class ConfirmForm(forms.Form):
    secret = secret_field(_("登录密码（已绑定动态验证码的，填写验证码）"))
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class PaperForm(forms.Form):
    """The 安委办 enters a signature made on the printed text: the date on the paper, its scan, their password."""

    signed_on = forms.DateField(label=_("纸质件上的签字日期"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(
        label=_("签字纸质件扫描件（PDF 或照片）"),
        error_messages={"required": _("请上传签字纸质件的扫描件（PDF 或照片）：纸质签字以扫描件为凭。")},
    )
    secret = secret_field()
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ScanForm(forms.Form):
    file = forms.FileField(label=_("手签纸质件扫描件（PDF 或照片）"))


def _indicator_choices() -> list[tuple[str, str]]:
    return [("", "—（定性目标，无数据指标）")] + [(key, i.label) for key, i in INDICATORS.items()]


class TargetItemForm(forms.Form):
    text = forms.CharField(label=_("目标内容"), max_length=300)
    indicator = forms.ChoiceField(label=_("考核指标"), required=False, choices=_indicator_choices)
    target = forms.CharField(label=_("目标值"), max_length=20, required=False)


class IssueForm(forms.Form):
    include_leaders = forms.BooleanField(label=_("同时与镇其他领导签订"), required=False)
    secret = secret_field(
        strip=False, required_message=_("请输入您的登录密码（已绑定动态验证码的，填写验证码）以确认下发。")
    )
    confirm = forms.BooleanField(
        label=_("我已知悉生成后条目不能再改，确认生成并下发"),
        error_messages={"required": _("请勾选确认：生成后条目不能再改，双方须签收确认。未下发。")},
    )


class PolicyForm(forms.Form):
    remind_after_days = forms.IntegerField(label=_("下发后几天提醒本人"), min_value=1, max_value=90)
    escalate_after_days = forms.IntegerField(label=_("下发后几天告知其分管领导"), min_value=1, max_value=180)


class DistributeForm(forms.Form):
    """下发 binds every holder who gets a task: the officer's own password (or TOTP code) and a deliberate tick."""

    secret = secret_field(
        strip=False, required_message=_("请输入您的登录密码（已绑定动态验证码的，填写验证码）以确认下发。")
    )
    confirm = forms.BooleanField(
        label=_("我已知悉上述后果，确认下发"),
        error_messages={
            "required": _("请勾选确认：下发后各人须对所收文本签收确认，已下发的任务不能撤回。未下发。")
        },
    )
