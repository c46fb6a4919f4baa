"""Who sees which results: the 安委办 and the county read everything; everyone else their own rows only.

A body's or village's staff see their unit's row; a person linked to a user account sees their own rows (one
per post held) and their own entries of an accountability file.
"""

from __future__ import annotations

from typing import Any

from yigang.org.models import Person
from yigang.towns.models import Membership, Role, Town, has_role

ALL_READERS = frozenset({Role.OFFICER, Role.COUNTY_VIEWER})


def reads_all(user: Any, town: Town) -> bool:
    return has_role(user, town, ALL_READERS)


def own_units(user: Any, town: Town) -> set[int]:
    return set(
        Membership.objects.filter(user_id=user.pk, town=town, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )


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


def visible_entries(entries: list[Any], user: Any, town: Town) -> list[Any]:
    if reads_all(user, town):
        return entries
    people = own_people(user, town)
    return [e for e in entries if e.person_id in people]


def visible_file(data: dict[str, Any], user: Any, town: Town) -> dict[str, Any]:
    """An accountability file's JSON narrowed to the user's own entries (the chain and posts stay: they are the
    register's, readable by whoever reads the accident or hazard)."""
    if reads_all(user, town):
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
