"""提醒未签收人员: the 安委办 reminds, by hand, every holder whose task of a document is still unconfirmed — in the
app and by e-mail (`yigang.notify.fanout`, the channels the scheduled reminders use), at most once per document
every `NUDGE_INTERVAL`, each nudge audited as `signoff.nudge` (the audit entries are also what the limit reads)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from yigang.audit.log import record
from yigang.audit.models import AuditEntry
from yigang.notify.fanout import fan_out
from yigang.regulations.models import Status
from yigang.towns.models import Town

from ..models import Document, Kind, Task

NUDGE_INTERVAL = datetime.timedelta(hours=24)
EVENT = "signoff.nudge"


@dataclass(frozen=True)
class NudgeNotice:
    task: Task
    at: datetime.datetime

    def key(self, channel: str, recipient: str) -> str:
        # A key per nudge (its moment): the dispatch sends each key once, and each nudge is a new message.
        return f"signoff:task:{self.task.pk}|nudge:{self.at:%Y%m%dT%H%M%S}|{channel}|to:{recipient}"

    @property
    def subject(self) -> str:
        return f"【签收催办】{self.task.title}"[:200]

    @property
    def text(self) -> str:
        task = self.task
        days = (timezone.localdate() - timezone.localtime(task.created_at).date()).days
        return (
            f"【签收催办】{task.person.name}（{task.post.unit.name} {task.post.title}）：安委办提醒您，"
            f"《{task.title}》已下发 {days} 天，尚未确认，请阅读后在系统中确认（已阅知）。"
        )

    @property
    def url(self) -> str:
        return reverse("signoff:task", args=[self.task.pk])


@dataclass
class Nudged:
    """One document's nudge: who was reminded (had an account), who could not be (no active account)."""

    document: Document
    at: datetime.datetime
    reminded: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


@dataclass
class NudgeResult:
    nudged: list[Nudged] = field(default_factory=list)
    waiting: list[tuple[Document, datetime.datetime]] = field(
        default_factory=list
    )  # (document, next possible)
    sent: int = 0
    failed: int = 0

    @property
    def reminded(self) -> int:
        return len({name for n in self.nudged for name in n.reminded})


def last_nudge(document: Document) -> AuditEntry | None:
    """The last nudge of the document (its audit entry: when, by whom, how many were reminded)."""
    return (
        AuditEntry.objects.filter(event=EVENT, success=True, town_id=document.town_id)
        .filter(changes__document=document.pk)
        .order_by("-at", "-id")
        .first()
    )


def next_nudge_at(document: Document) -> datetime.datetime | None:
    """When the document may be nudged again (None: now)."""
    last = last_nudge(document)
    if last is None or last.at + NUDGE_INTERVAL <= timezone.now():
        return None
    return last.at + NUDGE_INTERVAL


def unconfirmed(document: Document) -> list[Task]:
    """The document's open, unconfirmed tasks (a superseded version's are no longer asked for)."""
    return list(
        Task.objects.filter(document=document, ended_at__isnull=True, confirmation__isnull=True)
        .exclude(Q(document__kind=Kind.REGULATION) & ~Q(document__regulation__status=Status.ACTIVE))
        .select_related("person__user", "post__unit", "document")
        .order_by("post__unit__name", "post__title", "id")
    )


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def nudge(*, town: Town, actor: Any, document: Document | None = None) -> NudgeResult:
    """Remind every holder still owing a confirmation of `document` (or of every issued document of the town
    with someone missing), each document at most once per `NUDGE_INTERVAL`. Refused (ValidationError, nothing
    sent) when no document has anyone missing, or when every such one was nudged within the interval — the
    message says when the next is possible. Each document nudged gets one `signoff.nudge` audit entry."""
    if document is not None and document.town_id != town.pk:
        raise ValidationError("该文件不属于本镇。")
    now = timezone.now()
    result = NudgeResult()
    with transaction.atomic():
        Town.objects.select_for_update().filter(pk=town.pk).first()  # one nudge of a town at a time
        documents = (
            [document]
            if document is not None
            else list(Document.objects.filter(town=town, issued_at__isnull=False).order_by("kind", "-id"))
        )
        inbox: dict[Any, list[NudgeNotice]] = defaultdict(list)
        for doc in documents:
            tasks = unconfirmed(doc)
            if not tasks:
                continue
            again = next_nudge_at(doc)
            if again is not None:
                result.waiting.append((doc, again))
                continue
            done = Nudged(doc, now)
            for task in tasks:
                user = task.person.user
                if user is not None and user.is_active:
                    inbox[user].append(NudgeNotice(task, now))
                    done.reminded.append(task.person.name)
                else:
                    done.unreachable.append(task.person.name)
            result.nudged.append(done)
        if not result.nudged:
            if result.waiting:
                soonest = min(at for _, at in result.waiting)
                raise ValidationError(f"每份文件 24 小时内只能提醒一次：下次可于 {_when(soonest)} 之后提醒。")
            raise ValidationError("没有未签收的人员，无需提醒。")
        outcome = fan_out(town, inbox, email_subject=f"{town.name}安全生产签收催办")
        result.sent, result.failed = outcome.sent, outcome.failed
        for done in result.nudged:
            record(
                EVENT,
                actor=actor,
                obj=done.document,
                town=town,
                success=True,
                changes={
                    "document": done.document.pk,
                    "reminded": len(done.reminded),
                    "people": done.reminded,
                    "unreachable": done.unreachable,
                    "sent": outcome.sent,
                    "failed": outcome.failed,
                    "errors": outcome.errors[:20],
                },
            )
    return result
