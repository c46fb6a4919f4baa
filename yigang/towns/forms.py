"""Forms of the account pages: the user's own (password, second factor) and the administrator's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from .access import admin_counties
from .models import ADMIN_ROLES, Role, Town, towns_for

YOUR_WORD = _("您的登录密码（已绑定动态验证码的，填写验证码）")


def secret_field(
    label: Any = YOUR_WORD, *, max_length: int = 128, required_message: Any = None, **options: Any
) -> forms.CharField:
    """The person's own word for a deliberate act (`yigang.towns.reauth`): their password, or their TOTP code
    with a second factor; never shown back. `required_message` says which act it confirms when left empty."""
    if required_message is not None:
        options["error_messages"] = {"required": required_message}
    widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
    return forms.CharField(label=label, widget=widget, max_length=max_length, **options)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("动态验证码"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"required": _("请输入 6 位动态验证码。"), "invalid": _("请输入 6 位数字。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.town}）"


def _unlinked_people(admin: Any) -> Any:
    """People of the administrator's towns who have no account yet (org.Person, looked up by name)."""
    person = apps.get_model("org", "Person")
    return (
        person.objects.filter(town__in=towns_for(admin, ADMIN_ROLES), user__isnull=True)
        .select_related("town")
        .order_by("town", "name", "id")
    )


class PersonLinkForm(forms.Form):
    person = PersonChoiceField(
        label=_("关联人员"),
        queryset=None,
        help_text=_("人员名册中的本人：提醒发给本人，本人的履职页面一键可达。"),
        error_messages={"required": _("请选择人员。")},
    )

    def __init__(self, *args: Any, admin: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _unlinked_people(admin)  # type: ignore[attr-defined]


class CreateAccountForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"), max_length=150, error_messages={"required": _("请填写用户名。")}
    )
    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    person = PersonChoiceField(
        label=_("关联人员"),
        queryset=None,
        required=False,
        help_text=_("可选：账号属于人员名册中的哪一位（镇领导、部门负责人、嘎查村书记等）。"),
    )

    def __init__(self, *args: Any, admin: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _unlinked_people(admin)  # type: ignore[attr-defined]


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    town = forms.ModelChoiceField(label=_("乡镇"), queryset=Town.objects.none(), required=False)
    county = forms.ChoiceField(label=_("旗县"), choices=[], required=False)
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("单位（部门、嘎查村工作人员；企业安全管理人员选其生产经营单位）"),
        queryset=None,
        required=False,
    )

    def __init__(self, *args: Any, admin: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        towns = towns_for(admin, ADMIN_ROLES)
        self.fields["town"].queryset = towns  # type: ignore[attr-defined]
        counties = sorted(admin_counties(admin))
        self.fields["county"].choices = [("", "—"), *((c, c) for c in counties)]  # type: ignore[attr-defined]
        unit = apps.get_model("org", "Unit")
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            unit.objects.filter(town__in=towns, active=True)
            .select_related("town")
            .order_by("town", "kind", "name")
        )
