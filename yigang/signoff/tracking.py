"""Tracking: per document, who must confirm (the open tasks), who has, who has not — for a town and across towns.

`required` counts the tasks open on the day (the current holders of the current text); `confirmed` those of them
with a confirmation; `missing` names the rest. Ended tasks (a holder who left, a text that changed) are history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from yigang.exports.excel import render_xlsx
from yigang.towns.models import Town

from .models import Confirmation, Document, Kind, Method, Task


@dataclass
class Line:
    task: Task

    @property
    def confirmed(self) -> bool:
        return hasattr(self.task, "confirmation")

    def as_dict(self) -> dict[str, str]:
        return {
            "person": self.task.person.name,
            "post": self.task.post.title,
            "unit": self.task.post.unit.name,
        }


@dataclass
class Tracked:
    document: Document
    lines: list[Line] = field(default_factory=list)

    @property
    def required(self) -> int:
        return len(self.lines)

    @property
    def confirmed(self) -> list[Line]:
        return [line for line in self.lines if line.confirmed]

    @property
    def missing(self) -> list[Line]:
        return [line for line in self.lines if not line.confirmed]

    @property
    def version(self) -> int | None:
        document = self.document
        if document.kind == Kind.REGULATION and document.regulation is not None:
            return document.regulation.version
        if document.kind == Kind.DUTY_LIST:
            versions = [line.task.regulation.version for line in self.lines if line.task.regulation]
            return max(versions) if versions else None
        return document.year

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.document.kind,
            "title": self.document.title,
            "version": self.version,
            "required": self.required,
            "confirmed": len(self.confirmed),
            "missing": [line.as_dict() for line in self.missing],
        }


def documents_of(town: Town, year: int) -> list[Document]:
    """The year's documents: regulation versions in force during it, its duty-list round, its target letters."""
    in_year = Q(regulation__effective_from__year__lte=year) & (
        Q(regulation__effective_until__isnull=True) | Q(regulation__effective_until__year__gte=year)
    )
    return list(
        Document.objects.filter(town=town, issued_at__isnull=False)
        .filter((Q(kind=Kind.REGULATION) & in_year) | (~Q(kind=Kind.REGULATION) & Q(year=year)))
        .select_related("regulation", "town")
        .order_by("kind", "-id")
    )


def track(documents: list[Document]) -> list[Tracked]:
    """One query for every open task of the documents, with their holders and confirmations."""
    tracked = {d.pk: Tracked(d) for d in documents}
    tasks = (
        Task.objects.filter(document__in=documents, ended_at__isnull=True)
        .select_related("person", "post__unit", "regulation", "confirmation", "letter")
        .order_by("post__unit__name", "post__title", "side", "id")
    )
    for task in tasks:
        tracked[task.document_id].lines.append(Line(task))
    order = {Kind.REGULATION: 0, Kind.DUTY_LIST: 1, Kind.TARGET_LETTER: 2}
    return sorted(tracked.values(), key=lambda t: (order[Kind(t.document.kind)], -t.document.pk))


def status(town: Town, year: int) -> dict[str, Any]:
    """The JSON of `yigang signoff status` and of the API."""
    return {"town": town.name, "documents": [t.as_dict() for t in track(documents_of(town, year))]}


_COLUMNS = ("序号", "单位", "岗位", "人员", "签署方", "状态", "确认时间", "所确认文本 SHA-256")


def _state(confirmation: Confirmation | None) -> str:
    if confirmation is None:
        return "未确认"
    if confirmation.method == Method.PAPER and confirmation.signed_on:
        return f"已确认（纸质签字 {confirmation.signed_on:%Y-%m-%d}）"
    return "已确认"


def tracked_xlsx(tracked: Tracked) -> bytes:
    rows = []
    for n, line in enumerate(tracked.lines, start=1):
        task = line.task
        confirmation = getattr(task, "confirmation", None) if line.confirmed else None
        rows.append(
            [
                str(n),
                task.post.unit.name,
                task.post.title,
                task.person.name,
                task.get_side_display() if task.letter_id else "",
                _state(confirmation),
                f"{timezone.localtime(confirmation.at):%Y-%m-%d %H:%M}" if confirmation else "",
                confirmation.sha256 if confirmation else "",
            ]
        )
    return render_xlsx(
        sheet="签收情况",
        title=f"{tracked.document.title} —— 应确认 {tracked.required}，已确认 {len(tracked.confirmed)}，"
        f"未确认 {len(tracked.missing)}",
        columns=_COLUMNS,
        rows=rows,
        widths=(6, 22, 24, 10, 10, 8, 18, 66),
    )


def unreached(town: Town, day: datetime.date) -> list[str]:
    """Bodies and villages in force on `day` where no post the regulation in force names has a holder: the
    documents reach them through their holders, so these get nothing until a holder is appointed."""
    from yigang.org.chain import regulation_at
    from yigang.org.models import Unit, UnitKind

    from .slots import holders, named_kinds

    regulation = regulation_at(town, day)
    if regulation is None:
        return []
    reached = {t.post.unit_id for t in holders(town, day, named_kinds(regulation))}
    units = (
        Unit.objects.at(day)
        .filter(town=town, kind__in=[UnitKind.BODY, UnitKind.VILLAGE])
        .order_by("kind", "name")
    )
    return [u.name for u in units if u.pk not in reached]
