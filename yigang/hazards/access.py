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
- An enterprise's own account (企业安全管理人员, issue 24.5) reads the hazards at its enterprise, reports those it
  found itself (企业自查: at its enterprise, in its place's sectors) and submits the rectification of a hazard at
  its enterprise for acceptance (提请验收) — never declines, accepts, sends back or decides anything: the
  supervising body and the 安委办 judge its work (整改与验收分离).
"""

from __future__ import annotations

from typing import Any

from yigang.towns.enterprise import enterprise_unit_ids
from yigang.towns.models import (
    ENTERPRISE_ROLES,
    MANAGE_ROLES,
    OWN_RECORD_ROLES,
    Membership,
    Role,
    Town,
    has_role,
)

from .models import Hazard


def may_report(user: Any, town: Town) -> bool:
    return has_role(user, town, OWN_RECORD_ROLES | ENTERPRISE_ROLES)


def is_enterprise(user: Any, town: Town | int) -> bool:
    """Whether the user reports and submits as an enterprise's account in the town (and as nothing else there)."""
    town = town if isinstance(town, Town) else Town.objects.get(pk=town)
    return has_role(user, town, ENTERPRISE_ROLES) and not has_role(user, town, OWN_RECORD_ROLES)


def own_place(user: Any, town: Town) -> Any:
    """The open place under supervision (places.Place, through its unit) an enterprise's account speaks for in
    the town, or None."""
    from django.utils import timezone

    from yigang.org.models import Unit
    from yigang.towns.enterprise import place_of

    for unit in Unit.objects.filter(pk__in=enterprise_unit_ids(user, town)).order_by("pk"):
        place = place_of(unit)
        if place is not None and place.open_on(timezone.localdate()):
            return place
    return None


def may_submit(user: Any, hazard: Hazard) -> bool:
    """May submit the rectification for acceptance (提请验收): whoever may handle it, and the account of the
    enterprise the hazard is at (it rectifies its own hazards; 主体责任)."""
    if may_handle(user, hazard):
        return True
    return hazard.enterprise_id is not None and hazard.enterprise_id in enterprise_unit_ids(
        user, hazard.town_id
    )


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
