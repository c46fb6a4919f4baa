"""What a page that takes a duty record form needs around it: who holds each post today, the refusal of a post
the form did not offer, the prefill of a 录入 link, and the form's answers as the actions take them. The duty
record page and the inspection page that names places (yigang.places) share them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from yigang.inputs import parse_id
from yigang.org import selectors
from yigang.org.models import Post
from yigang.towns.access import deny
from yigang.towns.models import Town

from . import actions
from .access import CreditRefused
from .compliance import compute
from .forms import RecordForm
from .models import DutyRecord
from .rules import RecordKind


def holders_today(town: Town) -> dict[int, str]:
    return {
        post_id: person.name for post_id, person in selectors.town_holders(town, timezone.localdate()).items()
    }


def refuse_foreign_posts(request: HttpRequest, town: Town, offered: Any) -> None:
    """A form naming a post of the town it did not offer (another unit's: only a crafted request does that) is
    refused like the API refuses it: 403, audited."""
    ids = {i for i in (parse_id(v) for v in request.POST.getlist("posts")) if i}
    named = Post.objects.filter(town=town, pk__in=ids).exclude(kind="")
    foreign = list(named.exclude(pk__in=offered.values("pk")))
    if foreign:
        deny(request, town, "您无权为岗位“" + "”“".join(str(p) for p in foreign) + "”填报履职记录。")


def prefill(request: HttpRequest, posts: Any) -> dict[str, Any]:
    """The "录入" link of a behind row: its post, kind and period; the only post a user may credit, ticked."""
    initial: dict[str, Any] = {}
    post = request.GET.get("post", "")
    if post.isdigit() and len(post) < 12 and posts.filter(pk=int(post)).exists():
        initial["posts"] = [int(post)]
    elif len(ids := list(posts.values_list("pk", flat=True)[:2])) == 1:
        initial["posts"] = ids
    kind = request.GET.get("kind", "")
    if kind in RecordKind.values:
        initial["kind"] = kind
    try:
        start = datetime.date.fromisoformat(request.GET.get("period", ""))
        end = datetime.date.fromisoformat(request.GET.get("until", ""))
    except ValueError:
        return initial
    today = timezone.localdate()
    if start <= end and start <= today:
        initial["date"] = min(today, end)  # a past period: its last day, to be corrected to the true day
    return initial


def form_data(form: RecordForm) -> actions.RecordData:
    data = form.cleaned_data
    return actions.RecordData(
        kind=data["kind"],
        occurred_at=form.occurred_at(),
        title=data["title"],
        place=data["place"],
        summary=data["summary"],
        participants=data.get("participants", ""),
        posts=list(data["posts"]),
        findings=data.get("findings", ""),
        led=list(data["led"]) or None,
    )


def form_uploads(form: RecordForm) -> list[actions.Upload]:
    return [actions.Upload(file=f, name=f.name) for f in form.cleaned_data.get("attachments") or []]


def counted_toward(town: Town, entry: DutyRecord) -> str:
    """Which duties and periods a saved record counted toward, in words, for the message after saving."""
    credited = list(entry.credits.values_list("post_id", flat=True))
    result = compute(town, entry.occurred_on.year, post_ids=credited)
    hits = [
        f"{r.post}（{r.person or _('空缺')}）{r.place + ' ' if r.article else ''}{r.kind_label} {r.period_label} "
        f"{r.done}/{r.required}"
        for r in result.rows
        if any(ref.id == entry.pk or ref.root_id == entry.pk for ref in r.records)
    ]
    if not hits:
        return _(
            "这条记录没有计入任何按频次计算的职责（履职方式或日期与岗位的职责不对应，或岗位当日无人在任）。"
        )
    return _("计入：") + "；".join(hits)


def submitted(
    request: HttpRequest, town: Town, form: forms.Form, act: Callable[..., DutyRecord], /, **words: Any
) -> DutyRecord | None:
    """A record written from its form by `act` (with `words` and the actor): a post the writer may never credit
    is refused (403, audited), the action's refusal goes on the form; the record, or None."""
    try:
        return act(actor=request.user, **words)
    except CreditRefused as exc:
        deny(request, town, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
    return None
