from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RobotKind


class RobotForm(forms.Form):
    name = forms.CharField(
        label=_("名称"), max_length=80, error_messages={"required": _("请填写机器人名称。")}
    )
    kind = forms.ChoiceField(label=_("类型"), choices=RobotKind.choices)
    url = forms.CharField(
        label=_("Webhook 地址"),
        max_length=500,
        help_text=_("在群设置 → 智能群助手/群机器人中添加“自定义机器人”后复制"),
        error_messages={"required": _("请填写 Webhook 地址。")},
    )
    secret = forms.CharField(
        label=_("加签密钥（钉钉，可选）"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )
