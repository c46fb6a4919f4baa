"""Who sees which results: the 安委办, the county and the town's three leaders read everything; everyone else
their own rows and, for a 分管 leader, the units in their charge.

The party secretary, the mayor and the deputy in charge of safety answer for the town's result (全面领导 / 第一 /
第二责任人, Arts. 3–5): they read the whole town's results, provisional or published, as the 安委办 does (issue 27:
their homes show the town's standing and its 一票否决 risks). A leader with 分管 portfolios reads the rows of the
bodies in their charge (org.selectors.charge_of: the bodies of their portfolios and those supervising a sector
in their charge). A body's or village's staff see their unit's row; a person linked to a user account sees their
own rows (one per post held) and their own entries of an accountability file. The posts and portfolios are as
the register stands today. Writing (opening, adjusting, publishing) stays the 安委办's, and an accountability
file's entries stay the 安委办's and the county's to read whole (`reads_every_file`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from yigang.org.models import Person
from yigang.org.selectors import Charge, charge_of
from yigang.towns.models import Membership, Role, Town, has_role

ALL_READERS = frozenset({Role.OFFICER, Role.COUNTY_VIEWER})


def leader_charge(user: Any, town: Town) -> Charge | None:
    """The charge of the leader `user` is linked to in `town` today (None for a user who is not a leader there or
    not linked to a person)."""
    if not has_role(user, town, frozenset({Role.LEADER})):
        return None
    person = Person.objects.filter(user_id=user.pk, town=town).first()
    return charge_of(person, timezone.localdate()) if person is not None else None


def reads_all(user: Any, town: Town) -> bool:
    if has_role(user, town, ALL_READERS):
        return True
    charge = leader_charge(user, town)
    return charge is not None and charge.whole_town


def own_units(user: Any, town: Town) -> set[int]:
    """The units whose rows `user` reads besides their own: their membership's unit, and a 分管 leader's bodies."""
    units = set(
        Membership.objects.filter(user_id=user.pk, town=town, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    charge = leader_charge(user, town)
    return units | set(charge.bodies) if charge is not None else units


def own_people(user: Any, town: Town) -> set[int]:
    return set(Person.objects.filter(user_id=user.pk, town=town).values_list("pk", flat=True))


def visible(data: dict[str, Any], user: Any, town: Town) -> dict[str, Any]:
    """`data` (a round's results) narrowed to what `user` may see."""
    if reads_all(user, town):
        return data
    units, people = own_units(user, town), own_people(user, town)
    return {
        **data,
        "units": [u for u in data["units"] if u["unit_id"] in units],
        "persons": [p for p in data["persons"] if p["person_id"] in people],
    }


def reads_every_file(user: Any, town: Town) -> bool:
    """An accountability file names each person's conduct: only the 安委办 and the county read every entry (the
    town's leaders read their own, like everyone else; their wider reading is of the assessment's results)."""
    return has_role(user, town, ALL_READERS)


def visible_entries(entries: list[Any], user: Any, town: Town) -> list[Any]:
    if reads_every_file(user, town):
        return entries
    people = own_people(user, town)
    return [e for e in entries if e.person_id in people]


def visible_file(data: dict[str, Any], user: Any, town: Town) -> dict[str, Any]:
    """An accountability file's JSON narrowed to the user's own entries (the chain and posts stay: they are the
    register's, readable by whoever reads the accident or hazard)."""
    if reads_every_file(user, town):
        return data
    people = own_people(user, town)
    persons = [p for p in data["persons"] if p["person_id"] in people]
    mine = {r["id"] for p in persons for r in p["records"]}
    return {
        **data,
        "persons": persons,
        "late_records": [r for r in data["late_records"] if r["id"] in mine],
        "findings": [f for f in data["findings"] if f["person_id"] in people],
    }
