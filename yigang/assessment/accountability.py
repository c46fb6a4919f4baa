"""The accountability file (追责 / 尽职免责) for an accident or a hazard.

For each holder in the chain of responsibility at that moment (an accident's chain as frozen when recorded; a
hazard's as the register stood on the day it was found): their compliance with their post's frequency duties
over the twelve months before, the duty records they are credited with, the hazards in that sector and place
they were told of (the hazard's routing names them) and what became of them, the reminders and escalations
addressed to them, and the finding — 尽职 (duties performed in full: the grounds for 免责) or 未尽职, with each
gap named. A holder of a post with no frequency duty and no gap is 尽职 on the record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from yigang.accidents.actions import freeze_chain
from yigang.accidents.models import Accident, OnSiteTask
from yigang.duties.compliance import Status
from yigang.duties.compliance import compute as compliance
from yigang.duties.models import Credit
from yigang.hazards.models import Hazard
from yigang.notify.models import Notification
from yigang.org.models import Person

DONE, NOT_DONE = "尽职", "未尽职"


@dataclass
class Entry:
    person: str
    person_id: int
    post: str
    post_id: int
    level: str
    role_label: str
    required: int = 0
    done: int = 0
    gaps: list[str] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    hazards: list[dict[str, Any]] = field(default_factory=list)
    reminders: list[dict[str, Any]] = field(default_factory=list)
    duties: list[dict[str, Any]] = field(default_factory=list)

    @property
    def finding(self) -> str:
        return NOT_DONE if self.gaps else DONE

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "post": self.post,
            "level": self.level,
            "compliance": {"required": self.required, "done": self.done},
            "gaps": self.gaps,
            "finding": self.finding,
        }


@dataclass
class File:
    subject: str
    at: str
    day: datetime.date
    chain: list[dict[str, Any]]
    entries: list[Entry]
    kind: str
    obj_id: int

    def as_json(self) -> dict[str, Any]:
        """The JSON of `yigang accountability --json` (issue 13)."""
        return {
            "subject": self.subject,
            "at": self.at,
            "chain": self.chain,
            "persons": [e.as_json() for e in self.entries],
        }


_WHO_KEYS = ("level", "post", "unit", "person", "role", "role_label", "scope")


def for_accident(accident: Accident) -> File:
    assert accident.latest is not None
    r = accident.latest
    links = accident.chain.get("links", [])
    tasks = {t.post_id: t for t in OnSiteTask.objects.filter(accident=accident)}
    f = _build(
        subject=f"事故：{accident}",
        at=timezone.localtime(r.occurred_at).isoformat(),
        day=accident.chain_on,
        links=links,
        sector_id=r.sector_id,
        village_id=r.village_id,
        kind="accident",
        obj_id=accident.pk,
    )
    for e in f.entries:
        task = tasks.get(e.post_id)
        if task is not None and task.person_id == e.person_id and task.arrived_at is None:
            e.gaps.append(f"未确认到达事故现场（{task.role_label}）")
    return f


def for_hazard(hazard: Hazard) -> File:
    frozen = freeze_chain(hazard.sector, hazard.village, hazard.found_on)
    return _build(
        subject=f"隐患：{hazard}",
        at=hazard.found_on.isoformat(),
        day=hazard.found_on,
        links=frozen.get("links", []),
        sector_id=hazard.sector_id,
        village_id=hazard.village_id,
        kind="hazard",
        obj_id=hazard.pk,
        exclude_hazard=hazard.pk,
    )


def _routed_people(routing: Any) -> set[int]:
    found: set[int] = set()
    if isinstance(routing, dict):
        if isinstance(routing.get("person_id"), int):
            found.add(routing["person_id"])
        for value in routing.values():
            found |= _routed_people(value)
    elif isinstance(routing, list):
        for value in routing:
            found |= _routed_people(value)
    return found


def _build(
    *,
    subject: str,
    at: str,
    day: datetime.date,
    links: list[dict[str, Any]],
    sector_id: int,
    village_id: int | None,
    kind: str,
    obj_id: int,
    exclude_hazard: int | None = None,
) -> File:
    start = day - datetime.timedelta(days=365)
    before = day - datetime.timedelta(days=1)
    chain = [{k: link.get(k) for k in _WHO_KEYS} for link in links]
    holders = [link for link in links if link.get("person_id")]
    town_id = (
        Person.objects.filter(pk=holders[0]["person_id"]).values_list("town_id", flat=True).first()
        if holders
        else None
    )
    rows = []
    if town_id is not None:
        from yigang.towns.models import Town

        town = Town.objects.get(pk=town_id)
        for year in sorted({start.year, before.year}):
            rows += [
                r
                for r in compliance(town, year, today=before).rows
                if start <= r.period_end <= before and r.status in (Status.MET, Status.MISSED)
            ]
    hazards = list(
        Hazard.objects.filter(
            sector_id=sector_id, village_id=village_id, found_on__gte=start, found_on__lt=day
        )
        .exclude(pk=exclude_hazard or 0)
        .order_by("found_on", "pk")
    )
    entries: list[Entry] = []
    seen: set[tuple[int, int]] = set()
    for link in holders:
        key = (link["person_id"], link["post_id"])
        if key in seen:
            continue
        seen.add(key)
        e = Entry(
            person=link.get("person") or "",
            person_id=link["person_id"],
            post=link.get("post") or "",
            post_id=link["post_id"],
            level=link.get("level") or "",
            role_label=link.get("role_label") or "",
        )
        mine = [r for r in rows if r.person_id == e.person_id and r.post_id == e.post_id]
        e.required = sum(r.required for r in mine)
        e.done = sum(min(r.done, r.required) for r in mine)
        for r in mine:
            e.duties.append(
                {
                    "place": r.place,
                    "kind": r.kind_label,
                    "period": r.period_label,
                    "required": r.required,
                    "done": r.done,
                    "records": [{"id": x.root_id, "label": f"{x.on:%Y-%m-%d} {x.title}"} for x in r.records],
                }
            )
            if r.done < r.required:
                e.gaps.append(
                    f"{r.place} {r.kind_label}（{r.frequency}）{r.period_label}：应 {r.required} 次，实 {r.done} 次"
                )
        credits = (
            Credit.objects.filter(
                person_id=e.person_id,
                post_id=e.post_id,
                # From the start of the earliest period judged (a year's period began before the 12 months).
                record__occurred_on__gte=min([r.period_start for r in mine] + [start]),
                record__occurred_on__lte=before,
                record__amended_by__isnull=True,
                record__withdrawn=False,
            )
            .select_related("record")
            .order_by("record__occurred_on")
        )
        e.records = [
            {
                "id": c.record_id,
                "on": c.record.occurred_on.isoformat(),
                "kind": c.record.get_kind_display(),
                "title": c.record.title,
            }
            for c in credits
        ]
        for h in hazards:
            if e.person_id not in _routed_people(h.routing):
                continue
            overdue_then = h.deadline < day and (h.closed_on is None or h.closed_on > h.deadline)
            fate = (
                f"{h.closed_on:%Y-%m-%d} 销号" + ("（逾期）" if h.closed_on > h.deadline else "")
                if h.closed_on
                else f"未销号（{h.get_status_display()}）"
            )
            e.hazards.append(
                {
                    "id": h.pk,
                    "number": h.number,
                    "found_on": h.found_on.isoformat(),
                    "deadline": h.deadline.isoformat(),
                    "fate": fate,
                }
            )
            if overdue_then:
                e.gaps.append(f"知悉的隐患 {h.number}（期限 {h.deadline:%Y-%m-%d}）未按期整改销号")
        person = Person.objects.filter(pk=e.person_id).first()
        if person is not None and person.user_id:
            notes = Notification.objects.filter(
                user_id=person.user_id, created_at__date__gte=start, created_at__date__lte=day
            ).order_by("created_at")
            e.reminders = [{"at": n.created_at.isoformat(), "title": n.title} for n in notes]
        entries.append(e)
    return File(subject=subject, at=at, day=day, chain=chain, entries=entries, kind=kind, obj_id=obj_id)
