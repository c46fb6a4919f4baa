"""Who may enter duty records for which posts.

- 安委办 officer: any post of the town.
- Town leader, body staff, village staff: the posts their own person held on the record's date (a user linked
  to a person in the register), and the posts of the unit their role is tied to (Membership.unit).
- County viewer: reads only. System administrator: sees no business data at all.

A record may be amended (or withdrawn) only by someone who could have entered it: the officer, or a writer who
may credit every post the record credits on its date. Otherwise a leader could take over, or withdraw, another
post's evidence by amending it onto their own post.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from yigang.org.models import Post, Tenure
from yigang.towns.models import MANAGE_ROLES, Membership, Role, Town, has_role

WRITE_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.BODY_STAFF, Role.VILLAGE_STAFF})


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
