"""Who may do what with hazards (reading is `Hazard.objects.for_user`, docs/security.md).

- Report: every role that enters its own records (officer, leader, body staff, village staff). Body and
  village staff report inside their part: a village's staff in their village, a body's staff in the sectors
  their body supervises — so they can follow what they reported.
- Handle (decline, rectify, submit for acceptance): the owner unit's staff, and the 安委办 officer.
- Decide a decline, accept and close, send back, set the escalation interval: the 安委办 officer.
- Ask for an extension of the deadline (延期整改): whoever may handle it (the rectifier).
- Decide an extension: the body supervising the hazard's sector today (its staff), or the 安委办 officer —
  never the person who asked.
- 催办 an overdue hazard (a message to those who answer for it): the 安委办 officer, and a town leader who
  answers for it (answering.py: the whole town's three, or the 分管 leader of its body or sector).
- County viewers read only.
"""

from __future__ import annotations

from typing import Any

from yigang.towns.models import MANAGE_ROLES, OWN_RECORD_ROLES, Membership, Role, Town, has_role

from .models import Hazard


def may_report(user: Any, town: Town) -> bool:
    return has_role(user, town, OWN_RECORD_ROLES)


def is_officer(user: Any, town: Town | int) -> bool:
    if isinstance(town, int):
        town = Town.objects.get(pk=town)
    return has_role(user, town, MANAGE_ROLES)


def staff_units(user: Any, town: Town | int) -> set[int]:
    """The units whose staff the user is (body or village staff) in the town."""
    if not getattr(user, "is_authenticated", False):
        return set()
    town_id = town if isinstance(town, int) else town.pk
    return set(
        Membership.objects.filter(
            user_id=user.pk, town_id=town_id, role__in=(Role.BODY_STAFF, Role.VILLAGE_STAFF)
        )
        .exclude(unit__isnull=True)
        .values_list("unit_id", flat=True)
    )


def may_handle(user: Any, hazard: Hazard) -> bool:
    """May decline, rectify or submit the hazard: its owner unit's staff, or the officer."""
    return is_officer(user, hazard.town) or hazard.owner_unit_id in staff_units(user, hazard.town_id)


def may_decide(user: Any, hazard: Hazard) -> bool:
    """May decide a decline, accept, close or send back: the 安委办 officer."""
    return is_officer(user, hazard.town)


def supervising_units(hazard: Hazard) -> set[int]:
    """The bodies supervising the hazard's sector today (谁主管): they decide its extensions."""
    from django.utils import timezone

    from yigang.org.models import Supervision

    return set(
        Supervision.objects.at(timezone.localdate())
        .filter(sector_id=hazard.sector_id)
        .values_list("unit_id", flat=True)
    )


def may_decide_extension(user: Any, hazard: Hazard) -> bool:
    """May approve or refuse an extension of the hazard's deadline: the supervising body's staff, the officer."""
    return is_officer(user, hazard.town) or bool(
        supervising_units(hazard) & staff_units(user, hazard.town_id)
    )


def may_nudge(user: Any, hazard: Hazard) -> bool:
    """May send a 催办 about the hazard (whether it is overdue is the action's refusal): the officer, or a leader
    of the town who answers for it (answering.py) — their person linked to the account."""
    if is_officer(user, hazard.town):
        return True
    if not has_role(user, hazard.town, frozenset({Role.LEADER})):
        return False
    from django.utils import timezone

    from yigang.org.models import Person

    from .answering import Answering

    person = Person.objects.filter(town_id=hazard.town_id, user_id=user.pk).first()
    if person is None:
        return False
    today = timezone.localdate()
    return Hazard.objects.filter(pk=hazard.pk).filter(Answering.of(person, today).q(today)).exists()
