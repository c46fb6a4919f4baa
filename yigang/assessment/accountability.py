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
from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone

from yigang.accidents.actions import freeze_chain
from yigang.accidents.models import Accident, OnSiteTask
from yigang.duties.compliance import Status
from yigang.duties.compliance import compute as compliance
from yigang.duties.models import DutyRecord
from yigang.hazards.models import Hazard
from yigang.months import months_before
from yigang.org.chain import regulation_at
from yigang.org.models import Portfolio, Post, Sector, Supervision, Tenure, Unit
from yigang.org.sector_words import names_of
from yigang.towns.naming import display_name

from . import conduct
from .dates import cn_date, cn_datetime, iso
from .entries import (
    MINOR,
    UNKNOWN_ENTRY,
    Entry,
    File,
)

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
    from .models import LateAdmission

    start = months_before(day, months)
    before = day - datetime.timedelta(days=1)
    sector = Sector.objects.get(pk=sector_id)
    village = Unit.objects.filter(pk=village_id).first() if village_id else None
    post_ids, posts, link_of = _posts_of(links, now_links)

    tenures = list(
        Tenure.objects.filter(post_id__in=post_ids, start__lte=before if before >= start else day)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("person")
        .order_by("post_id", "start")
    )
    chain = _chain_rows(links, tenures, day)

    admissions = {
        a.record_id: a
        for a in LateAdmission.objects.filter(subject_kind=kind, subject_id=obj_id).select_related(
            "created_by"
        )
    }

    # The frequency duties judged: periods that ended in the window, as compliance counts them (every record now
    # in the system); `done` is then counted again with only what was on record at the as-of moment.
    rows = _judged_periods(sector, start, before)
    on_record = _on_record(rows, as_of, admissions)

    hazards = list(
        Hazard.objects.filter(
            sector_id=sector_id, village_id=village_id, found_on__gte=start, found_on__lt=day
        )
        .exclude(pk=exclude_hazard or 0)
        .order_by("found_on", "pk")
    )
    duty_texts = _duty_texts(sector, day)
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
        post_rows.append(_post_row(post, held, start, before, first, last))
        for t in held:
            e = _entry(t, post, link, links, start, before)
            if any(x.person_id == e.person_id and x.post_id == post_id for x in entries):
                continue
            conduct.frequency(e, rows, on_record)
            conduct.records(e, start, before, as_of, admissions, late)
            conduct.hazards(e, hazards, day)
            conduct.checklist(e, post, duty_texts.get(post.kind, []), place_words, as_of, admissions)
            conduct.reminders(e, start, day)
            conduct.grade(e)
            entries.append(e)

    findings = _findings(kind, obj_id)
    return File(
        subject=subject,
        at=at,
        day=day,
        chain=chain,
        entries=entries,
        kind=kind,
        obj_id=obj_id,
        town_id=town_id,
        as_of=iso(as_of) or "",
        register_as_of=iso(register_as_of) or "",
        window={"start": start.isoformat(), "end": before.isoformat(), "months": months},
        posts=post_rows,
        register_changes=_register_changes(
            links, now_links, post_ids, sector_id, day, start, register_as_of, kind
        ),
        late_records=sorted(late.values(), key=lambda r: (r["entered_at"], r["id"])),
        findings=findings,
    )


def _posts_of(
    links: list[dict[str, Any]], now_links: list[dict[str, Any]] | None
) -> tuple[list[int], dict[int, Post], dict[int, dict[str, Any]]]:
    """The posts the file covers: the chain's as on record, then any the register names today (an accident's)."""
    post_ids = list(
        dict.fromkeys(link["post_id"] for link in links + (now_links or []) if link.get("post_id"))
    )
    posts = {p.pk: p for p in Post.objects.filter(pk__in=post_ids).select_related("unit")}
    link_of = {link["post_id"]: link for link in links if link.get("post_id")}
    for link in now_links or []:
        if link.get("post_id"):
            link_of.setdefault(link["post_id"], link)
    return post_ids, posts, link_of


def _on_record(rows: list[Any], as_of: datetime.datetime, admissions: dict[int, Any]) -> Any:
    """Whether a counted record was on record at the as-of moment (or its 补录 was admitted): one query for all."""
    counted_ids = {ref.id for r in rows for ref in r.records}
    entered = dict(DutyRecord.objects.filter(pk__in=counted_ids).values_list("pk", "entered_at"))

    def on_record(record_id: int, root_id: int) -> bool:
        when = entered.get(record_id)
        return when is None or when <= as_of or root_id in admissions

    return on_record


def _chain_rows(
    links: list[dict[str, Any]], tenures: list[Tenure], day: datetime.date
) -> list[dict[str, Any]]:
    """The chain as on record, each link with when its holder's tenure was entered (or that it was not recorded)."""
    on_day: dict[tuple[Any, Any], Tenure] = {
        (t.post_id, t.person_id): t for t in tenures if t.start <= day and (t.end is None or t.end >= day)
    }
    chain = []
    for link in links:
        row = {k: link.get(k) for k in _WHO_KEYS}
        held = on_day.get((link.get("post_id"), link.get("person_id")))
        row["entered_at"] = iso(held.recorded_at) if held is not None else None
        row["entered_note"] = UNKNOWN_ENTRY if held is not None and held.recorded_at is None else ""
        chain.append(row)
    return chain


def _judged_periods(sector: Sector, start: datetime.date, before: datetime.date) -> list[Any]:
    """The frequency-duty periods that ended in the window and were judged (met or missed), as compliance counts
    them with every record now in the system; the file then recounts `done` with what was on record."""
    rows = []
    for year in range(start.year, before.year + 1):
        rows += [
            r
            for r in compliance(sector.town, year, today=before).rows
            if start <= r.period_end <= before and r.status in (Status.MET, Status.MISSED) and r.person_id
        ]
    return rows


def _duty_texts(sector: Sector, day: datetime.date) -> dict[str, list[str]]:
    """The regulation's duty texts per post kind, as in force on the day (the checklist matches its words)."""
    regulation = regulation_at(sector.town, day)
    duty_texts: dict[str, list[str]] = defaultdict(list)
    if regulation is not None:
        for post_kind, text in regulation.duties.values_list("post", "text"):
            duty_texts[post_kind].append(text)
    return duty_texts


def _entry(
    t: Tenure,
    post: Post,
    link: dict[str, Any],
    links: list[dict[str, Any]],
    start: datetime.date,
    before: datetime.date,
) -> Entry:
    """One holder of a post over the window; `in_chain` when the chain on record names this very person."""
    return Entry(
        person=t.person.name,
        person_id=t.person_id,
        post=post.title,
        post_id=post.pk,
        level=link.get("level") or "",
        role_label=link.get("role_label") or "",
        in_chain=any(c.get("post_id") == post.pk and c.get("person_id") == t.person_id for c in links),
        held_from=max(t.start, start),
        held_until=min(t.end or before, before),
    )


def _post_row(
    post: Post,
    held: list[Tenure],
    start: datetime.date,
    before: datetime.date,
    first: datetime.date,
    last: datetime.date,
) -> dict[str, Any]:
    """A post of the chain over the window: every holder with their dates and entry time, and the vacancies."""
    return {
        "post_id": post.pk,
        "post": post.title,
        "unit": post.unit.name,
        "holders": [
            {
                "person": t.person.name,
                "person_id": t.person_id,
                "from": max(t.start, start).isoformat(),
                "until": min(t.end or before, before).isoformat(),
                "entered_at": iso(t.recorded_at),
            }
            for t in held
        ],
        "vacancies": _vacancies(held, first, last),
    }


def _findings(kind: str, obj_id: int) -> list[dict[str, Any]]:
    """The 安委办's recorded findings on this file's subject, oldest first (the file is evidence, not the decision)."""
    from .models import FileFinding

    return [
        {
            "person": f.person.name,
            "person_id": f.person_id,
            "post": f.post.title,
            "post_id": f.post_id,
            "verdict": f.verdict,
            "verdict_label": f.get_verdict_display(),
            "reasons": f.reasons,
            "method": f.get_method_display(),
            "by": display_name(f.created_by, f.created_at),
            "at": iso(f.created_at),
        }
        for f in FileFinding.objects.filter(subject_kind=kind, subject_id=obj_id)
        .select_related("person", "post", "created_by")
        .order_by("created_at", "pk")
    ]


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
                    "entered_at": iso(row.recorded_at),
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
                    "entered_at": iso(ended),
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
