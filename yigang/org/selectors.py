"""The register's two everyday questions, answered in one place: who held this post on this day, and who heads
this body. Hazards, duties, sign-off and the CLI ask them; each answer costs what the call sites paid before.

- `holder(post, day)`: one query (the tenure with its person).
- `holders(posts, day)` / `holder_ids(posts, day)`: many posts on one day in one query (the second without the
  person row, for callers that only keep the id).
- `town_holders(town, day)`: every post of a town held that day, in one query.
- `TenureBook`: many posts on many days (a year of duty records, a demo's history): every tenure read once, the
  days answered in memory.
- `head_post(unit, day)` / `head(unit, day)`: a unit's heading post (its first by id of a heading kind in
  force), and its holder.
- `charge_of(person, day)`: what a leader answers for that day — the whole town (党委书记, 镇长, 分管安全生产副职:
  全面领导 / 第一 / 第二责任人) or their 分管 (bodies and sectors in their portfolios, and the bodies supervising
  those sectors); three queries. The leaders' homes and the assessment's access rule read it.

A post has one holder at a time (`actions.appoint` refuses an overlap); should the register still hold two
tenures of a post covering a day, every answer here takes the later appointment (the latest start).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from yigang.regulations.choices import PostKind

from .models import HEAD_POST_KINDS, Person, Portfolio, Post, Supervision, Tenure, Unit

# The posts that answer for the whole town (Arts. 3–5): 全面领导责任 (负总责), 第一责任人, 第二责任人.
TOWN_WIDE_KINDS = (PostKind.PARTY_SECRETARY, PostKind.MAYOR, PostKind.SAFETY_DEPUTY)


def _pk(item: Any) -> int:
    return item if isinstance(item, int) else item.pk


def holder(post: Post | int | None, day: datetime.date) -> Person | None:
    """The person holding `post` on `day` (None if it was vacant, or for no post)."""
    if post is None:
        return None
    tenure = (
        Tenure.objects.at(day)
        .filter(post_id=_pk(post))
        .select_related("person")
        .order_by("-start", "-id")
        .first()
    )
    return tenure.person if tenure is not None else None


def holders(posts: Iterable[Post | int], day: datetime.date) -> dict[int, Person | None]:
    """Post id -> the person holding it on `day` (None if vacant), for every post given; one query."""
    found: dict[int, Person | None] = dict.fromkeys(_pk(p) for p in posts)
    for tenure in (
        Tenure.objects.at(day)
        .filter(post_id__in=list(found))
        .select_related("person")
        .order_by("start", "id")
    ):
        found[tenure.post_id] = tenure.person
    return found


def holder_ids(posts: Iterable[Post | int], day: datetime.date) -> dict[int, int | None]:
    """Post id -> the id of the person holding it on `day` (None if vacant); one query, no person rows."""
    found: dict[int, int | None] = dict.fromkeys(_pk(p) for p in posts)
    for post_id, person_id in (
        Tenure.objects.at(day)
        .filter(post_id__in=list(found))
        .order_by("start", "id")
        .values_list("post_id", "person_id")
    ):
        found[post_id] = person_id
    return found


def town_holders(town: Any, day: datetime.date) -> dict[int, Person]:
    """Post id -> its holder on `day`, for every post of the town held that day; one query."""
    return {
        t.post_id: t.person
        for t in Tenure.objects.at(day).filter(town=town).select_related("person").order_by("start", "id")
    }


class TenureBook:
    """Who held which post on any day, for many days: the tenures of the posts asked for (or of a whole town) read
    once in one query, then each day answered in memory."""

    def __init__(self, terms: Iterable[tuple[int, datetime.date, datetime.date | None, int]]) -> None:
        self._terms: dict[int, list[tuple[datetime.date, datetime.date | None, int]]] = {}
        for post_id, start, end, person_id in terms:
            self._terms.setdefault(post_id, []).append((start, end, person_id))
        for terms_of_post in self._terms.values():
            terms_of_post.sort(key=lambda term: term[0])

    @classmethod
    def of_posts(cls, posts: Iterable[Post | int]) -> TenureBook:
        ids = {_pk(p) for p in posts}
        return cls(Tenure.objects.filter(post_id__in=ids).values_list("post_id", "start", "end", "person_id"))

    @classmethod
    def of_town(cls, town: Any) -> TenureBook:
        return cls(Tenure.objects.filter(town=town).values_list("post_id", "start", "end", "person_id"))

    def holder_id(self, post: Post | int, day: datetime.date) -> int | None:
        """The id of the person holding `post` on `day` (the latest start among tenures covering it)."""
        found = None
        for start, end, person_id in self._terms.get(_pk(post), ()):
            if start <= day and (end is None or end >= day):
                found = person_id
        return found

    def holder_ids(self, posts: Iterable[Post | int], day: datetime.date) -> dict[int, int | None]:
        return {_pk(p): self.holder_id(p, day) for p in posts}


def head_post(unit: Unit | int, day: datetime.date, kinds: Iterable[str] = HEAD_POST_KINDS) -> Post | None:
    """The post heading `unit` on `day`: its first (by id) post in force whose kind is one of `kinds` (by default
    a body's head or a village's party secretary; the town government is headed by its leaders' kinds)."""
    return Post.objects.at(day).filter(unit_id=_pk(unit), kind__in=list(kinds)).order_by("id").first()


def head(unit: Unit | int, day: datetime.date, kinds: Iterable[str] = HEAD_POST_KINDS) -> Person | None:
    """The person heading `unit` on `day` (None if it has no heading post or the post was vacant)."""
    return holder(head_post(unit, day, kinds), day)


@dataclass(frozen=True)
class Charge:
    """What one person answers for as a leader on one day: the whole town, or the bodies and sectors of their
    分管 (empty for a person with neither — a body head, a village secretary, a leader without portfolios)."""

    person_id: int
    whole_town: bool
    bodies: frozenset[int] = frozenset()  # in their charge, or supervising a sector in their charge
    sectors: frozenset[int] = frozenset()  # in their charge, or supervised by a body in their charge

    @property
    def leads(self) -> bool:
        return self.whole_town or bool(self.bodies or self.sectors)


def charge_of(person: Person, day: datetime.date) -> Charge:
    """The person's charge on `day`: posts held (one query), their portfolios (one), the supervision of those
    bodies and sectors (one). Only a leader's portfolios count: the body a person heads is their own unit, not
    a 分管 range."""
    held = list(Tenure.objects.at(day).filter(person=person).values_list("post_id", "post__kind"))
    if any(kind in TOWN_WIDE_KINDS for _post, kind in held):
        return Charge(person.pk, True)
    portfolios = list(
        Portfolio.objects.at(day)
        .filter(post_id__in=[p for p, _kind in held])
        .values_list("unit_id", "sector_id")
    )
    if not portfolios:
        return Charge(person.pk, False)
    bodies = {unit for unit, _sector in portfolios if unit is not None}
    sectors = {sector for _unit, sector in portfolios if sector is not None}
    supervised = Supervision.objects.at(day).filter(Q(unit_id__in=bodies) | Q(sector_id__in=sectors))
    for unit, sector in list(supervised.values_list("unit_id", "sector_id")):
        bodies.add(unit)
        sectors.add(sector)
    return Charge(person.pk, False, frozenset(bodies), frozenset(sectors))
