"""`yigang demo --towns N`: a deterministic synthetic county of N towns, for load tests and benchmarks.

Town 1 is the 乌审召镇 demo itself. Every further town gets the same seed regulation, bodies, villages, posts,
people, 分管, enterprises and reorganisation as the demo — written through the same actions — and then:

- three calendar years of duty records (this year up to yesterday, about RECORDS_PER_TOWN a town), bulk-inserted
  with their credits as `duties.actions.create_record` would store them (the holder on the record's date from
  the tenures, every credited post leading, entered a few days after — sometimes weeks, then 补录 by the town's
  rule; one audit entry per town says how many were loaded, their ids and from what seed), plus a handful of
  amendments and withdrawals through `amend_record` so every town has correction chains;
- the hazards demo (reported, declined, rectified, sent back, accepted, escalated — through the hazards
  actions, with a town officer account of its own) and the accidents demo.

Everything is derived from the town's number, so the same N gives the same county on SQLite and PostgreSQL.
Towns already present are skipped, so an interrupted run can be resumed.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from yigang.accidents import demo as accidents_demo
from yigang.audit.log import record as audit
from yigang.duties.actions import amend_record, record_data
from yigang.duties.models import Credit, DutyRecord, RecordRules, Source
from yigang.duties.rules import is_late
from yigang.hazards import demo as hazards_demo
from yigang.org import demo as org_demo
from yigang.org import selectors
from yigang.org.models import Post
from yigang.regulations.models import Duty, Regulation, Status
from yigang.towns.models import Membership, Region, RegionLevel, Role, Town
from yigang.towns.region_actions import add_region

from . import demo_bulk, demo_data
from .demo_duties import PLACES, SUMMARIES, TITLES

RECORDS_PER_TOWN = 10_000
YEARS = 3
AMENDMENTS_PER_TOWN = 6  # through the action: every third one a withdrawal
PREFECTURE = ("ordos", "鄂尔多斯市")  # the 盟市 above the demo's counties (towns.Region)


# The columns a bulk-loaded record fills (every other column of DutyRecord keeps its empty default below). A new
# field on the model fails `_insert_records` loudly instead of being left out silently.
RECORD_COLUMNS = (
    "town_id",
    "kind",
    "occurred_at",
    "occurred_on",
    "title",
    "place",
    "participants",
    "summary",
    "findings",
    "version",
    "root_id",
    "amends_id",
    "reason",
    "withdrawn",
    "source",
    "created_by_id",
    "created_at",
    "entered_at",
    "is_late",
    "client_key",
)


def _insert(model: Any, columns: list[str] | tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Plain multi-row inserts (COPY on PostgreSQL, executemany on SQLite): the ORM's bulk_create spends most of a
    town's build preparing 10,000 rows value by value; the rows and values here are the same."""
    demo_bulk.write(model, columns, rows)


@dataclass
class _Record:
    """A bulk-loaded record before it is inserted: only what varies (every other column as `RECORD_COLUMNS` says)."""

    kind: str
    occurred_at: datetime.datetime
    occurred_on: datetime.date
    title: str
    place: str
    participants: str
    entered_at: datetime.datetime = field(init=False)
    is_late: bool = field(init=False)
    pk: int = 0


def _insert_records(town: Town, records: list[_Record], now: datetime.datetime) -> list[_Record]:
    """Insert a new town's records in order and give them back with their ids (the town has no other records)."""
    columns = {f.column for f in DutyRecord._meta.concrete_fields} - {"id"}
    if columns != set(RECORD_COLUMNS):
        raise RuntimeError(f"DutyRecord's columns changed: {sorted(columns ^ set(RECORD_COLUMNS))}")
    adapt = demo_bulk.adapter(DutyRecord._meta.get_field("occurred_at"))
    created = adapt(now)
    demo = Source.DEMO

    def row(r: _Record) -> tuple[Any, ...]:
        summary = SUMMARIES.get(r.kind, SUMMARIES["other"])
        return (town.pk, r.kind, adapt(r.occurred_at), connection.ops.adapt_datefield_value(r.occurred_on),
                r.title, r.place, r.participants, summary, "", 1, None, None, "", False, demo, None, created,
                adapt(r.entered_at), r.is_late, "")  # fmt: skip

    if DutyRecord.objects.filter(town=town).exists():
        raise RuntimeError(f"{town.code} already has duty records")
    _insert(DutyRecord, RECORD_COLUMNS, [row(r) for r in records])
    ids = list(DutyRecord.objects.filter(town=town).order_by("id").values_list("id", flat=True))
    if len(ids) != len(records):
        raise RuntimeError("the inserted records were not found")
    for record, pk in zip(records, ids, strict=True):
        record.pk = pk
    return records


def town_code(number: int) -> str:
    """Town 1 is the demo town; the others are numbered."""
    return str(demo_data.TOWN["code"]) if number == 1 else f"county-{number:03d}"


def town_name(number: int) -> str:
    return str(demo_data.TOWN["name"]) if number == 1 else f"示范{number:03d}镇"


def county_names(counties: int) -> list[str]:
    """County 1 is the demo's (乌审旗); the others are numbered."""
    return [str(demo_data.TOWN["county"]) if k == 1 else f"示范{k:02d}旗" for k in range(1, counties + 1)]


def county_of(number: int, towns: int, counties: int) -> str:
    """The towns in runs of equal length, town 1 (the demo town) in county 1."""
    return county_names(counties)[(number - 1) * counties // towns]


def regions(counties: int) -> None:
    """The region's 盟市 and its counties (towns.Region), the counties named as the towns name them; through
    `add_region` like an operator's `yigang region add` (audited). What the demo already placed stays."""
    from .demo_regions import TREE  # the province and the 盟市 above the demo county

    made: dict[str, Region] = {}
    for code, name, level, parent in TREE:
        made[code] = Region.objects.filter(level=level, name=name).first() or add_region(
            code=code, name=name, level=level, parent=made.get(parent or ""), actor=None
        )
    prefecture = made[PREFECTURE[0]]
    for k, name in enumerate(county_names(counties), start=1):
        if not Region.objects.filter(level=RegionLevel.COUNTY, name=name).exists():
            add_region(
                code=f"demo-county-{k:02d}",
                name=name,
                level=RegionLevel.COUNTY,
                parent=prefecture,
                actor=None,
            )


def load(
    command: Any,
    towns: int,
    write: Callable[[str], None],
    *,
    counties: int = 1,
    through_actions: bool = False,
) -> None:
    """Add towns 2..`towns` to the region (town 1 is loaded by the demo command itself): the first one built in
    this run through the actions, the others copied from it in bulk (`demo_bulk`) unless `through_actions`."""
    began = time.monotonic()
    built = 0
    regions(counties)
    template: demo_bulk.Template | None = None
    for number in range(2, towns + 1):
        code = town_code(number)
        existing = Town.objects.filter(code=code).first()
        if existing is not None:
            # A run stopped after a town's records but before its hazards or accidents: those loaders do
            # nothing for a town that has them, and add them to one that has none.
            hazards_demo.load(existing)
            accidents_demo.load(existing)
            write(f"[{number}/{towns}] {code} 已存在，跳过")
            continue
        county = county_of(number, towns, counties)
        if template is None or through_actions:
            town, records, hazards, made = _build(command, number, county, capture=not through_actions)
            template = template or made
        else:
            town, records, hazards = _copy(template, number, county)
        elapsed = time.monotonic() - began
        built += 1  # the time left from the towns built in this run, not the ones skipped
        left = elapsed / built * (towns - number)
        bar = "#" * (20 * number // towns)
        write(
            f"[{bar:<20}] {number}/{towns} {town.name}（{county}）：履职记录 {records}，隐患 {hazards}"
            f"（已用 {elapsed:.0f} 秒，约剩 {left:.0f} 秒）"
        )


def _build(
    command: Any, number: int, county: str, *, capture: bool
) -> tuple[Town, int, int, demo_bulk.Template | None]:
    """A town through the actions; with `capture`, noting what each phase wrote so further towns copy it."""
    with transaction.atomic():
        town = Town.objects.create(code=town_code(number), name=town_name(number), county=county)
        template = demo_bulk.Template(town, demo_bulk.Sequences()) if capture else None

        def phase(name: str) -> AbstractContextManager[None]:
            return template.capture(name) if template is not None else nullcontext()

        with phase("register"):
            command.build_town(town)
            org_demo.load(town)
            officer = _officer(town)
        with phase("records"):
            records = _duty_records(town, officer)
    # Hazards and accidents each commit in their own transactions (as the pages do).
    with phase("hazards"):
        hazards = hazards_demo.load(town)
        accidents_demo.load(town)
    if template is not None:
        template.read()
        template.officer_id, template.hazards = officer.pk, hazards
    return town, records, hazards, template


def _copy(template: demo_bulk.Template, number: int, county: str) -> tuple[Town, int, int]:
    """A town copied from the template in one transaction, its duty records generated from its own seed."""
    with transaction.atomic():
        town = Town.objects.create(code=town_code(number), name=town_name(number), county=county)
        copy = demo_bulk.Copy(template, town, {template.town.name: town.name, template.town.code: town.code})
        try:
            copy.phase("register")
            officer = get_user_model().objects.get(pk=copy.remap(get_user_model(), template.officer_id))
            records = _duty_records(town, officer)
            copy.phase("hazards")
        except BaseException:
            copy.forget_files()
            raise
    return town, records, template.hazards


def _officer(town: Town) -> Any:
    """The town's 安委办 officer: hazards are reported by a person. No password: nobody logs in as it."""
    users = get_user_model()
    user = users.objects.create_user(username=f"anweiban-{town.code}", password=None)
    user.first_name = f"{town.name}安委办"
    user.save(update_fields=["first_name"])
    Membership.objects.create(user=user, role=Role.OFFICER, town=town)
    return user


def _duty_records(town: Town, officer: Any) -> int:
    regulation = Regulation.objects.filter(town=town, status=Status.ACTIVE).first()
    kinds_by_post: dict[str, list[str]] = defaultdict(list)
    if regulation is not None:
        for duty in Duty.objects.filter(regulation=regulation, min_count__isnull=False).exclude(post=""):
            if duty.kind not in kinds_by_post[duty.post]:
                kinds_by_post[duty.post].append(duty.kind)
    # Only posts a record can credit (`access.creditable_posts`: a post with a kind). The register also holds
    # kind-less posts (the county body's 局长); crediting one made the officer's amendment below refused.
    posts = list(Post.objects.filter(town=town, active=True).exclude(kind="").order_by("pk"))
    if not posts:
        return 0
    book = selectors.TenureBook.of_town(
        town
    )  # the town's tenures read once, every record's day answered from it
    rng = random.Random(f"yigang-county-{town.code}")  # noqa: S311 - synthetic data, reproducible on purpose
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    first = datetime.date(yesterday.year - YEARS + 1, 1, 1)
    span = (yesterday - first).days
    # Leaders carry their duties; some posts are busier than others, and every seventh falls behind.
    weights = [
        (3.0 if kinds_by_post.get(p.kind) else 1.0) * (0.3 if n % 7 == 3 else 1.0)
        for n, p in enumerate(posts)
    ]
    chosen = rng.choices(posts, weights=weights, k=RECORDS_PER_TOWN)
    rows: list[tuple[_Record, Post]] = []
    zone = timezone.get_current_timezone()  # make_aware's and localtime's own
    for post in chosen:
        day = first + datetime.timedelta(days=rng.randint(0, span))
        kind = rng.choice(kinds_by_post.get(post.kind) or ["inspection", "meeting"])
        moment = datetime.datetime.combine(
            day, datetime.time(rng.choice([9, 10, 14, 15]), rng.choice([0, 30])), tzinfo=zone
        )
        rows.append(
            (
                _Record(
                    kind=kind,
                    occurred_at=moment,
                    occurred_on=day,
                    title=f"{day.month}月{TITLES.get(kind, '安全生产工作')}",
                    place=rng.choice(PLACES),
                    participants=f"{post.title}及相关部门负责人",
                ),
                post,
            )
        )
    rows.sort(key=lambda row: (row[0].occurred_at, row[1].pk))
    # Entered as the demo town's are (demo_duties): most within a few days, about one in fifteen weeks later —
    # and then marked 补录 by the town's rule, exactly as `create_record` marks it.
    now = timezone.now()
    late_after = RecordRules.for_town(town).late_after_days
    for record, _post in rows:
        delay = rng.randint(10, 40) if rng.random() < 1 / 15 else rng.randint(0, 3)
        record.entered_at = min(record.occurred_at + datetime.timedelta(days=delay, hours=2), now)
        # local_date (regulations.periods), without its lookups per call
        record.is_late = is_late(record.entered_at.astimezone(zone).date(), record.occurred_on, late_after)
    created = _insert_records(town, [r for r, _ in rows], now)
    _insert(
        Credit,
        ["town_id", "record_id", "post_id", "person_id", "led"],
        # led: a record's every credited post chaired or organised it, as `create_record` stores one whose
        # RecordData names no `led`.
        [
            (town.pk, r.pk, p.pk, book.holder_id(p.pk, r.occurred_on), True)
            for r, (_, p) in zip(created, rows, strict=True)
        ],
    )
    audit(
        "duties.record.bulk_demo",
        actor=None,
        town=town,
        changes={
            "records": len(created),
            "seed": f"yigang-county-{town.code}",
            "from": first.isoformat(),
            "ids": [[created[0].pk, created[-1].pk]] if created else [],
        },
        object_repr=f"{town.name} 示范履职记录",
    )
    step = max(1, len(created) // AMENDMENTS_PER_TOWN)
    for n, entry in enumerate(created[::step][:AMENDMENTS_PER_TOWN]):
        stored = DutyRecord.objects.get(pk=entry.pk)
        data = record_data(stored)
        withdraw = n % 3 == 2
        if not withdraw:
            data.place = f"{data.place}（及周边）"
        amend_record(
            record=stored,
            data=data,
            reason="重复录入，撤销" if withdraw else "补充检查地点",
            withdraw=withdraw,
            source=Source.DEMO,
            actor=officer,
        )
    return len(created)
