"""The 安委办 officer's side of 三员分立: confirming (or refusing) the business and audit roles a system
administrator asked for, and deciding whether the audit administrator sees the content of business entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions
from .access import current_town, deny, require_role
from .models import READ_ROLES, GrantStatus, RoleGrant, has_role


@login_required
def grants(request: HttpRequest) -> HttpResponse:
    """Pending role requests of the officer's towns, recent decisions, and the audit-content setting."""
    town = current_town(request)
    require_role(request, town)
    decided = (
        RoleGrant.objects.filter(town=town)
        .exclude(status=GrantStatus.PENDING)
        .select_related("user", "decided_by", "requested_by", "unit")[:20]
    )
    return TemplateResponse(
        request,
        "accounts/grants.html",
        {"pending": access.pending_grants(request.user), "decided": decided, "town": town},
    )


@login_required
@require_POST
def grant_decide(request: HttpRequest, pk: int) -> HttpResponse:
    grant = RoleGrant.objects.select_related("user", "town", "unit").filter(pk=pk).first()
    if grant is None:
        raise Http404
    if not access.may_confirm(request.user, grant):
        # A reader of the grant's town who is not its officer may know the request exists: refused, audited.
        # Anyone else (another town, the administrators) finds nothing.
        if grant.town is not None and has_role(request.user, grant.town, READ_ROLES):
            deny(request, grant.town)
        raise Http404
    try:
        if request.POST.get("decision") == "refuse":
            actions.refuse_grant(grant=grant, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("已拒绝该角色申请。"))
        else:
            actions.confirm_grant(grant=grant, actor=request.user)
            messages.success(request, _("已确认：该账号现已具有此角色。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("accounts:grants")


@login_required
@require_POST
def audit_disclosure(request: HttpRequest) -> HttpResponse:
    town = current_town(request)
    require_role(request, town)
    enabled = request.POST.get("enabled") == "1"
    actions.set_audit_disclosure(town=town, enabled=enabled, actor=request.user)
    messages.success(
        request,
        _("审计管理员现可查看本镇业务记录的内容。")
        if enabled
        else _("审计管理员现只能看到本镇业务记录改动了哪些字段。"),
    )
    return redirect("accounts:grants")
