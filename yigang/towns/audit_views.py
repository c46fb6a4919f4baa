"""The audit administrator's review of the trail (等保 level 3: 审计管理员, separate from the system administrator
and from business users). Read-only: entries cannot be changed here or anywhere else.

三员分立 also bounds what the auditor reads: of an entry about business data (a duty record, the register, the
regulation, an export …) they see who did what, when, from where and with what result, and which fields changed —
not the content (titles, summaries, names), unless the town's 安委办 enables it (`Town.audit_shows_content`).
Security events (logins, accounts and roles, settings, backups, the audit trail itself) are shown in full.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yigang.audit import events
from yigang.audit.log import record, verify_chain
from yigang.audit.models import AuditEntry, AuditQuerySet

from .models import AUDIT_ROLES, Membership, towns_for
from .naming import name_and_login, names_and_logins

PAGE_SIZE = 100
# Events about security and administration rather than business data: shown in full to the auditor.
SECURITY_EVENTS = ("auth.", "account.", "settings.", "system.", "audit.")
HIDDEN = "…"


def entries_for_auditor(user: Any) -> AuditQuerySet:
    """What an audit administrator reviews: entries of their towns, and the town-less security events
    (logins, failures) of the people who work in those towns. Nobody else reads the trail in the app.

    Here, not in the audit app: the trail sits below the towns (every write of towns records in it), so the
    scoping by memberships is the towns' to say."""
    towns = towns_for(user, AUDIT_ROLES)
    members = Membership.objects.filter(town__in=towns).values("user_id")
    return AuditEntry.objects.filter(Q(town__in=towns) | Q(town__isnull=True, user_id__in=members))


def shows_content(entry: AuditEntry) -> bool:
    if entry.event.startswith(SECURITY_EVENTS):
        return True
    return entry.town is not None and entry.town.audit_shows_content


def field_names(changes: Any) -> Any:
    """The changes with every value replaced, keeping the names of the fields (nested ones too)."""
    if isinstance(changes, dict):
        return {key: field_names(value) for key, value in changes.items()}
    return HIDDEN


def _require_auditor(request: HttpRequest) -> None:
    # Not an auditor: the pages do not exist for them (404), as for any out-of-scope object.
    if not Membership.objects.filter(user_id=request.user.pk or 0, role__in=AUDIT_ROLES).exists():
        raise Http404


class FilterForm(forms.Form):
    event = forms.ChoiceField(label=gettext_lazy("事件"), required=False)
    username = forms.CharField(label=gettext_lazy("用户"), required=False, max_length=150)
    outcome = forms.ChoiceField(
        label=gettext_lazy("结果"),
        required=False,
        choices=[("", gettext_lazy("全部")), ("ok", gettext_lazy("成功")), ("failed", gettext_lazy("失败"))],
    )
    since = forms.DateField(
        label=gettext_lazy("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("全部事件")), *events.choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    entries = entries_for_auditor(request.user).select_related("town", "user").order_by("-id")
    form = FilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["event"]:
            entries = entries.filter(event=data["event"])
        if data["username"]:
            # Entries the system wrote are stored as "system" and shown as 系统: either finds them.
            wanted = data["username"].strip()
            wanted = events.SYSTEM_USERNAME if wanted == str(_("系统")) else wanted
            entries = entries.filter(username__icontains=wanted)
        if data["outcome"]:
            entries = entries.filter(success=data["outcome"] == "ok")
        if data["since"]:
            entries = entries.filter(at__gte=_local_midnight(data["since"]))
        if data["until"]:
            entries = entries.filter(at__lt=_local_midnight(data["until"] + datetime.timedelta(days=1)))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    # The auditor needs both: the person and post the account belonged to that day, and the login itself.
    names = names_and_logins((e.user, e.at) for e in page.object_list)
    for entry, name in zip(page.object_list, names, strict=True):
        entry.content_hidden = not shows_content(entry)  # type: ignore[attr-defined]
        entry.who = name or events.who(entry.username)  # type: ignore[attr-defined]
        entry.kind = events.object_label(entry.object_type)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(v for k, v in query.items())
    rows = []
    previous = None
    for entry in page:
        # Entries are numbered across the whole system; the numbers this auditor does not see are other towns'
        # (or other people's security events): said in the row, not left as an unexplained gap.
        gap = previous - entry.pk - 1 if previous is not None and not filtered else 0
        rows.append((entry, events.label(entry.event), gap, entry.pk + 1, entry.pk + gap))
        previous = entry.pk
    return TemplateResponse(
        request,
        "audit/list.html",
        {"page": page, "rows": rows, "form": form, "query": query.urlencode(), "filtered": filtered},
    )


def _value(value: Any, object_type: str) -> str:
    """A recorded value as text; a nested set of fields (an amendment's changed fields) by their names in words."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value:
        return "\n".join(
            f"{events.field_label(object_type, str(k))}：{_value(v, object_type)}" for k, v in value.items()
        )
    return json.dumps(value, ensure_ascii=False, default=str)


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_auditor(request)
    entry = entries_for_auditor(request.user).select_related("town").filter(pk=pk).first()
    if entry is None:
        raise Http404
    shown = shows_content(entry)
    changes = entry.changes if shown else field_names(entry.changes)
    # Each changed field in words (the model's own name for it), its value as recorded.
    rows = (
        [
            (events.field_label(entry.object_type, key), _value(value, entry.object_type))
            for key, value in changes.items()
        ]
        if isinstance(changes, dict)
        else []
    )
    return TemplateResponse(
        request,
        "audit/detail.html",
        {
            "entry": entry,
            "who": name_and_login(entry.user, entry.at) or events.who(entry.username),
            "kind": events.object_label(entry.object_type),
            "change_rows": rows,
            "event_label": events.label(entry.event),
            "content_hidden": not shown,
            "changes": json.dumps(
                entry.changes if shown else field_names(entry.changes), ensure_ascii=False, indent=2
            ),
            "intact": entry.compute_hash() == entry.hash,  # checked on the whole entry, hidden parts included
        },
    )


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    result = verify_chain()
    record(
        "audit.verify",
        actor=request.user,
        success=result.ok,
        changes={"checked": result.checked, "first_bad_id": result.first_bad_id},
    )
    if result.ok:
        messages.success(request, _("审计记录完好：共校验 %(n)d 条。") % {"n": result.checked})
    else:
        messages.error(
            request,
            _("审计记录 #%(id)s 校验失败：%(reason)s（此前 %(n)d 条完好）。")
            % {"id": result.first_bad_id, "reason": result.reason, "n": result.checked},
        )
    return redirect("audit:list")
