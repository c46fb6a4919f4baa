"""Who may act on 责令限期整改通知书: the 安委办 officer for any body that may issue to the place, a body's staff
for their own body. Readers are those who read the place (`PlaceQuerySet.for_user`)."""

from __future__ import annotations

import datetime
from typing import Any

from yigang.org.models import Unit
from yigang.towns.models import MANAGE_ROLES, Membership, Role, has_role

from .actions.orders import issuing_bodies
from .models import Place, RectificationOrder


def own_bodies(user: Any, town: Any) -> set[int]:
    """The units of the user's body-staff roles in `town`."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(
            user_id=user.pk, town=town, role=Role.BODY_STAFF, unit__isnull=False
        ).values_list("unit_id", flat=True)
    )


def bodies_for(user: Any, place: Place, day: datetime.date) -> list[Unit]:
    """The bodies on whose behalf `user` may issue an order to the place on `day` (none: may not issue)."""
    bodies = issuing_bodies(place, day)
    if has_role(user, place.town, MANAGE_ROLES):
        return bodies
    mine = own_bodies(user, place.town)
    return [b for b in bodies if b.pk in mine]


def may_issue(user: Any, place: Place) -> bool:
    """Whether the user may open the issue form: the officer, or staff of a body that supervises the place."""
    if has_role(user, place.town, MANAGE_ROLES):
        return True
    mine = own_bodies(user, place.town)
    return bool(mine) and any(b.pk in mine for b in issuing_bodies(place, _today()))


def may_handle(user: Any, order: RectificationOrder) -> bool:
    """Record the receipt or withdraw: the officer, or staff of the body that issued it."""
    return has_role(user, order.town, MANAGE_ROLES) or order.unit_id in own_bodies(user, order.town)


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
