"""Reads other pages ask of sign-off: what a person still has to confirm (the person page's 待签收确认 and the
leaders' homes read the same set)."""

from __future__ import annotations

from typing import Any


def waiting(tasks: Any) -> Any:
    """The tasks of `tasks` still waiting for their holder: open (the current holder of the current text) and not
    confirmed."""
    return tasks.filter(ended_at__isnull=True, confirmation__isnull=True)


def waiting_of_units(tasks: Any, units: Any = None) -> Any:
    """Every waiting task of each person who has one on a post of `units` (all units when None): a person is
    listed with all they owe, as their page lists it. One query, with the person and the post."""
    owing = waiting(tasks)
    if units is not None:
        people = waiting(tasks).filter(post__unit_id__in=list(units)).values("person_id")
        owing = owing.filter(person_id__in=people)
    return owing.select_related("person", "post__unit").order_by(
        "person__name", "person_id", "-created_at", "-id"
    )
