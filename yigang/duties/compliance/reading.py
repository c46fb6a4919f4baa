"""Reading what compliance needs for a group of towns and a year, in seven queries whatever the number of records:
the duties in force (one `DutyLine` per duty that continues unchanged across versions), the posts they bind, who
held them, the records that count and each town's table of which record kinds meet which duty kind."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from yigang.org.models import Post, Tenure
from yigang.regulations.models import Duty, Regulation
from yigang.regulations.models import Status as RegulationStatus
from yigang.regulations.periods import D, Span
from yigang.towns.models import Town

from ..models import Credit, RecordRules, TownDuty
from ..rules import needs_lead
from .results import RecordRef, Source


@dataclass
class DutyLine:
    """One duty across the versions that carry it unchanged, with the days each version was in force."""

    key: tuple[Any, ...]
    post_kind: str
    kind: str
    period: str
    min_count: int
    article: int | None
    item: int | None
    in_force: list[tuple[Span, Duty | TownDuty, int]] = field(default_factory=list)
    post_id: int | None = None  # a town duty binds one post, not a post kind

    def binds(self, post: Post) -> bool:
        return post.pk == self.post_id if self.post_id is not None else post.kind == self.post_kind

    @property
    def source(self) -> str:
        return Source.TOWN if self.post_id is not None else Source.REGULATION

    @property
    def spans(self) -> list[Span]:
        return [span for span, _duty, _version in self.in_force]

    @property
    def needs_lead(self) -> bool:
        """The duty says 主持/组织: only records the post chaired or organised count (rules.py)."""
        return any(needs_lead(duty.text) for _span, duty, _version in self.in_force)

    def latest(self, within: Span) -> tuple[Duty | TownDuty, int]:
        """The version's duty in force on the last day of `within` that it covers."""
        covering = [(s, d, v) for s, d, v in self.in_force if s.intersect(within)]
        _span, duty, version = max(covering, key=lambda t: t[0].start)
        return duty, version


def version_span(regulation: Regulation) -> Span:
    assert regulation.effective_from is not None
    return Span(regulation.effective_from, regulation.effective_until or D.max)


@dataclass
class TownsRecords:
    """What the seven queries read for a group of towns, keyed by town or by post for working out the rows."""

    lines_of: dict[int, dict[tuple[Any, ...], DutyLine]]  # town id -> its duty lines
    posts_of: dict[int, list[Post]]  # town id -> the posts its lines bind
    tenures_by_post: dict[int, list[Tenure]]
    evidence: dict[tuple[int, str], list[RecordRef]]  # (post id, record kind) -> the records that count
    tables: dict[int, Any]  # town id -> its table of record kinds meeting duty kinds (none: the defaults)


def read_towns(towns: Sequence[Town], window: Span, wanted: set[int] | None) -> TownsRecords:
    """Everything compliance needs of `towns` in the year `window`, in seven queries, in the order numbered."""
    ids = [t.pk for t in towns]
    lines_of = _regulation_lines(ids, window)
    _add_town_duty_lines(lines_of, ids, window)
    posts_of = _bound_posts(ids, lines_of, wanted)
    tenures_by_post = _tenures(ids, window)
    evidence = _counting_records(ids, window, wanted)
    tables = _record_tables(ids)
    return TownsRecords(lines_of, posts_of, tenures_by_post, evidence, tables)


def _regulation_lines(ids: list[int], window: Span) -> dict[int, dict[tuple[Any, ...], DutyLine]]:
    """The regulations' frequency duties bound to a post, each town's in one line per duty that continues
    unchanged across the versions in force during the year."""
    # 1. The versions in force on some day of the year.
    versions = list(
        Regulation.objects.filter(
            town_id__in=ids,
            status__in=[RegulationStatus.ACTIVE, RegulationStatus.SUPERSEDED],
            effective_from__isnull=False,
            effective_from__lte=window.end,
        ).filter(Q(effective_until__isnull=True) | Q(effective_until__gte=window.start))
    )
    by_version = {v.pk: v for v in versions}
    # 2. Their frequency duties bound to a post, one line per duty that continues unchanged across versions.
    duties = list(
        Duty.objects.filter(regulation_id__in=list(by_version), min_count__isnull=False)
        .exclude(post="")
        .exclude(period="")
        .select_related("article", "item")
        .order_by("regulation__effective_from", "position")
    )
    lines_of: dict[int, dict[tuple[Any, ...], DutyLine]] = {pk: {} for pk in ids}
    for duty in duties:
        assert duty.min_count is not None
        regulation = by_version[duty.regulation_id]
        article = duty.article.number if duty.article else None
        item = duty.item.number if duty.item else None
        key = (duty.post, duty.kind, duty.period, duty.min_count, article, item)
        assert regulation.town_id is not None, "read by town, so a town's"
        line = lines_of[regulation.town_id].setdefault(
            key, DutyLine(key, duty.post, duty.kind, duty.period, duty.min_count, article, item)
        )
        line.in_force.append((version_span(regulation), duty, regulation.version))
    return lines_of


def _add_town_duty_lines(
    lines_of: dict[int, dict[tuple[Any, ...], DutyLine]], ids: list[int], window: Span
) -> None:
    """3. The towns' own frequency duties (镇定要求) in force on some day of the year, one line each."""
    for own in TownDuty.objects.filter(town_id__in=ids).in_force(window.start, window.end).order_by("pk"):
        span = Span(own.valid_from, own.valid_until or D.max)
        lines_of[own.town_id][("town", own.pk)] = DutyLine(
            ("town", own.pk),
            "",
            own.kind,
            own.period,
            own.min_count,
            None,
            None,
            [(span, own, 0)],
            own.post_id,
        )


def _bound_posts(
    ids: list[int], lines_of: dict[int, dict[tuple[Any, ...], DutyLine]], wanted: set[int] | None
) -> dict[int, list[Post]]:
    """4. The posts those duties bind (of the kinds the regulation names, or the town duty's own post)."""
    kinds_of = {
        pk: {line.post_kind for line in lines.values() if line.post_id is None}
        for pk, lines in lines_of.items()
    }
    own_posts = {line.post_id for lines in lines_of.values() for line in lines.values() if line.post_id}
    posts_qs = (
        Post.objects.filter(town_id__in=ids)
        .filter(Q(kind__in=set().union(*kinds_of.values())) | Q(pk__in=own_posts))
        .select_related("unit")
        .order_by("pk")
    )
    if wanted is not None:
        posts_qs = posts_qs.filter(pk__in=wanted)
    posts_of: dict[int, list[Post]] = {pk: [] for pk in ids}
    for post in posts_qs:
        if post.kind in kinds_of[post.town_id] or post.pk in own_posts:
            posts_of[post.town_id].append(post)
    return posts_of


def _tenures(ids: list[int], window: Span) -> dict[int, list[Tenure]]:
    """5. Who held them during the year, by post, in order of start."""
    tenures_by_post: dict[int, list[Tenure]] = defaultdict(list)
    for tenure in (
        Tenure.objects.filter(town_id__in=ids, start__lte=window.end)
        .filter(Q(end__isnull=True) | Q(end__gte=window.start))
        .select_related("person")
        .order_by("start")
    ):
        tenures_by_post[tenure.post_id].append(tenure)
    return tenures_by_post


def _counting_records(
    ids: list[int], window: Span, wanted: set[int] | None
) -> dict[tuple[int, str], list[RecordRef]]:
    """6. The records that count, crediting those posts, by post and kind."""
    # Plain tuples, no model instances: building a Credit and a DutyRecord per row was most of compute()'s time
    # at county scale. No ORDER BY either (Credit's default ordering joins the post for its title); the lists
    # are sorted when merged (judging._merged).
    # The town is the record's (a credit's town is always its record's: actions.create_record): the database
    # walks the towns' records of the year by (town, occurred_on), then each one's credits by record — instead
    # of every credit the towns ever had. Naming the credit's town as well invited PostgreSQL, before its
    # statistics caught up with a bulk load, to AND the credit's town index into every record's lookup (a
    # second instead of 13 ms for a 10,000-record town). Streamed (iterator): the rows are not also kept as a
    # list beside the RecordRefs made from them.
    credits = Credit.objects.filter(
        record__town_id__in=ids,
        record__occurred_on__gte=window.start,
        record__occurred_on__lte=window.end,
        record__amended_by__isnull=True,
        record__withdrawn=False,
    )
    if wanted is not None:
        credits = credits.filter(post_id__in=wanted)
    evidence: dict[tuple[int, str], list[RecordRef]] = defaultdict(list)
    for post_id, pk, root_id, kind, on, title, late, led in (
        credits.order_by()
        .values_list(
            "post_id",
            "record_id",
            "record__root_id",
            "record__kind",
            "record__occurred_on",
            "record__title",
            "record__is_late",
            "led",
        )
        .iterator(chunk_size=5000)
    ):
        evidence[(post_id, kind)].append(RecordRef(on, pk, root_id or pk, title, late, led))
    return evidence


def _record_tables(ids: list[int]) -> dict[int, Any]:
    """7. Which record kinds meet which duty kind (each town's table; a town without one uses the defaults)."""
    tables: dict[int, Any] = {}
    for town_id, table in (
        RecordRules.objects.filter(town_id__in=ids).order_by("pk").values_list("town_id", "matches")
    ):
        tables.setdefault(town_id, table)
    return tables
