"""Account management for the system administrator: accounts and roles, never business data (等保 separation)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from yigang.audit.log import record

from . import access, actions
from .forms import CreateAccountForm, MembershipForm, PersonLinkForm
from .models import ADMIN_ROLES, Membership, towns_for
from .posting import said


def _require_admin(request: HttpRequest) -> None:
    """Only a system administrator; anyone else is refused (403) and the refusal is audited."""
    is_admin = Membership.objects.filter(user_id=request.user.pk or 0, role__in=ADMIN_ROLES).exists()
    if not is_admin:
        record(
            "auth.permission_denied",
            actor=request.user,
            success=False,
            object_repr=request.path[:300],
        )
        raise PermissionDenied


def _managed(request: HttpRequest, pk: int) -> Any:
    """The account a system administrator manages (anyone else refused, as `_require_admin`), or 404."""
    _require_admin(request)
    user = access.manageable_users(request.user).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def _locked_usernames(usernames: list[str]) -> set[str]:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    users = list(
        access.manageable_users(request.user)
        .select_related("person__town")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("town", "unit", "region"))
        )
    )
    locked = _locked_usernames([u.username for u in users])
    return TemplateResponse(
        request,
        "accounts/list.html",
        {"accounts": [(u, u.username in locked) for u in users]},
    )


@login_required
def account_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = CreateAccountForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = actions.create_account(
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                person=form.cleaned_data["person"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Shown once on this response, never stored or sent in a redirect's message cookie.
            return _detail(request, user, new_password=password)
    return TemplateResponse(request, "accounts/create.html", {"form": form})


def _detail(request: HttpRequest, user: Any, **extra: Any) -> HttpResponse:
    return TemplateResponse(
        request,
        "accounts/detail.html",
        {
            "account": user,
            "memberships": Membership.objects.filter(user=user).select_related("town", "unit", "region"),
            "locked": user.username in _locked_usernames([user.username]),
            "has_otp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "membership_form": extra.pop("membership_form", None) or MembershipForm(admin=request.user),
            "person": _person_of(user),
            "person_form": extra.pop("person_form", None) or PersonLinkForm(admin=request.user),
            "admin_towns": towns_for(request.user, ADMIN_ROLES),
            **extra,
        },
    )


def _person_of(user: Any) -> Any:
    """The register's person this account belongs to (org.Person.user), or None."""
    return apps.get_model("org", "Person").objects.filter(user_id=user.pk).select_related("town").first()


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    return _detail(request, _managed(request, pk))


@login_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed(request, pk)
    form = MembershipForm(request.POST, admin=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            granted = actions.add_membership(
                user=user,
                role=data["role"],
                town=data["town"],
                county=data["county"] or "",
                unit=data["unit"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if isinstance(granted, Membership):
                messages.success(request, _("已分配角色。"))
            else:  # 三员分立: a business or audit role waits for the 安委办
                messages.info(
                    request,
                    _("已提交：该角色须经安委办工作人员确认后生效（本人首次登录并修改初始密码后方可确认）。"),
                )
            return redirect("accounts:detail", pk=user.pk)
    return _detail(request, user, membership_form=form)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = _managed(request, pk)
    membership = Membership.objects.filter(user=user, pk=membership_pk).select_related("town", "unit").first()
    if membership is None:
        raise Http404
    with said(request, _("已撤销该角色。"), joined=True):
        actions.remove_membership(membership=membership, actor=request.user)
    return redirect("accounts:detail", pk=user.pk)


@login_required
@require_POST
def password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed(request, pk)
    password = actions.reset_password(user=user, actor=request.user)
    return _detail(request, user, new_password=password)


@login_required
@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed(request, pk)
    actions.unlock(user=user, actor=request.user)
    messages.success(request, _("已解除锁定。"))
    return redirect("accounts:detail", pk=user.pk)


@login_required
@require_POST
def set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed(request, pk)
    active = request.POST.get("active") == "1"
    with said(request, _("账号已启用。") if active else _("账号已停用。"), joined=True):
        actions.set_active(user=user, active=active, actor=request.user)
    return redirect("accounts:detail", pk=user.pk)


@login_required
@require_POST
def otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed(request, pk)
    actions.remove_otp(user=user, actor=request.user, reason="admin")
    messages.success(request, _("已重置双因素认证：该账号下次登录后可重新绑定。"))
    return redirect("accounts:detail", pk=user.pk)


@login_required
@require_POST
def person_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the account to a person of the administrator's towns (the form offers only those without one)."""
    user = _managed(request, pk)
    form = PersonLinkForm(request.POST, admin=request.user)
    if form.is_valid():
        try:
            actions.link_person(user=user, person=form.cleaned_data["person"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已关联人员。"))
            return redirect("accounts:detail", pk=user.pk)
    return _detail(request, user, person_form=form)


@login_required
@require_POST
def person_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed(request, pk)
    person = _person_of(user)
    if person is None or not towns_for(request.user, ADMIN_ROLES).filter(pk=person.town_id).exists():
        raise Http404
    actions.unlink_person(person=person, actor=request.user)
    messages.success(request, _("已解除与人员的关联。"))
    return redirect("accounts:detail", pk=user.pk)
