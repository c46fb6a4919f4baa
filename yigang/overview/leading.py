"""A leader's home: what their range of the town needs of them today (issue 27 point 1).

The party secretary, the mayor and the deputy in charge of safety answer for the whole town (全面领导 / 第一 /
第二责任人); a leader with 分管 portfolios for the bodies and sectors in their charge (`org.selectors.charge_of`).
For that range the home shows: the accidents whose statutory clocks still run (`accidents.selectors`), who is
behind on their duties (the compliance rows of `behind_now`, the 安委办's figure, narrowed to the posts of the
bodies in charge), what their people still have to confirm (`signoff.selectors`), and the year's assessment as
the leader may read it (`assessment.access`: the whole town for the three, the units in charge for a 分管
leader). The hazards they answer for are on the same home already (`mine`, hazards/answering.py).

Each figure is what the page it links to shows: a person's behind count is the 未完成 and 有风险 of their duty
year (duties:person_year), a person's owed sign-offs the 待签收确认 of their page (org:person), an accident's
running clocks those of its page, the assessment's rows those of assessment:index. A figure that cannot be
computed (no regulation in force) is None and the page says why. The queries are fixed in number: the
compliance of the year (kept, duties/cache.py), one for the accidents, one for the sign-off tasks, the
assessment's own computation, three for the charge.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from yigang.towns.models import Town


@dataclass
class PersonLine:
    """One person of the range with what they owe: duty rows behind, or sign-off tasks waiting."""

    person_id: int
    name: str
    posts: list[str] = field(default_factory=list)
    missed: int = 0
    at_risk: int = 0
    tasks: int = 0

    @property
    def behind(self) -> int:
        return self.missed + self.at_risk


@dataclass
class Leading:
    """A leader's range and what it needs of them; None figures could not be computed (the page says why)."""

    whole_town: bool
    bodies: list[str]
    year: int
    behind: list[PersonLine] | None
    vacant: list[str]
    accidents: list[tuple[Any, list[Any]]]
    owing: list[PersonLine]
    assessment_year: int
    assessment: dict[str, Any] | None
    body_ids: frozenset[int] = frozenset()  # the bodies in charge (empty for the whole town): supervision.py

    @property
    def behind_rows(self) -> int | None:
        return None if self.behind is None else sum(p.behind for p in self.behind)

    @property
    def owed(self) -> int:
        return sum(p.tasks for p in self.owing)


def leading(user: Any, town: Town, person: Any, today: datetime.date) -> Leading | None:
    """The leader's range card, or None for a person who answers for no range (not a town leader, no 分管)."""
    from yigang.org.models import Unit
    from yigang.org.selectors import charge_of

    charge = charge_of(person, today)
    if not charge.leads:
        return None
    bodies = (
        []
        if charge.whole_town
        else list(Unit.objects.filter(pk__in=charge.bodies).order_by("name").values_list("name", flat=True))
    )
    behind, vacant = _behind(town, today, None if charge.whole_town else charge.bodies)
    year, assessment = _assessment(user, town, today)
    return Leading(
        whole_town=charge.whole_town,
        bodies=bodies,
        year=today.year,
        behind=behind,
        vacant=vacant,
        accidents=_accidents(user, town, charge),
        owing=_owing(user, town, None if charge.whole_town else charge.bodies),
        assessment_year=year,
        assessment=assessment,
        body_ids=frozenset() if charge.whole_town else charge.bodies,
    )


def _behind(
    town: Town, today: datetime.date, bodies: frozenset[int] | None
) -> tuple[list[PersonLine] | None, list[str]]:
    """The people of the range behind on their duties (the rows `behind_now` gives the 安委办: running periods at
    risk, periods missed this year) and the vacant seats behind; None when no regulation is in force."""
    from yigang.duties.cache import town_year
    from yigang.duties.compliance import Status
    from yigang.org.chain import regulation_at

    result = town_year(town, today.year, today=today)
    if not result.rows and regulation_at(town, today) is None:
        return None, []
    people: dict[int, PersonLine] = {}
    vacant: dict[str, None] = {}
    for row in result.behind_now():
        if bodies is not None and row.unit_id not in bodies:
            continue
        if row.person_id is None:
            vacant[f"{row.unit}{row.post}"] = None
            continue
        line = people.setdefault(row.person_id, PersonLine(row.person_id, row.person or ""))
        if row.post not in line.posts:
            line.posts.append(row.post)
        if row.status == Status.MISSED:
            line.missed += 1
        elif row.status == Status.AT_RISK:
            line.at_risk += 1
    lines = sorted(people.values(), key=lambda p: (-p.behind, p.name, p.person_id))
    return lines, list(vacant)


def _accidents(user: Any, town: Town, charge: Any) -> list[tuple[Any, list[Any]]]:
    from django.db.models import Q

    from yigang.accidents.models import Accident
    from yigang.accidents.selectors import with_running_clocks

    accidents = Accident.objects.for_user(user).filter(town=town)
    if not charge.whole_town:
        accidents = accidents.filter(
            Q(latest__sector_id__in=list(charge.sectors)) | Q(latest__unit_id__in=list(charge.bodies))
        )
    return with_running_clocks(accidents)


def _owing(user: Any, town: Town, bodies: frozenset[int] | None) -> list[PersonLine]:
    from yigang.signoff.models import Task
    from yigang.signoff.selectors import waiting_of_units

    people: dict[int, PersonLine] = {}
    for task in waiting_of_units(Task.objects.for_user(user).filter(document__town=town), bodies):
        line = people.setdefault(task.person_id, PersonLine(task.person_id, task.person.name))
        line.tasks += 1
        if task.post.title not in line.posts:
            line.posts.append(task.post.title)
    return sorted(people.values(), key=lambda p: (-p.tasks, p.name, p.person_id))


def _assessment(user: Any, town: Town, today: datetime.date) -> tuple[int, dict[str, Any] | None]:
    """The due year's results as `user` may read them (assessment.access): the standing of the whole town and the
    subjects with a 一票否决, or the rows of the units in charge; provisional (预评) while the year runs."""
    from yigang.assessment.access import reads_all, visible
    from yigang.assessment.results import results
    from yigang.assessment.standing import due_year, of_results

    year = due_year(today)
    data = visible(results(town, year), user, town)
    whole = reads_all(user, town)
    vetoed = [
        {"key": r["key"], "name": r["name"], "post": r.get("post", ""), "reasons": r["veto_reasons"]}
        for r in data["units"] + data["persons"]
        if r["vetoed"]
    ]
    return year, {
        "whole_town": whole,
        "provisional": bool(data.get("provisional")) and not data.get("published"),
        "published": bool(data.get("published")),
        "standing": of_results(data, year=year, published=bool(data.get("published"))) if whole else None,
        "units": data["units"],
        "persons": data["persons"],
        "vetoed": vetoed,
    }
