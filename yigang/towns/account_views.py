"""The user's own account: password change (forced at first login), TOTP second factor (enrol, verify, disable)."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from yigang.audit.log import client_ip, record
from yigang.inputs import local_path

from . import actions, policy
from .forms import TokenForm
from .models import Account, Membership


def _next(request: HttpRequest, default: str = "home") -> Any:
    target = request.POST.get("next") or request.GET.get("next") or ""
    target = local_path(request, target, default="")  # a path on this site, never a URL name
    return redirect(target) if target else redirect(default)


def _ip(request: HttpRequest) -> str | None:
    return client_ip(request)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    account = Account.objects.filter(user_id=user.pk or 0).first()
    return TemplateResponse(
        request,
        "registration/profile.html",
        {
            "roles": Membership.objects.filter(user_id=user.pk or 0).select_related("town", "unit", "region"),
            "account": account,
            "has_otp": TOTPDevice.objects.filter(user_id=user.pk or 0, confirmed=True).exists(),
        },
    )


class ChangePasswordView(PasswordChangeView):
    """Django's form (old password, validators); the write goes through `actions.change_password`."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")
    form_class = PasswordChangeForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["forced"] = bool(self.request.session.get(policy.MUST_CHANGE))
        context["next"] = self.request.GET.get("next", "")
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        request = self.request
        actions.change_password(
            user=form.user, password=form.cleaned_data["new_password1"], actor=request.user
        )
        update_session_auth_hash(request, form.user)
        request.session[policy.MUST_CHANGE] = False
        messages.success(request, _("密码已修改。"))
        return _next(request)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of login for an account with a TOTP device."""
    if not request.session.get(policy.OTP_PENDING):
        return _next(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None and getattr(device, "confirmed", False):
            otp_login(request, device)
            request.session[policy.OTP_PENDING] = False
            record(
                "auth.otp_verified", actor=request.user, ip=_ip(request), object_repr=request.user.username
            )
            return _next(request)
        record(
            "auth.otp_failed",
            actor=request.user,
            success=False,
            ip=_ip(request),
            object_repr=request.user.username,
        )
        form.add_error("token", _("动态验证码不正确或已过期，请重新输入。"))
    return TemplateResponse(
        request, "registration/otp_verify.html", {"form": form, "next": request.GET.get("next", "")}
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: scan the QR code (or type the secret) into an authenticator app, then prove it."""
    user = request.user
    if TOTPDevice.objects.filter(user_id=user.pk or 0, confirmed=True).exists():
        messages.info(request, _("已启用双因素认证。"))
        return redirect("accounts:profile")
    device = TOTPDevice.objects.filter(user_id=user.pk or 0, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            actions.enable_otp(device=device, actor=user)
            otp_login(request, device)
            request.session[policy.OTP_SETUP] = False
            request.session[policy.OTP_PENDING] = False
            messages.success(request, _("已启用双因素认证：今后登录时须输入动态验证码。"))
            return _next(request, "accounts:profile")
        form.add_error("token", _("动态验证码不正确，请核对手机时间后重试。"))
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    return TemplateResponse(
        request,
        "registration/otp_setup.html",
        {"form": form, "qr": qr, "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))},
    )


@login_required
@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off; needs a current code, and is refused where the deployment requires it."""
    from django.conf import settings

    if settings.OTP_REQUIRED:
        messages.error(request, _("本系统要求所有账号启用双因素认证，不能关闭。"))
        return redirect("accounts:profile")
    form = TokenForm(request.POST)
    device = match_token(request.user, form.cleaned_data["token"]) if form.is_valid() else None
    if device is None:
        messages.error(request, _("动态验证码不正确，未关闭双因素认证。"))
        return redirect("accounts:profile")
    actions.remove_otp(user=request.user, actor=request.user, reason="self")
    messages.success(request, _("已关闭双因素认证。"))
    return redirect("accounts:profile")
