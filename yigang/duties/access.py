"""Who may enter duty records for which posts, and which part of the town's duty performance a user reads.

- 安委办 officer: any post of the town.
- Town leader, body staff, village staff: the posts their own person held on the record's date (a user linked
  to a person in the register), and the posts of the unit their role is tied to (Membership.unit).
- County viewer: reads only. System administrator: sees no business data at all.

A record may be amended (or withdrawn) only by someone who could have entered it: the officer, or a writer who
may credit every post the record credits on its date. Otherwise a leader could take over, or withdraw, another
post's evidence by amending it onto their own post.

Reading (docs/security.md): the officer, leaders and county viewers read the whole town. Body and village staff
read the records of the posts of their unit or village and of the posts their own person held
(`DutyRecordQuerySet.for_user`), and of compliance the rows of those posts and their own rows (`Part`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from yigang.org.models import Person, Post, Tenure
from yigang.towns.models import MANAGE_ROLES, WHOLE_TOWN_ROLES, Membership, Role, Town, has_role
from yigang.towns.scope import Scope

if TYPE_CHECKING:
    from .compliance import Row, TownYear

R = TypeVar("R", bound="Row")

WRITE_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.BODY_STAFF, Role.VILLAGE_STAFF})


class CreditRefused(PermissionDenied):
    """A write credits a post the writer may never credit (another unit's, one they never held): answered 403
    and audited as `auth.permission_denied` by the page, the API or the import — not a mere input error."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def foreign_posts(user: Any, town: Town, posts: Iterable[Post]) -> list[Post]:
    """The posts of `town` among `posts` that `user` may not credit on any date."""
    posts = [p for p in posts if p.town_id == town.pk]
    allowed = set(
        creditable_posts(user, town).filter(pk__in=[p.pk for p in posts]).values_list("pk", flat=True)
    )
    return [p for p in posts if p.pk not in allowed]


def may_record(user: Any, town: Town) -> bool:
    """Whether the user may enter records in the town at all."""
    return has_role(user, town, WRITE_ROLES)


def is_officer(user: Any, town: Town) -> bool:
    return has_role(user, town, MANAGE_ROLES)


def creditable_posts(user: Any, town: Town, on: datetime.date | None = None) -> QuerySet[Post]:
    """The posts the user may credit with a record dated `on` (any date when None)."""
    posts = Post.objects.filter(town=town).exclude(kind="")
    if not getattr(user, "is_authenticated", False):
        return posts.none()
    if is_officer(user, town):
        return posts
    memberships = Membership.objects.filter(user_id=user.pk, town=town, role__in=WRITE_ROLES)
    units = memberships.exclude(unit__isnull=True).values("unit_id")
    held = Tenure.objects.filter(town=town, person__user_id=user.pk)
    if on is not None:
        held = held.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))
    if not memberships.exists():
        return posts.none()
    return posts.filter(Q(unit_id__in=units) | Q(pk__in=held.values("post_id")))


@dataclass(frozen=True)
class CreditRights:
    """`creditable_posts` for one user and town, loaded once (four queries) and then answered in Python for any
    post and date: a bulk import checks thousands of rows by the same rules without a query per row.

    Keep it in step with `creditable_posts` (tests/duties/test_import_bulk.py compares the two)."""

    everything: bool  # the 安委办 officer: any post of the town with a kind
    unit_ids: frozenset[int]  # posts of the units the user's writing roles are tied to
    held: tuple[
        tuple[int, datetime.date, datetime.date | None], ...
    ]  # (post, start, end) of their own tenures
    posts: frozenset[int]  # the town's posts with a kind: nothing else is ever creditable
    post_units: dict[int, int]

    @classmethod
    def load(cls, user: Any, town: Town) -> CreditRights:
        if not getattr(user, "is_authenticated", False):
            return cls(False, frozenset(), (), frozenset(), {})
        units = dict(Post.objects.filter(town=town).exclude(kind="").values_list("pk", "unit_id"))
        if is_officer(user, town):
            return cls(True, frozenset(), (), frozenset(units), units)
        memberships = Membership.objects.filter(user_id=user.pk, town=town, role__in=WRITE_ROLES)
        if not memberships.exists():
            return cls(False, frozenset(), (), frozenset(), {})
        tied = frozenset(memberships.exclude(unit__isnull=True).values_list("unit_id", flat=True))
        held = tuple(
            Tenure.objects.filter(town=town, person__user_id=user.pk).values_list("post_id", "start", "end")
        )
        return cls(False, tied, held, frozenset(units), units)

    def may_credit(self, post_id: int, on: datetime.date | None = None) -> bool:
        """Whether `creditable_posts(user, town, on)` holds the post."""
        if post_id not in self.posts:
            return False
        if self.everything or self.post_units[post_id] in self.unit_ids:
            return True
        return any(
            held == post_id and (on is None or (start <= on and (end is None or end >= on)))
            for held, start, end in self.held
        )

    def foreign(self, town: Town, posts: Iterable[Post]) -> list[Post]:
        """What `foreign_posts(user, town, posts)` answers."""
        return [p for p in posts if p.town_id == town.pk and not self.may_credit(p.pk)]


def may_amend(user: Any, record: Any) -> bool:
    """Whether the user may amend `record` (a DutyRecord): they could credit every post it credits on its date."""
    town = record.town
    if is_officer(user, town):
        return True
    if not may_record(user, town):
        return False
    credited = set(record.credits.values_list("post_id", flat=True))
    allowed = creditable_posts(user, town, record.occurred_on).filter(pk__in=credited)
    return bool(credited) and len(credited) == allowed.count()


@dataclass(frozen=True)
class Part:
    """The part of one town's duty performance a user reads: all of it, or (body and village staff) the posts of
    their unit or village, and their own person's rows wherever they sit. Compliance is computed for the whole
    town (a fixed number of queries) and then narrowed here in Python, row by row."""

    whole: bool
    unit_ids: frozenset[int]
    person_id: int | None

    def shows(self, row: Row) -> bool:
        return (
            self.whole
            or row.unit_id in self.unit_ids
            or (self.person_id is not None and row.person_id == self.person_id)
        )

    @property
    def key(self) -> str:
        """Says which part this is, for keys of what is kept per part (the overview's rendered tables)."""
        if self.whole:
            return "whole"
        return f"units{','.join(map(str, sorted(self.unit_ids)))}/person{self.person_id}"

    def rows(self, rows: Iterable[R]) -> list[R]:
        return [r for r in rows if self.shows(r)]

    def town_year(self, result: TownYear) -> TownYear:
        """The town-year with only the rows this user reads."""
        if self.whole:
            return result
        from .compliance import TownYear

        return TownYear(
            town=result.town,
            year=result.year,
            today=result.today,
            rows=self.rows(result.rows),
            post_rows=[r for r in result.post_rows if self.whole or r.unit_id in self.unit_ids],
        )

    def holds(self, tenure: Tenure) -> bool:
        """Whether a tenure (with its post loaded) lies in this part: a post of the unit, or the user's own."""
        return self.whole or tenure.post.unit_id in self.unit_ids or tenure.person_id == self.person_id

    def covers_person(self, person: Person, year: int) -> bool:
        """Whether the person's year is in this part: they held a post of the unit or village during the year,
        or they are the user's own person. Anyone else's year is out of scope (a 404, not an empty page)."""
        if self.whole or person.pk == self.person_id:
            return True
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return (
            Tenure.objects.filter(person=person, post__unit_id__in=self.unit_ids, start__lte=end)
            .filter(Q(end__isnull=True) | Q(end__gte=start))
            .exists()
        )


def reading_part(user: Any, town: Town) -> Part:
    """The part of `town` the user reads (the caller has already checked the user may read the town)."""
    # Scope.sees_whole in one query: most readers (officer, leaders, county) stop here.
    if has_role(user, town, WHOLE_TOWN_ROLES):
        return Part(whole=True, unit_ids=frozenset(), person_id=None)
    scope = Scope.for_user(user)
    person_id = Person.objects.filter(town=town, user_id=user.pk).values_list("pk", flat=True).first()
    return Part(whole=False, unit_ids=scope.unit_ids | scope.village_ids, person_id=person_id)
