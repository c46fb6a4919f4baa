"""Which hazards a person answers for: the one answer the home page, the person's page, the hazard list's
"我负责的" filter and the API's `mine` give (docs/hazards.md, "Who answers for a hazard").

By the regulation (Arts. 3, 4 and 12) and the routing of issue 10, a person answers for the hazards of:

- **the whole town** when they hold the party secretary's (全面领导), the mayor's (第一责任人) or the safety deputy's
  (第二责任人) post;
- **their own body** (谁主管、谁负责): hazards it owns, and those in the sectors it supervises — Art. 12 gives a
  body its sectors, so a hazard there is its business even when another body of the same sector rectifies it
  (the routing copies the others);
- **their 分管**: a leader's portfolios — the bodies in their charge (owned, or in a sector those bodies
  supervise) and the sectors in their charge — and every hazard routed to them as the leader in charge;
- **their village**: a village secretary's hazards found in the village.

Posts, portfolios and supervision are taken as the register stands on the day asked (today on the pages). What a
reader is shown is always this set within what the reader may see (`Hazard.objects.for_user`).

"Escalated to them by name" (督办) follows the levels of escalation.py: level 1 reaches the owner body's head, 2
the leader in charge named on the routing, 3 the safety deputy, 4 the mayor.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from yigang.org import selectors
from yigang.org.models import HEAD_POST_KINDS, Portfolio, Supervision, Tenure
from yigang.regulations.choices import PostKind

from .models import OPEN_STATUSES, Hazard, HazardQuerySet

WHOLE_TOWN_KINDS = selectors.TOWN_WIDE_KINDS  # the three who answer for the whole town, one list
NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Answering:
    """What one person answers for on one day, read from the register once (two queries)."""

    town_id: int
    person_id: int
    held: tuple[tuple[int, int, str], ...]  # (post, unit, kind) of each post held
    portfolios: tuple[tuple[int | None, int | None], ...]  # (body, sector) in their charge

    @classmethod
    def of(cls, person: Any, day: datetime.date) -> Answering:
        held = (
            Tenure.objects.at(day).filter(person=person).values_list("post_id", "post__unit_id", "post__kind")
        )
        posts = [post for post, _unit, _kind in held]
        portfolios = Portfolio.objects.at(day).filter(post_id__in=posts).values_list("unit_id", "sector_id")
        return cls(person.town_id, person.pk, tuple(held), tuple(portfolios) if posts else ())

    @property
    def whole_town(self) -> bool:
        return any(kind in WHOLE_TOWN_KINDS for _post, _unit, kind in self.held)

    def q(self, day: datetime.date) -> Q:
        """The hazards this person answers for (a filter on Hazard)."""
        if not self.held:
            return NOTHING
        if self.whole_town:
            return Q(town_id=self.town_id)
        units = [unit for _post, unit, _kind in self.held]
        bodies = units + [unit for unit, _sector in self.portfolios if unit is not None]
        sectors = [sector for _unit, sector in self.portfolios if sector is not None]
        supervised = Supervision.objects.at(day).filter(unit_id__in=bodies).values("sector_id")
        return Q(town_id=self.town_id) & (
            Q(owner_unit_id__in=bodies)
            | Q(sector_id__in=supervised)
            | Q(sector_id__in=sectors)
            | Q(village_id__in=units)
            | Q(routing__leader__person_id=self.person_id)
        )

    def escalated_q(self) -> Q:
        """The hazards whose escalation has reached this person by name."""
        kinds = {kind for _post, _unit, kind in self.held}
        reached = Q(escalation_level__gte=2, routing__leader__person_id=self.person_id)
        if PostKind.MAYOR in kinds:
            reached |= Q(escalation_level__gte=4)
        if PostKind.SAFETY_DEPUTY in kinds:
            reached |= Q(escalation_level__gte=3)
        # Level 1 is the owner seat the routing named (notices.owner_person); after a reassignment, the head of
        # the unit the 安委办 gave it to.
        posts = [post for post, _unit, _kind in self.held]
        reached |= Q(escalation_level__gte=1, routing__owner__post_id__in=posts) & ~Q(
            routing__has_key="reassigned"
        )
        headed = [unit for _post, unit, kind in self.held if kind in HEAD_POST_KINDS]
        if headed:
            reached |= Q(escalation_level__gte=1, owner_unit_id__in=headed, routing__has_key="reassigned")
        return Q(town_id=self.town_id) & reached


def of_person(user: Any, person: Any, day: datetime.date, *, escalated: bool = False) -> HazardQuerySet:
    """The open hazards `person` answers for (or only those escalated to them), as far as `user` may see them."""
    answering = Answering.of(person, day)
    hazards = Hazard.objects.for_user(user).filter(status__in=OPEN_STATUSES).filter(answering.q(day))
    return hazards.filter(answering.escalated_q()) if escalated else hazards
