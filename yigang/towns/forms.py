"""Forms of the account pages: the user's own (password, second factor) and the administrator's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from .models import ADMIN_ROLES, Membership, Role, Town, towns_for


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


class CreateAccountForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"), max_length=150, error_messages={"required": _("请填写用户名。")}
    )
    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    town = forms.ModelChoiceField(label=_("乡镇"), queryset=Town.objects.none(), required=False)
    county = forms.ChoiceField(label=_("旗县"), choices=[], required=False)
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("单位（部门、嘎查村工作人员）"), queryset=None, required=False
    )

    def __init__(self, *args: Any, admin: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        towns = towns_for(admin, ADMIN_ROLES)
        self.fields["town"].queryset = towns  # type: ignore[attr-defined]
        counties = sorted(
            set(
                Membership.objects.filter(user_id=admin.pk, role__in=ADMIN_ROLES)
                .exclude(county="")
                .values_list("county", flat=True)
            )
        )
        self.fields["county"].choices = [("", "—"), *((c, c) for c in counties)]  # type: ignore[attr-defined]
        unit = apps.get_model("org", "Unit")
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            unit.objects.filter(town__in=towns, active=True)
            .select_related("town")
            .order_by("town", "kind", "name")
        )
