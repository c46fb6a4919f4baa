"""The rows of one town from what `reading` read: for each post, each duty line that binds it and each period of
the year, what the seat owes, how it is shared between the holders and the vacancy, and each share's status."""

from __future__ import annotations

import bisect
import functools
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from yigang.org.models import Post, Tenure
from yigang.regulations.choices import DutyKind, Period
from yigang.regulations.models import Duty
from yigang.regulations.periods import (
    D,
    PeriodSpan,
    Span,
    days_until,
    intersect_all,
    periods_of_year,
    subtract,
    total_days,
)
from yigang.towns.models import Town

from ..models import TownDuty
from ..rules import matches_of
from .reading import DutyLine, TownsRecords
from .results import Level, RecordRef, Row, Status, TownYear

# Thresholds for a period still running (docs/compliance.md): behind by one whole record against a steady pace,
# or into the last third of the period with something still to do, is "at risk".
AT_RISK_ELAPSED = 2 / 3


def round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def largest_remainder(total: int, weights: list[int], last_days: list[D] | None = None) -> list[int]:
    """Share `total` in proportion to `weights` (days held) so that the shares add up to `total` exactly.

    Each share first gets the whole part of its quota `total × weight ÷ Σweights`; the records left over go one
    each to the largest remainders. Equal remainders: the share whose days end later first (it holds the post
    nearer the period's end), then the earlier in the list.
    """
    whole = sum(weights)
    if whole <= 0 or total <= 0:
        return [0] * len(weights)
    shares = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    ends = last_days or [D.min] * len(weights)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], -ends[i].toordinal(), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def town_year(town: Town, read: TownsRecords, *, year: int, today: D, window: Span) -> TownYear:
    """One town's rows from its group's records: post by post, each post's lines in the regulation's order (the
    town's own duties last)."""
    lines = read.lines_of[town.pk]
    matching = {kind: matches_of(read.tables.get(town.pk), kind) for kind in DutyKind.values}
    rows: list[Row] = []
    post_rows: list[Row] = []
    line_order = sorted(
        lines.values(),
        key=lambda ln: (ln.post_id is not None, ln.article or 0, ln.item or 0, ln.kind, ln.period),
    )
    for post in read.posts_of[town.pk]:
        found = _merged(read.evidence, post.pk, matching)
        exists = _post_existence(post, read.tenures_by_post[post.pk], window)
        for line in line_order:
            if not line.binds(post):
                continue
            for row in _rows_for(
                line, post, exists, read.tenures_by_post[post.pk], found, year, today, window
            ):
                (post_rows if row.level == Level.POST else rows).append(row)
    return TownYear(town=town, year=year, today=today, rows=rows, post_rows=post_rows)


def _merged(
    evidence: dict[tuple[int, str], list[RecordRef]], post_id: int, matching: Mapping[str, list[str]]
) -> dict[str, list[RecordRef]]:
    """A post's counting records by duty kind: the records of every kind that meets it, by date then id."""
    merged: dict[str, list[RecordRef]] = {}
    for duty_kind, record_kinds in matching.items():
        found = [t for kind in record_kinds for t in evidence.get((post_id, kind), ())]
        found.sort()  # by date, then id (RecordRef's field order; ids are unique, so no title is compared)
        merged[duty_kind] = found
    return merged


def _post_existence(post: Post, tenures: list[Tenure], window: Span) -> list[Span]:
    """The days the post existed: from the later of the post's and its unit's `valid_from` (empty: it existed
    before the register began) to the earlier of their `valid_until`. A post or unit marked abolished without
    a last day existed until the end of its last tenure."""
    starts = [d for d in (post.valid_from, post.unit.valid_from) if d is not None]
    ends = [d for d in (post.valid_until, post.unit.valid_until) if d is not None]
    first = max(starts) if starts else D.min
    if ends:
        last = min(ends)
    elif post.active and post.unit.active:
        last = D.max
    elif tenures:
        tenure_ends = [t.end for t in tenures]
        last = D.max if any(e is None for e in tenure_ends) else max(e for e in tenure_ends if e is not None)
    else:
        return []
    span = Span(max(first, window.start), min(last, window.end))
    return [span] if span.start <= span.end else []


def _count(found: list[RecordRef], days: list[D], spans: list[Span]) -> list[RecordRef]:
    """The records of `found` (in date order; `days` their dates) that fall on the days of `spans`."""
    refs: list[RecordRef] = []
    for span in spans:
        lo = bisect.bisect_left(days, span.start)
        hi = bisect.bisect_right(days, span.end)
        refs.extend(found[lo:hi])
    return refs


def _rows_for(
    line: DutyLine,
    post: Post,
    exists: list[Span],
    tenures: list[Tenure],
    evidence: dict[str, list[RecordRef]],
    year: int,
    today: D,
    window: Span,
) -> list[Row]:
    periods = _periods(line.period, year)
    line_spans = line.spans
    if not any(intersect_all(line_spans, p) for p in periods):
        return []  # the duty binds no day of this year (an old or a future version)
    found = evidence.get(line.kind, [])
    if line.needs_lead:
        found = [t for t in found if t.led]
    days = [t.on for t in found]  # once per line, not once per period and holder
    labels = _labels(line.period, year)
    common: dict[str, Any] = {  # what every row of this post and line says
        "post_id": post.pk,
        "post": post.title,
        "unit": post.unit.name,
        "unit_id": post.unit_id,
        "kind": line.kind,
        "period": line.period,
        "article": line.article,
        "item": line.item,
        "min_count": line.min_count,
        "source": line.source,
    }
    tenure_spans = [(t, Span(t.start, t.end or D.max)) for t in tenures]
    rows = []
    for period in periods:
        bound = [
            s for span in intersect_all(line_spans, period) for s in intersect_all(exists, span)
        ]  # the days the duty bound this post in this period
        base: dict[str, Any] = {
            **common,
            "period_start": period.start,
            "period_end": period.end,
            "period_label": labels[period],
        }
        if not bound:
            rows.extend(_idle_rows(line, period, base, tenures))
            continue
        rows.extend(_shared_rows(line, period, base, bound, tenure_spans, found, days, today))
    return rows


def _idle_rows(line: DutyLine, period: PeriodSpan, base: dict[str, Any], tenures: list[Tenure]) -> list[Row]:
    """A period in which the duty never bound the post: a "not applicable" row for the holder (or the vacancy)
    on the period's first day and one for the seat, so the period is still listed."""
    duty, version = _describe(line, period)
    holder = _holder_on(tenures, period.start)
    idle: dict[str, Any] = {
        "duty_id": duty.pk,
        "required": 0,
        "done": 0,
        "status": Status.NOT_APPLICABLE,
        "duty_text": duty.text,
        "regulation_version": version,
    }
    return [
        Row(
            **base,
            **idle,
            person_id=holder.person_id if holder else None,
            person=holder.person.name if holder else None,
            level=Level.HOLDER if holder else Level.VACANCY,
        ),
        Row(**base, **idle, person_id=None, person=None, level=Level.POST),
    ]


def _shared_rows(
    line: DutyLine,
    period: PeriodSpan,
    base: dict[str, Any],
    bound: list[Span],
    tenure_spans: list[tuple[Tenure, Span]],
    found: list[RecordRef],
    days: list[D],
    today: D,
) -> list[Row]:
    """A period the duty bound the post on the days `bound`: what the seat owes, shared between the holders and
    the vacancy by days held, each share judged on its own days, then the seat as a whole."""
    duty, version = line.latest(Span(bound[0].start, bound[-1].end))
    held: dict[int, list[Span]] = defaultdict(list)
    people: dict[int, str] = {}
    for tenure, tenure_span in tenure_spans:
        for s in bound:
            part = s.intersect(tenure_span)
            if part:
                held[tenure.person_id].append(part)
                people[tenure.person_id] = tenure.person.name
    vacant = subtract(bound, [s for spans in held.values() for s in spans])
    bound_days = total_days(bound)
    # What the seat owes: the minimum for a whole period, pro rata for the part of it the post existed.
    owed = (
        line.min_count
        if bound_days == period.days
        else round_half_up(line.min_count * bound_days, period.days)
    )
    shares: list[tuple[int | None, list[Span]]] = [(pid, sorted(spans)) for pid, spans in held.items()]
    if vacant:
        shares.append((None, vacant))
    required = largest_remainder(
        owed, [total_days(spans) for _pid, spans in shares], [max(s.end for s in sp) for _p, sp in shares]
    )
    judge = functools.partial(
        _judge,
        base=base,
        period=period,
        found=found,
        found_days=days,
        today=today,
        duty=duty,
        version=version,
    )
    rows = []
    for (person_id, spans), share in zip(shares, required, strict=True):
        if person_id is None and held and share == 0:
            continue  # a gap too short to owe anything is not reported
        name = people[person_id] if person_id is not None else None
        rows.append(judge(spans=spans, required=share, person_id=person_id, person=name))
    rows.append(judge(spans=bound, required=owed, person_id=None, person=None, level=Level.POST))
    return rows


def _judge(
    *,
    base: dict[str, Any],
    spans: list[Span],
    period: PeriodSpan,
    required: int,
    found: list[RecordRef],
    found_days: list[D],
    today: D,
    person_id: int | None,
    person: str | None,
    duty: Duty | TownDuty,
    version: int,
    level: str | None = None,
) -> Row:
    level = level or (Level.HOLDER if person_id is not None else Level.VACANCY)
    days = total_days(spans)
    refs = _count(found, found_days, spans)
    done = len(refs)
    last = max(s.end for s in spans)
    if period.start > today:
        status = Status.NOT_APPLICABLE
    elif level == Level.VACANCY:
        status = Status.VACANT
    elif required == 0:
        status = Status.NOT_APPLICABLE
    elif done >= required:
        status = Status.MET
    elif last < today:
        status = Status.MISSED
    else:
        elapsed = days_until(spans, today) / days
        behind_pace = done < int(required * elapsed)
        status = Status.AT_RISK if behind_pace or elapsed >= AT_RISK_ELAPSED else Status.ON_TRACK
    return Row(
        **base,
        person_id=person_id,
        person=person,
        duty_id=duty.pk,
        required=required,
        done=done,
        status=status,
        spans=spans,
        records=refs,
        duty_text=duty.text,
        regulation_version=version,
        level=level,
    )


def _describe(line: DutyLine, period: Span) -> tuple[Duty | TownDuty, int]:
    # A period the duty does not reach: name it after the version nearest in time that carries it.
    def distance(entry: tuple[Span, Duty | TownDuty, int]) -> int:
        span = entry[0]
        if span.end < period.start:
            return (period.start - span.end).days
        if span.start > period.end:
            return (span.start - period.end).days
        return 0

    _span, duty, version = min(line.in_force, key=distance)
    return duty, version


def _holder_on(tenures: list[Tenure], day: D) -> Tenure | None:
    for tenure in tenures:
        if tenure.start <= day and (tenure.end is None or tenure.end >= day):
            return tenure
    return None


@functools.lru_cache(maxsize=64)
def _periods(kind: str, year: int) -> tuple[PeriodSpan, ...]:
    """periods_of_year, made once per kind and year (they never change; PeriodSpan is frozen)."""
    return tuple(periods_of_year(kind, year))


@functools.lru_cache(maxsize=64)
def _labels(kind: str, year: int) -> Mapping[PeriodSpan, str]:
    return {period: _label(period, year) for period in _periods(kind, year)}


def _label(period: PeriodSpan, year: int) -> str:
    if period.kind in (Period.WEEK, Period.TWO_WEEKS):
        return f"{year}年{period.label}（{period.start:%m.%d}—{period.end:%m.%d}）"
    if period.kind == Period.YEAR:
        return period.label
    return f"{year}年{period.label}"
