"""The accountability file (追责 / 尽职免责) for an accident or a hazard: the evidence as it stood (issue 21).

For the accident's moment, the chain of responsibility as it was on record (an accident's chain as frozen when it
was entered; a hazard's as the register stood on the day found), and for the whole window before it (default
the twelve months before the day): every person who held each post of the chain in the window (predecessors
too) and the vacancies between them; per holder their frequency duties (required vs done), the regulation's
other duties of the post as a checklist with the evidence found for each (training, 三同时, inspections of the
accident's sector and place, hazards found there and how they were handled, the 责任清单 confirmed in sign-off),
the reminders addressed to them, and a graded reading (尽职 / 基本尽职 / 未尽职) by the rule of
docs/accountability.md, each line citing its facts.

Every record shows when it was entered. Records entered after the moment (the file's as-of) are listed apart
as 事后补录 and count only when the 安委办 admitted them with a reason (`LateAdmission`). Register rows entered
or ended after the chain was put on record, for dates before the accident, are shown beside the chain and
flagged. The 安委办's own finding (追责建议 / 免责建议) is recorded separately (`FileFinding`); the file is
evidence for the deciding body, not the decision. An issued file (`IssuedFile`) is frozen with its SHA-256.

`as_json()` is the JSON of `yigang accountability --json` and the stored content of an issued file: times in it
are ISO 8601 (machine-readable); every paper (page, Word, PDF) prints them with `cn_datetime` / `cn_date`.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from yigang.accidents.actions import freeze_chain
from yigang.accidents.models import Accident, OnSiteTask
from yigang.duties.compliance import Status
from yigang.duties.compliance import compute as compliance
from yigang.duties.models import Credit, DutyRecord
from yigang.hazards.models import Hazard
from yigang.notify.models import Notification
from yigang.org.chain import regulation_at
from yigang.org.models import Person, Portfolio, Post, Sector, Supervision, Tenure, Unit
from yigang.org.sector_words import names_of

DONE, FAIR, NOT_DONE = "尽职", "基本尽职", "未尽职"
GRADES = (DONE, FAIR, NOT_DONE)
# The reading's rule (docs/accountability.md): completion on record below this share of what was owed, with at
# least two periods missed, is 未尽职 on its own; a single missed period never is.
COMPLETION_LINE = 0.8
NOTICE = (
    "本材料汇集事故（隐患）发生前责任人员履职的记录证据，供有权机关认定责任时参考，"
    "不是责任认定结论；“履职评定”按公开的评定规则由记录得出，镇安委办的意见另行记载。"
)
UNKNOWN_ENTRY = "登记时间未记录（早于系统开始记录录入时间）"

SERIOUS, MINOR, INFO = "serious", "minor", "info"
INSPECTION_KINDS = frozenset(
    {"inspection", "guided_inspection", "survey_inspection", "supervision", "rectification", "campaign"}
)
TRAINING_KINDS = frozenset({"training", "drill"})
# The regulation's words that lay each checked duty on a post (matched in the duty texts of the post's kind).
CHECKS: tuple[tuple[str, str, str], ...] = (
    ("training", "安全教育培训", r"培训|教育|宣传|演练"),
    ("three_simultaneities", "监督“三同时”", r"三同时"),
    ("inspection", "检查事故所在行业领域和地点", r"检查|督查|巡查|排查"),
    ("hazards", "该行业领域和地点的隐患及其整改", r"隐患"),
    ("duty_list", "确认本人责任清单（签收）", r""),
)


# --- times as a person reads them ------------------------------------------------------------------------------


def _parse(value: str | datetime.datetime | datetime.date | None) -> datetime.datetime | datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return value
    if "T" in value or " " in value:
        return datetime.datetime.fromisoformat(value)
    return datetime.date.fromisoformat(value)


def cn_date(value: str | datetime.date | None) -> str:
    """2026-12-06 → 2026年12月6日 (an empty value → "")."""
    day = _parse(value)
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(value: str | datetime.datetime | datetime.date | None) -> str:
    """An ISO time → 2026年12月6日23:58 in Asia/Shanghai; a date alone → 2026年12月6日."""
    moment = _parse(value)
    if moment is None:
        return ""
    if not isinstance(moment, datetime.datetime):
        return cn_date(moment)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment.year}年{moment.month}月{moment.day}日{moment:%H:%M}"


def _iso(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment is not None else None


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The first day of the window of `months` calendar months ending the day before `day`."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


# --- the file ----------------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One person in one post over the window (the holder at the moment, or a predecessor)."""

    person: str
    person_id: int
    post: str
    post_id: int
    level: str
    role_label: str
    in_chain: bool
    held_from: datetime.date
    held_until: datetime.date
    required: int = 0
    done: int = 0  # on record at the as-of moment, with the admitted 补录
    done_with_late: int = 0  # every record now in the system
    gaps: list[str] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    hazards: list[dict[str, Any]] = field(default_factory=list)
    reminders: list[dict[str, Any]] = field(default_factory=list)
    duties: list[dict[str, Any]] = field(default_factory=list)
    checklist: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def finding(self) -> str:
        """The graded reading (docs/accountability.md)."""
        weights = {line["weight"] for line in self.lines}
        if SERIOUS in weights:
            return NOT_DONE
        if MINOR in weights:
            return FAIR
        return DONE

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "person_id": self.person_id,
            "post": self.post,
            "post_id": self.post_id,
            "level": self.level,
            "role_label": self.role_label,
            "in_chain": self.in_chain,
            "held": {"from": self.held_from.isoformat(), "until": self.held_until.isoformat()},
            "compliance": {
                "required": self.required,
                "done": self.done,
                "done_with_late": self.done_with_late,
            },
            "duties": self.duties,
            "records": self.records,
            "checklist": self.checklist,
            "hazards": self.hazards,
            "reminders": self.reminders,
            "gaps": self.gaps,
            "reading": {"grade": self.finding, "lines": self.lines},
            "finding": self.finding,
        }


@dataclass
class File:
    subject: str
    at: str  # the moment, ISO (an accident's time, a hazard's day)
    day: datetime.date
    chain: list[dict[str, Any]]
    entries: list[Entry]
    kind: str
    obj_id: int
    town_id: int | None = None
    as_of: str = ""  # records entered after this are 事后补录
    register_as_of: str = ""  # the chain as on record at this moment
    window: dict[str, Any] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)
    register_changes: list[dict[str, Any]] = field(default_factory=list)
    late_records: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The JSON of `yigang accountability --json`, and what an issued file stores."""
        return {
            "subject": self.subject,
            "kind": self.kind,
            "id": self.obj_id,
            "at": self.at,
            "as_of": self.as_of,
            "register_as_of": self.register_as_of,
            "window": self.window,
            "chain": self.chain,
            "register_changes": self.register_changes,
            "posts": self.posts,
            "late_records": self.late_records,
            "persons": [e.as_json() for e in self.entries],
            "findings": self.findings,
            "notice": NOTICE,
        }


_WHO_KEYS = ("level", "post", "unit", "person", "role", "role_label", "scope", "post_id", "person_id")


def for_accident(accident: Accident, *, months: int = 12) -> File:
    assert accident.latest is not None
    r = accident.latest
    links = accident.chain.get("links", [])
    occurred = timezone.localtime(r.occurred_at)
    f = _build(
        subject=f"事故：{r.unit_label}{r.get_kind_display()}（{r.address}）",
        at=occurred.isoformat(),
        as_of=r.occurred_at,
        register_as_of=accident.created_at,
        day=accident.chain_on,
        links=links,
        now_links=freeze_chain(r.sector, r.village, accident.chain_on).get("links", []),
        sector_id=r.sector_id,
        village_id=r.village_id,
        kind="accident",
        obj_id=accident.pk,
        town_id=accident.town_id,
        months=months,
    )
    tasks = {t.post_id: t for t in OnSiteTask.objects.filter(accident=accident)}
    for e in f.entries:
        task = tasks.get(e.post_id)
        if e.in_chain and task is not None and task.person_id == e.person_id and task.arrived_at is None:
            text = f"未确认到达事故现场（{task.role_label}）"
            e.gaps.append(text)
            e.lines.append({"weight": MINOR, "text": text, "cites": [f"现场任务 {task.pk}"]})
    return f


def for_hazard(hazard: Hazard, *, months: int = 12) -> File:
    frozen = freeze_chain(hazard.sector, hazard.village, hazard.found_on)
    return _build(
        subject=f"隐患：{hazard}",
        at=hazard.found_on.isoformat(),
        as_of=hazard.reported_at,
        register_as_of=hazard.reported_at,
        day=hazard.found_on,
        links=frozen.get("links", []),
        now_links=None,
        sector_id=hazard.sector_id,
        village_id=hazard.village_id,
        kind="hazard",
        obj_id=hazard.pk,
        town_id=hazard.town_id,
        months=months,
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


def _overlaps(
    start: datetime.date | None, end: datetime.date | None, first: datetime.date, last: datetime.date
) -> bool:
    return (start is None or start <= last) and (end is None or end >= first)


def _build(
    *,
    subject: str,
    at: str,
    as_of: datetime.datetime,
    register_as_of: datetime.datetime,
    day: datetime.date,
    links: list[dict[str, Any]],
    now_links: list[dict[str, Any]] | None,
    sector_id: int,
    village_id: int | None,
    kind: str,
    obj_id: int,
    town_id: int,
    months: int,
    exclude_hazard: int | None = None,
) -> File:
    from .models import FileFinding, LateAdmission

    start = months_before(day, months)
    before = day - datetime.timedelta(days=1)
    sector = Sector.objects.get(pk=sector_id)
    village = Unit.objects.filter(pk=village_id).first() if village_id else None
    post_ids = list(
        dict.fromkeys(link["post_id"] for link in links + (now_links or []) if link.get("post_id"))
    )
    posts = {p.pk: p for p in Post.objects.filter(pk__in=post_ids).select_related("unit")}
    link_of = {link["post_id"]: link for link in links if link.get("post_id")}
    for link in now_links or []:
        if link.get("post_id"):
            link_of.setdefault(link["post_id"], link)

    tenures = list(
        Tenure.objects.filter(post_id__in=post_ids, start__lte=before if before >= start else day)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("person")
        .order_by("post_id", "start")
    )
    tenures_on_day = {
        (t.post_id, t.person_id): t for t in tenures if t.start <= day and (t.end is None or t.end >= day)
    }
    chain = []
    for link in links:
        row = {k: link.get(k) for k in _WHO_KEYS}
        held = tenures_on_day.get((link.get("post_id"), link.get("person_id")))
        row["entered_at"] = _iso(held.recorded_at) if held is not None else None
        row["entered_note"] = UNKNOWN_ENTRY if held is not None and held.recorded_at is None else ""
        chain.append(row)

    admissions = {
        a.record_id: a
        for a in LateAdmission.objects.filter(subject_kind=kind, subject_id=obj_id).select_related(
            "created_by"
        )
    }

    # The frequency duties judged: periods that ended in the window, as compliance counts them (every record now
    # in the system); `done` is then counted again with only what was on record at the as-of moment.
    rows = []
    for year in range(start.year, before.year + 1):
        rows += [
            r
            for r in compliance(sector.town, year, today=before).rows
            if start <= r.period_end <= before and r.status in (Status.MET, Status.MISSED) and r.person_id
        ]
    counted_ids = {ref.id for r in rows for ref in r.records}
    entered = dict(DutyRecord.objects.filter(pk__in=counted_ids).values_list("pk", "entered_at"))

    def on_record(record_id: int, root_id: int) -> bool:
        when = entered.get(record_id)
        return when is None or when <= as_of or root_id in admissions

    hazards = list(
        Hazard.objects.filter(
            sector_id=sector_id, village_id=village_id, found_on__gte=start, found_on__lt=day
        )
        .exclude(pk=exclude_hazard or 0)
        .order_by("found_on", "pk")
    )
    regulation = regulation_at(sector.town, day)
    duty_texts: dict[str, list[str]] = defaultdict(list)
    if regulation is not None:
        for post_kind, text in regulation.duties.values_list("post", "text"):
            duty_texts[post_kind].append(text)
    place_words = set(names_of(sector)) | ({village.name} if village else set())
    late: dict[int, dict[str, Any]] = {}

    entries: list[Entry] = []
    post_rows: list[dict[str, Any]] = []
    for post_id in post_ids:
        post = posts[post_id]
        link = link_of[post_id]
        held = [t for t in tenures if t.post_id == post_id]
        first = max(start, post.valid_from or start)
        last = min(before, post.valid_until or before)
        post_rows.append(
            {
                "post_id": post_id,
                "post": post.title,
                "unit": post.unit.name,
                "holders": [
                    {
                        "person": t.person.name,
                        "person_id": t.person_id,
                        "from": max(t.start, start).isoformat(),
                        "until": min(t.end or before, before).isoformat(),
                        "entered_at": _iso(t.recorded_at),
                    }
                    for t in held
                ],
                "vacancies": _vacancies(held, first, last),
            }
        )
        for t in held:
            in_chain = any(c.get("post_id") == post_id and c.get("person_id") == t.person_id for c in links)
            e = Entry(
                person=t.person.name,
                person_id=t.person_id,
                post=post.title,
                post_id=post_id,
                level=link.get("level") or "",
                role_label=link.get("role_label") or "",
                in_chain=in_chain,
                held_from=max(t.start, start),
                held_until=min(t.end or before, before),
            )
            if any(x.person_id == e.person_id and x.post_id == post_id for x in entries):
                continue
            _frequency(e, rows, on_record)
            _records(e, start, before, as_of, admissions, late)
            _hazards(e, hazards, day)
            _checklist(e, post, duty_texts.get(post.kind, []), place_words, as_of, admissions)
            _reminders(e, start, day)
            _grade(e)
            entries.append(e)

    findings = [
        {
            "person": f.person.name,
            "person_id": f.person_id,
            "post": f.post.title,
            "post_id": f.post_id,
            "verdict": f.verdict,
            "verdict_label": f.get_verdict_display(),
            "reasons": f.reasons,
            "method": f.get_method_display(),
            "by": f.created_by.get_username() if f.created_by else "",
            "at": _iso(f.created_at),
        }
        for f in FileFinding.objects.filter(subject_kind=kind, subject_id=obj_id)
        .select_related("person", "post", "created_by")
        .order_by("created_at", "pk")
    ]
    return File(
        subject=subject,
        at=at,
        day=day,
        chain=chain,
        entries=entries,
        kind=kind,
        obj_id=obj_id,
        town_id=town_id,
        as_of=_iso(as_of) or "",
        register_as_of=_iso(register_as_of) or "",
        window={"start": start.isoformat(), "end": before.isoformat(), "months": months},
        posts=post_rows,
        register_changes=_register_changes(
            links, now_links, post_ids, sector_id, day, start, register_as_of, kind
        ),
        late_records=sorted(late.values(), key=lambda r: (r["entered_at"], r["id"])),
        findings=findings,
    )


def _vacancies(held: list[Tenure], first: datetime.date, last: datetime.date) -> list[dict[str, str]]:
    """The days of [first, last] no tenure covers, as spans."""
    gaps: list[dict[str, str]] = []
    cursor = first
    for t in sorted(held, key=lambda t: t.start):
        if t.start > cursor:
            gap_end = min(t.start - datetime.timedelta(days=1), last)
            if gap_end >= cursor:
                gaps.append({"from": cursor.isoformat(), "until": gap_end.isoformat()})
        if t.end is None:
            cursor = last + datetime.timedelta(days=1)
        else:
            cursor = max(cursor, t.end + datetime.timedelta(days=1))
    if cursor <= last:
        gaps.append({"from": cursor.isoformat(), "until": last.isoformat()})
    return gaps


def _frequency(e: Entry, rows: list[Any], on_record: Any) -> None:
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


def _records(
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
            "entered_at": _iso(rec.entered_at),
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
                            "by": admitted.created_by.get_username() if admitted.created_by else "",
                            "at": _iso(admitted.created_at),
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


def _hazards(e: Entry, hazards: list[Hazard], day: datetime.date) -> None:
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


def _checklist(
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


def _reminders(e: Entry, start: datetime.date, day: datetime.date) -> None:
    person = Person.objects.filter(pk=e.person_id).first()
    if person is None or not person.user_id:
        return
    notes = Notification.objects.filter(
        user_id=person.user_id, created_at__date__gte=start, created_at__date__lte=day
    ).order_by("created_at")
    e.reminders = [{"at": _iso(n.created_at), "title": n.title} for n in notes]


def _grade(e: Entry) -> None:
    """The reading needs no more than the lines: see Entry.finding and docs/accountability.md."""
    if not e.lines:
        e.lines.append({"weight": INFO, "text": "窗口内该岗位无频次职责、无其他应查职责", "cites": []})


def _register_changes(
    links: list[dict[str, Any]],
    now_links: list[dict[str, Any]] | None,
    post_ids: list[int],
    sector_id: int,
    day: datetime.date,
    start: datetime.date,
    ref: datetime.datetime,
    kind: str,
) -> list[dict[str, Any]]:
    """Register rows entered (or ended) after the chain was put on record, for dates up to the day: flagged."""
    changes: list[dict[str, Any]] = []
    what = "事故登记" if kind == "accident" else "隐患上报"

    def dated(row: Any, label: str, model: str) -> None:
        if (
            row.recorded_at is not None
            and row.recorded_at > ref
            and _overlaps(row.start, row.end, start, day)
        ):
            changes.append(
                {
                    "kind": f"{model}_entered",
                    "post_id": getattr(row, "post_id", None),
                    "text": f"{label}（{cn_date(row.start) or '登记前'}起）于{cn_datetime(row.recorded_at)}录入，晚于{what}",
                    "entered_at": _iso(row.recorded_at),
                }
            )
        ended = row.end_entered_at
        if row.end is not None and row.end < day and ended is not None and ended > ref:
            if row.recorded_at is not None and row.recorded_at > ref:
                return  # the whole row is new: said above
            changes.append(
                {
                    "kind": f"{model}_ended",
                    "post_id": getattr(row, "post_id", None),
                    "text": f"{label}的终止日期 {cn_date(row.end)} 于{cn_datetime(ended)}补记（事后追溯终止）",
                    "entered_at": _iso(ended),
                }
            )

    for t in Tenure.objects.filter(post_id__in=post_ids, start__lte=day).select_related("person", "post"):
        dated(t, f"{t.post.title} {t.person.name} 的任职", "tenure")
    for p in Portfolio.objects.filter(post_id__in=post_ids, start__lte=day).select_related(
        "post", "unit", "sector"
    ):
        dated(p, f"{p.post.title} 分管 {p.unit or p.sector}", "portfolio")
    for s in (
        Supervision.objects.filter(sector_id=sector_id)
        .filter(Q(start__isnull=True) | Q(start__lte=day))
        .select_related("unit", "sector")
    ):
        dated(s, f"{s.unit.name} 监管 {s.sector.name}", "supervision")
    if now_links is not None:
        then = {(c.get("role"), c.get("post_id")): c for c in links}
        now = {(c.get("role"), c.get("post_id")): c for c in now_links}
        for key in list(then) + [k for k in now if k not in then]:
            old, new = then.get(key), now.get(key)
            if old is not None and new is not None and old.get("person_id") == new.get("person_id"):
                continue
            ref_link = new or old
            assert ref_link is not None
            changes.append(
                {
                    "kind": "holder_differs",
                    "post_id": ref_link.get("post_id"),
                    "text": (
                        f"登记册现记载{cn_date(day)}{ref_link.get('role_label')}“{ref_link.get('post')}”为"
                        f"{(new or {}).get('person') or '空缺' if new else '（不在责任链中）'}，"
                        f"{what}时为{(old or {}).get('person') or '空缺' if old else '（不在责任链中）'}"
                    ),
                    "entered_at": None,
                }
            )
    return changes
