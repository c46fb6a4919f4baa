"""Gather each subject's facts for a year from the records: bodies, villages, and the town's leaders.

Who answers for what (docs/assessment.md):
- a body (镇属机构及驻镇单位): the sectors it supervised in the year (谁主管、谁负责), the hazards it owns, its
  own posts' duties, trainings and 目标责任书;
- a village (嘎查村): its territory (属地) — accidents and hazards located there — and its posts;
- a leader, per post held in the year: the party secretary, the mayor and the deputy in charge of safety answer
  for the whole town (全面领导 / 综合监督管理); every other leader for the bodies and sectors of their
  portfolios (分管); only what happened while they held the post counts, and their own duties as that post.

The year is judged whole once it has ended (`closed`): every period of the year counts as ended, those ending
on the cut-off day (31 December) too, so a period is met or missed and nothing drops out as "at risk". Before
the year ends the assessment is provisional (预评): periods ended before the cut-off day are judged, the periods
still running are listed as open (with what is done so far) and not counted.

`gather()` reads every table once and works in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q

from yigang.accidents.grading import Grade as AccidentGrade
from yigang.accidents.models import Accident, FindingKind
from yigang.duties.compliance import Row, Status
from yigang.duties.compliance import compute as compliance
from yigang.duties.models import Credit
from yigang.hazards.models import Hazard
from yigang.org.models import Portfolio, Supervision, Tenure, Unit, UnitKind
from yigang.places.coverage import ItemRow
from yigang.places.coverage import compute as coverage
from yigang.regulations.choices import DutyKind, PostKind
from yigang.signoff.indicators import INDICATORS as TARGET_INDICATORS
from yigang.signoff.models import Document, Kind, TargetItem, TargetLetter
from yigang.towns.models import Town

from .scoring import Facts

LEADER_UNITS = (UnitKind.GOVERNMENT, UnitKind.PARTY, UnitKind.CONGRESS, UnitKind.DISCIPLINE)
WHOLE_TOWN_POSTS = (PostKind.PARTY_SECRETARY, PostKind.MAYOR, PostKind.SAFETY_DEPUTY)
LARGER = (AccidentGrade.LARGER, AccidentGrade.MAJOR, AccidentGrade.EXTRAORDINARY)


@dataclass
class Subject:
    key: str
    kind: str  # "unit" or "person"
    name: str
    unit_id: int | None = None
    unit_kind: str = ""
    person_id: int | None = None
    post_id: int | None = None
    post: str = ""
    span: tuple[datetime.date, datetime.date] | None = None
    facts: Facts = field(default_factory=Facts)


def _overlaps(start: Any, end: Any, first: datetime.date, last: datetime.date) -> bool:
    return (start is None or start <= last) and (end is None or end >= first)


def _ref(kind: str, pk: int, label: str) -> dict[str, Any]:
    return {"kind": kind, "id": pk, "label": label}


@dataclass
class _Reach:
    """What each body supervised and each leader's post was in charge of during the year (谁主管、分管)."""

    supervised: dict[int, set[int]]  # unit id -> sector ids
    portfolio_units: dict[int, set[int]]  # post id -> unit ids
    portfolio_sectors: dict[int, set[int]]  # post id -> sector ids, those of the units in charge of included


@dataclass
class _YearRecords:
    """Everything the subjects' facts are counted from, read once for the whole town and year."""

    first: datetime.date
    last: datetime.date
    reach: _Reach
    rows: list[Row]  # compliance rows judged (met or missed)
    open_rows: list[Row]  # compliance rows of periods still running (预评: listed, not counted)
    hazards: list[Hazard]
    accidents: list[Accident]
    trainings: list[Credit]
    letters: list[TargetLetter]
    items: list[TargetItem]
    coverage: list[ItemRow] = field(default_factory=list)  # the supervision plans' lines, judged on judged_on
    judged_on: datetime.date | None = None


def gather(town: Town, year: int, as_of: datetime.date, *, closed: bool = True) -> list[Subject]:
    """Every subject's facts for `year` from the records up to `as_of` (the cut-off day). `closed`: the year has
    ended and is judged whole; otherwise periods not ended before `as_of` are open (预评)."""
    first, last = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), as_of)
    # The day compliance is judged on: the day after the year for a closed year (every period ended, those
    # ending on 31 December too); the cut-off day itself for a provisional one (a period ending that day runs).
    judged_on = datetime.date(year + 1, 1, 1) if closed else last
    subjects = _subjects(town, first, last)
    reach = _reach(town, first, last)
    records = _read_records(town, year, first, last, judged_on, reach)
    for subject in subjects:
        _fill(subject, records)
    return subjects


def _subjects(town: Town, first: datetime.date, last: datetime.date) -> list[Subject]:
    """The bodies and villages that existed in the year, then one subject per leader's tenure of a post."""
    subjects: list[Subject] = []
    units = Unit.objects.filter(town=town, kind__in=(UnitKind.BODY, UnitKind.VILLAGE)).order_by(
        "kind", "name"
    )
    for u in units:
        if _overlaps(u.valid_from, u.valid_until, first, last):
            subjects.append(
                Subject(key=f"unit:{u.pk}", kind="unit", name=u.name, unit_id=u.pk, unit_kind=u.kind)
            )
    tenures = (
        Tenure.objects.filter(town=town, post__unit__kind__in=LEADER_UNITS, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .select_related("post", "person")
        .order_by("post__unit__kind", "post__title", "start")
    )
    for t in tenures:
        span = (max(t.start, first), min(t.end or last, last))
        subjects.append(
            Subject(
                key=f"person:{t.person_id}:{t.post_id}",
                kind="person",
                name=t.person.name,
                person_id=t.person_id,
                post_id=t.post_id,
                post=t.post.title,
                unit_kind=t.post.kind,
                span=span,
            )
        )
    return subjects


def _reach(town: Town, first: datetime.date, last: datetime.date) -> _Reach:
    """The supervision and the portfolios in force on some day of the year."""
    supervised: dict[int, set[int]] = defaultdict(set)
    for s in Supervision.objects.filter(town=town):
        if _overlaps(s.start, s.end, first, last):
            supervised[s.unit_id].add(s.sector_id)
    portfolio_units: dict[int, set[int]] = defaultdict(set)
    portfolio_sectors: dict[int, set[int]] = defaultdict(set)
    for p in Portfolio.objects.filter(town=town):
        if _overlaps(p.start, p.end, first, last):
            if p.unit_id:
                portfolio_units[p.post_id].add(p.unit_id)
                portfolio_sectors[p.post_id] |= supervised.get(p.unit_id, set())
            if p.sector_id:
                portfolio_sectors[p.post_id].add(p.sector_id)
    return _Reach(supervised, portfolio_units, portfolio_sectors)


def _read_records(
    town: Town, year: int, first: datetime.date, last: datetime.date, judged_on: datetime.date, reach: _Reach
) -> _YearRecords:
    """The year's compliance, hazards, accidents, trainings and target letters of the town, each read once."""
    all_rows = compliance(town, year, today=judged_on).rows
    # A row's own last day (a holder who left mid-period has ended their part) decides whether it is judged.
    rows = [r for r in all_rows if r.status in (Status.MET, Status.MISSED) and r.end < judged_on]
    open_rows = [
        r
        for r in all_rows
        if r.required > 0
        and r.period_start <= last
        and r.end >= judged_on
        and r.status in (Status.MET, Status.ON_TRACK, Status.AT_RISK)
    ]
    hazards = list(
        Hazard.objects.filter(town=town, found_on__year=year, found_on__lte=last).order_by("found_on", "pk")
    )
    accidents = list(
        Accident.objects.filter(town=town, latest__occurred_on__year=year, latest__occurred_on__lte=last)
        .select_related("latest__unit")
        .prefetch_related("versions", "findings")
        .order_by("latest__occurred_at", "pk")
    )
    trainings = list(
        Credit.objects.filter(
            town=town,
            record__kind=DutyKind.TRAINING,
            record__occurred_on__gte=first,
            record__occurred_on__lte=last,
            record__amended_by__isnull=True,
            record__withdrawn=False,
        ).select_related("record", "post")
    )
    documents = Document.objects.filter(town=town, kind=Kind.TARGET_LETTER, year=year)
    letters = list(TargetLetter.objects.filter(document__in=documents))
    items = list(TargetItem.objects.filter(document__in=documents).exclude(indicator=""))
    plans = coverage(town, year, at=judged_on).items
    return _YearRecords(
        first, last, reach, rows, open_rows, hazards, accidents, trainings, letters, items, plans, judged_on
    )


def _fill(s: Subject, records: _YearRecords) -> None:
    """One subject's facts, each part from the records that are its own."""
    _fill_duties(s, records)
    _fill_hazards(s, records)
    _fill_trainings(s, records)
    _fill_coverage(s, records)
    _fill_accidents(s, records)
    _fill_targets(s, records)


def _days(s: Subject, records: _YearRecords) -> tuple[datetime.date, datetime.date]:
    """The days a subject answers for: a leader's days in the post, a body's or village's whole year."""
    return s.span or (records.first, records.last)


def _answers_for_whole_town(s: Subject) -> bool:
    return s.kind == "person" and s.unit_kind in WHOLE_TOWN_POSTS


def _mine_hazard(s: Subject, h: Hazard, records: _YearRecords) -> bool:
    """A body's hazards are those it owns, a village's those located there, a leader's those in the portfolio."""
    if s.kind == "unit":
        return h.owner_unit_id == s.unit_id if s.unit_kind == UnitKind.BODY else h.village_id == s.unit_id
    lo, hi = _days(s, records)
    if not lo <= h.found_on <= hi:
        return False
    assert s.post_id is not None
    reach = records.reach
    return (
        _answers_for_whole_town(s)
        or h.owner_unit_id in reach.portfolio_units[s.post_id]
        or h.sector_id in reach.portfolio_sectors[s.post_id]
    )


def _mine_accident(s: Subject, a: Accident, records: _YearRecords) -> bool:
    """A village's accidents are those located there, a body's those of it or its sectors, a leader's those in
    the portfolio."""
    r = a.latest
    assert r is not None
    reach = records.reach
    if s.kind == "unit":
        if s.unit_kind == UnitKind.VILLAGE:
            return r.village_id == s.unit_id
        assert s.unit_id is not None
        return r.unit_id == s.unit_id or r.sector_id in reach.supervised.get(s.unit_id, set())
    lo, hi = _days(s, records)
    if not lo <= r.occurred_on <= hi:
        return False
    assert s.post_id is not None
    return (
        _answers_for_whole_town(s)
        or r.unit_id in reach.portfolio_units[s.post_id]
        or r.sector_id in reach.portfolio_sectors[s.post_id]
    )


def _mine_row(s: Subject, r: Row) -> bool:
    if s.kind == "unit":
        return bool(r.unit_id == s.unit_id)
    return bool(r.person_id == s.person_id and r.post_id == s.post_id)


def _fill_duties(s: Subject, records: _YearRecords) -> None:
    """Duties (履职): the subject's own posts' rows."""
    f = s.facts
    mine_rows = [r for r in records.rows if _mine_row(s, r)]
    mine_open = [r for r in records.open_rows if _mine_row(s, r)]
    f.compliance_open = len(mine_open)
    f.records["duty_compliance_open"] = [
        _ref(
            "compliance",
            r.duty_id,
            f"{r.post} {r.place} {r.kind_label} {r.period_label}：尚未结束，应 {r.required} 次，"
            f"已完成 {r.done} 次（未计分）",
        )
        for r in mine_open
    ]
    f.compliance_required = sum(r.required for r in mine_rows)
    f.compliance_done = sum(min(r.done, r.required) for r in mine_rows)
    f.records["duty_compliance"] = [
        _ref(
            "compliance",
            r.duty_id,
            f"{r.post} {r.place} {r.kind_label} {r.period_label}：应 {r.required} 次，完成 {r.done} 次",
        )
        for r in mine_rows
        if r.done < r.required
    ]


def _fill_hazards(s: Subject, records: _YearRecords) -> None:
    """Hazards (隐患): due by the day assessed, closed on or before the deadline."""
    f = s.facts
    mine_h = [h for h in records.hazards if _mine_hazard(s, h, records)]
    due = [h for h in mine_h if h.deadline <= records.last]
    on_time = [h for h in due if h.closed_on is not None and h.closed_on <= h.deadline]
    overdue = [h for h in due if h.closed_on is None or h.closed_on > h.deadline]
    f.hazards_due, f.hazards_on_time, f.overdue_hazards = len(due), len(on_time), len(overdue)
    f.records["hazards_on_time"] = [_ref("hazard", h.pk, f"{h.number} 逾期") for h in overdue]
    f.records["overdue_hazard"] = f.records["hazards_on_time"]


def _fill_trainings(s: Subject, records: _YearRecords) -> None:
    """Trainings (培训宣传): records crediting the subject's posts."""
    f = s.facts
    lo, hi = _days(s, records)
    mine_t = {
        c.record_id: c.record
        for c in records.trainings
        if (
            c.post.unit_id == s.unit_id
            if s.kind == "unit"
            else (c.post_id == s.post_id and lo <= c.record.occurred_on <= hi)
        )
    }
    f.trainings = len(mine_t)
    f.records["trainings"] = [_ref("duty_record", pk, str(r)) for pk, r in sorted(mine_t.items())]


def _fill_coverage(s: Subject, records: _YearRecords) -> None:
    """Supervision coverage (监管对象检查覆盖): a body's plan lines, period by period, as places.coverage judges them.
    As with duties, only periods ended before the day judged on count (met or missed); a period still running on
    it (预评) is listed, not counted — even if already met, so a provisional rate never runs ahead of the year's."""
    f = s.facts
    if s.kind != "unit" or records.judged_on is None:
        return
    judged_on = records.judged_on
    missed, running = [], []
    for line in (i for i in records.coverage if i.unit_id == s.unit_id):
        for p in line.periods:
            if p.owed <= 0:
                continue
            if p.end < judged_on:
                f.coverage_judged += 1
                f.coverage_met += p.status == "met"
                if p.status != "met":
                    missed.append(
                        _ref(
                            "place",
                            line.place_id,
                            f"{line.place} {p.label}：应检查 {p.owed} 次，检查 {p.done} 次",
                        )
                    )
            elif p.start <= records.last:
                f.coverage_open += 1
                running.append(
                    _ref(
                        "place",
                        line.place_id,
                        f"{line.place} {p.label}：尚未结束，应检查 {p.owed} 次，已检查 {p.done} 次（未计分）",
                    )
                )
    f.records["supervision_coverage"] = missed
    f.records["supervision_coverage_open"] = running


def _fill_accidents(s: Subject, records: _YearRecords) -> None:
    """Accidents (事故): late reports, findings, deaths and grades."""
    f = s.facts
    mine_a = [a for a in records.accidents if _mine_accident(s, a, records)]
    f.accidents = len(mine_a)
    f.records["accident"] = [_ref("accident", a.pk, str(a)) for a in mine_a]
    late = [a for a in mine_a if any(v.late_by is not None for v in a.versions.all())]
    f.late_reports = len(late)
    f.records["late_report"] = [_ref("accident", a.pk, f"{a} 迟报") for a in late]
    vetoing: list[dict[str, Any]] = []
    for a in mine_a:
        assert a.latest is not None
        kinds = {x.kind for x in a.findings.all()}
        if a.latest.deaths:
            f.deaths += a.latest.deaths
            vetoing.append(_ref("accident", a.pk, f"{a} 死亡 {a.latest.deaths} 人"))
        if kinds & {FindingKind.CONCEALED, FindingKind.FALSE}:
            f.concealed_or_false += 1
            vetoing.append(_ref("accident", a.pk, f"{a} 认定为瞒报或谎报"))
        if a.latest.grade in LARGER:
            f.larger_accidents += 1
            vetoing.append(_ref("accident", a.pk, f"{a} {a.latest.grade}事故"))
    f.records["veto"] = vetoing


def _fill_targets(s: Subject, records: _YearRecords) -> None:
    """Target letters (目标责任书): the measurable items of the letters the subject signed, judged on the facts
    counted above (so this part comes last)."""
    f = s.facts
    mine_l = [
        letter
        for letter in records.letters
        if (letter.unit_id == s.unit_id if s.kind == "unit" else letter.post_id == s.post_id)
    ]
    figures = {
        "deaths": Decimal(f.deaths),
        "duty_compliance_rate": _percent(f.compliance_done, f.compliance_required),
        "hazards_closed_on_time_rate": _percent(f.hazards_on_time, f.hazards_due),
        "trainings_held": Decimal(f.trainings),
    }
    f.records["target_items"] = []
    for letter in mine_l:
        for item in (i for i in records.items if i.document_id == letter.document_id):
            met = _met(item, figures)
            if met is None:
                continue
            f.targets_total += 1
            f.targets_met += met
            if not met:
                f.records["target_items"].append(_ref("target_letter", letter.pk, f"{item.text}：未完成"))


def _percent(part: int, whole: int) -> Decimal:
    return Decimal(100) if whole <= 0 else Decimal(part) * 100 / Decimal(whole)


def _met(item: TargetItem, figures: dict[str, Decimal]) -> bool | None:
    indicator = TARGET_INDICATORS.get(item.indicator)
    if indicator is None or item.indicator not in figures:
        return None
    try:
        target = Decimal(item.target)
    except InvalidOperation:
        return None
    figure = figures[item.indicator]
    return {"eq": figure == target, "gte": figure >= target, "lte": figure <= target}[indicator.comparison]
