"""What each holder did in the window, as the accountability file reads it: frequency duties required and done on
record, their duty records (事后补录 apart), the hazards they knew of, the regulation's other duties as a checklist
with the evidence found, the reminders they were sent, and the graded reading (docs/accountability.md)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from yigang.duties.models import Credit
from yigang.hazards.models import Hazard
from yigang.notify.models import Notification
from yigang.org.models import Person, Post
from yigang.towns.naming import display_name

from .dates import cn_date, cn_datetime, iso
from .entries import (
    CHECKS,
    COMPLETION_LINE,
    INFO,
    INSPECTION_KINDS,
    MINOR,
    SERIOUS,
    TRAINING_KINDS,
    Entry,
)


def frequency(e: Entry, rows: list[Any], on_record: Any) -> None:
    mine = [r for r in rows if r.person_id == e.person_id and r.post_id == e.post_id]
    e.required = sum(r.required for r in mine)
    for r in mine:
        kept = [ref for ref in r.records if on_record(ref.id, ref.root_id)]
        done = min(len(kept), r.required)
        e.done += done
        e.done_with_late += min(r.done, r.required)
        e.duties.append(
            {
                "place": r.place,
                "kind": r.kind_label,
                "frequency": r.frequency,
                "period": r.period_label,
                "period_start": r.period_start.isoformat(),
                "period_end": r.period_end.isoformat(),
                "required": r.required,
                "done": len(kept),
                "done_with_late": r.done,
                "records": [ref.root_id for ref in kept],
            }
        )
        if len(kept) < r.required:
            text = (
                f"{r.place} {r.kind_label}（{r.frequency}）{r.period_label}：应 {r.required} 次，"
                f"记录在案 {len(kept)} 次"
                + (f"（另有事后补录 {r.done - len(kept)} 次未采信）" if r.done > len(kept) else "")
            )
            e.gaps.append(text)
            e.lines.append(
                {
                    "weight": MINOR,
                    "text": f"漏履职一个周期：{text}",
                    "cites": [f"记录 {ref.root_id}" for ref in kept],
                }
            )
    if e.required:
        missed = sum(1 for d in e.duties if d["done"] < d["required"])
        share = e.done / e.required
        text = f"此前履职完成 {e.done}/{e.required}（{share:.0%}），漏履职 {missed} 个周期"
        if share < COMPLETION_LINE and missed >= 2:
            e.lines.insert(0, {"weight": SERIOUS, "text": f"{text}：低于应履职的 80%", "cites": []})
        else:
            e.lines.insert(0, {"weight": INFO, "text": text, "cites": []})


def records(
    e: Entry,
    start: datetime.date,
    before: datetime.date,
    as_of: datetime.datetime,
    admissions: dict[int, Any],
    late: dict[int, dict[str, Any]],
) -> None:
    # From the start of the earliest period judged (a year's period began before the window).
    earliest = min([datetime.date.fromisoformat(d["period_start"]) for d in e.duties] + [start])
    credits = (
        Credit.objects.filter(
            person_id=e.person_id,
            post_id=e.post_id,
            record__occurred_on__gte=earliest,
            record__occurred_on__lte=before,
            record__amended_by__isnull=True,
            record__withdrawn=False,
        )
        .select_related("record")
        .order_by("record__occurred_on", "record_id")
    )
    for c in credits:
        rec = c.record
        root = rec.root_id or rec.pk
        is_late = rec.entered_at > as_of
        admitted = admissions.get(root)
        item = {
            "id": root,
            "version_id": rec.pk,
            "on": rec.occurred_on.isoformat(),
            "kind": rec.get_kind_display(),
            "kind_code": rec.kind,
            "title": rec.title,
            "place": rec.place,
            "text": " ".join((rec.title, rec.place, rec.summary, rec.findings)),
            "entered_at": iso(rec.entered_at),
            "late": is_late,
            "admitted": admitted is not None,
        }
        e.records.append(item)
        if is_late:
            entry = late.setdefault(
                root,
                {
                    "id": root,
                    "on": item["on"],
                    "kind": item["kind"],
                    "title": rec.title,
                    "entered_at": item["entered_at"],
                    "persons": [],
                    "admitted": admitted is not None,
                    "admission": (
                        {
                            "reason": admitted.reason,
                            "by": display_name(admitted.created_by, admitted.created_at),
                            "at": iso(admitted.created_at),
                        }
                        if admitted is not None
                        else None
                    ),
                },
            )
            label = f"{e.person}（{e.post}）"
            if label not in entry["persons"]:
                entry["persons"].append(label)
    unadmitted = sum(1 for r in e.records if r["late"] and not r["admitted"])
    if unadmitted:
        e.lines.append(
            {
                "weight": INFO,
                "text": f"事后补录 {unadmitted} 条，未经镇安委办采信，不计入",
                "cites": [f"记录 {r['id']}" for r in e.records if r["late"] and not r["admitted"]],
            }
        )


def hazards(e: Entry, hazards: list[Hazard], day: datetime.date) -> None:
    for h in hazards:
        if e.person_id not in _routed_people(h.routing):
            continue
        overdue_then = h.deadline < day and (h.closed_on is None or h.closed_on > h.deadline)
        fate = (
            f"{cn_date(h.closed_on)}销号" + ("（逾期）" if h.closed_on > h.deadline else "")
            if h.closed_on
            else f"未销号（{h.get_status_display()}）"
        )
        e.hazards.append(
            {
                "id": h.pk,
                "number": h.number,
                "found_on": h.found_on.isoformat(),
                "deadline": h.deadline.isoformat(),
                "closed_on": h.closed_on.isoformat() if h.closed_on else None,
                "fate": fate,
                "overdue": overdue_then,
            }
        )
        if overdue_then:
            text = f"知悉的隐患 {h.number}（期限 {cn_date(h.deadline)}）未按期整改销号"
            e.gaps.append(text)
            e.lines.append({"weight": SERIOUS, "text": text, "cites": [f"隐患 {h.number}"]})


def checklist(
    e: Entry,
    post: Post,
    texts: list[str],
    place_words: set[str],
    as_of: datetime.datetime,
    admissions: dict[int, Any],
) -> None:
    from yigang.signoff.models import Kind as DocKind
    from yigang.signoff.models import Task

    counted = [r for r in e.records if not r["late"] or r["admitted"]]
    late_only = [r for r in e.records if r["late"] and not r["admitted"]]

    def evidence(match: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return [r for r in counted if match(r)], [r for r in late_only if match(r)]

    for key, label, pattern in CHECKS:
        cited = [t for t in texts if pattern and re.search(pattern, t)]
        item: dict[str, Any] = {"key": key, "label": label, "duty": cited, "applies": bool(cited)}
        found: list[dict[str, Any]] = []
        late_found: list[dict[str, Any]] = []
        if key == "training":
            found, late_found = evidence(lambda r: r["kind_code"] in TRAINING_KINDS)
        elif key == "three_simultaneities":
            found, late_found = evidence(lambda r: "三同时" in r["text"])
        elif key == "inspection":
            found, late_found = evidence(
                lambda r: r["kind_code"] in INSPECTION_KINDS and any(w in r["text"] for w in place_words)
            )
        if key == "hazards":
            item["applies"] = bool(cited) or bool(e.hazards)
            overdue = [h for h in e.hazards if h["overdue"]]
            item["evidence"] = [
                f"隐患 {h['number']}：{cn_date(h['found_on'])}发现，期限 {cn_date(h['deadline'])}，{h['fate']}"
                for h in e.hazards
            ] or ["窗口内该行业领域和地点没有交办其本人的隐患"]
            item["status"] = "missing" if overdue else ("met" if e.hazards else "none")
            if not e.hazards:
                item["applies"] = False
        elif key == "duty_list":
            tasks = list(
                Task.objects.filter(
                    person_id=e.person_id,
                    post_id=e.post_id,
                    document__kind=DocKind.DUTY_LIST,
                    created_at__lte=as_of,
                )
                .select_related("document", "confirmation")
                .order_by("created_at")
            )
            item["applies"] = bool(tasks)
            lines, confirmed = [], False
            for task in tasks:
                c = getattr(task, "confirmation", None)
                if c is None:
                    lines.append(f"{task.document.title}：未确认")
                elif c.at > as_of:
                    lines.append(f"{task.document.title}：{cn_datetime(c.at)}确认（事后确认，不计入）")
                else:
                    lines.append(f"{task.document.title}：{cn_datetime(c.at)}确认")
                    confirmed = True
            item["evidence"] = lines or ["未下发责任清单签收任务"]
            item["status"] = ("met" if confirmed else "missing") if tasks else "none"
        else:
            item["evidence"] = [
                f"{cn_date(r['on'])} {r['kind']} {r['title']}（记录 {r['id']}）" for r in found
            ] + [
                f"{cn_date(r['on'])} {r['kind']} {r['title']}（记录 {r['id']}，事后补录，未采信）"
                for r in late_found
            ] or ["未找到相应记录"]
            item["status"] = "met" if found else "missing"
            item["records"] = [r["id"] for r in found]
        if not item["applies"]:
            item["status"] = "none"
        e.checklist.append(item)
    applicable = [c for c in e.checklist if c["applies"]]
    missing = [c for c in applicable if c["status"] == "missing"]
    for c in missing:
        if c["key"] == "hazards":
            continue  # an overdue hazard is its own (serious) line
        text = f"{c['label']}：{c['evidence'][0]}"
        e.gaps.append(text)
        e.lines.append({"weight": MINOR, "text": text, "cites": [f"制度：{t[:40]}" for t in c["duty"][:1]]})
    if len(applicable) >= 2 and len(missing) * 2 > len(applicable):
        e.lines.append(
            {
                "weight": SERIOUS,
                "text": f"制度规定的其他职责 {len(applicable)} 项中 {len(missing)} 项无履职记录（过半）",
                "cites": [c["label"] for c in missing],
            }
        )


def reminders(e: Entry, start: datetime.date, day: datetime.date) -> None:
    person = Person.objects.filter(pk=e.person_id).first()
    if person is None or not person.user_id:
        return
    notes = Notification.objects.filter(
        user_id=person.user_id, created_at__date__gte=start, created_at__date__lte=day
    ).order_by("created_at")
    e.reminders = [{"at": iso(n.created_at), "title": n.title} for n in notes]


def grade(e: Entry) -> None:
    """The reading needs no more than the lines: see Entry.finding and docs/accountability.md."""
    if not e.lines:
        e.lines.append({"weight": INFO, "text": "窗口内该岗位无频次职责、无其他应查职责", "cites": []})


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
