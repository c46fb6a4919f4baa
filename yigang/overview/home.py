"""What the home page shows each role: the 安委办's town figures, a person's own duties and what waits for them.

Every figure is read through the apps' own scoped querysets and helpers (compliance `compute`, the hazards'
`concerning`, the accidents' `year_figures`, the sign-off `track`), so the home page shows nothing a reader could
not open on the app's own page. The number of queries is fixed: it does not grow with records, hazards or tasks.

A figure that could not be computed is `None` and the page says why; it is never shown as zero (no false
all-clear for a person whose account is not linked to the register, or a town with no regulation in force).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from yigang.towns.models import MANAGE_ROLES, OWN_RECORD_ROLES, Role, Town, memberships_of
from yigang.towns.models import roles_in as roles_in_town

from .leading import leading
from .supervision import home_card as supervision_card

# The year-end assessment app may add its standing to the 安委办's home without this module importing it: if it
# ships this template, the home page includes it (with `town` and `year` in the context).
ASSESSMENT_HOOK = "assessment/_home_standing.html"


@dataclass
class DutyLine:
    """One of the reader's duties in a period running today."""

    text: str
    place: str
    period_label: str
    done: int
    required: int
    status: str
    status_label: str
    days_left: int
    record_url: str


@dataclass
class Mine:
    """The reader's own part: duties this period and what waits for them."""

    person: Any
    regulation_in_force: bool
    duties: list[DutyLine] = field(default_factory=list)
    hazards: dict[str, Any] = field(default_factory=dict)
    onsite: list[Any] = field(default_factory=list)
    signoffs: list[Any] = field(default_factory=list)

    @property
    def owed(self) -> int:
        return sum(max(d.required - d.done, 0) for d in self.duties)


@dataclass
class Office:
    """The 安委办's figures for the town this year, each linking to its filtered list."""

    year: int
    regulation_in_force: bool
    behind: int
    missed: int
    hazards_open: int
    hazards_overdue: int
    hazards_submitted: int
    hazards_declined: int
    accidents: int
    accident_deaths: int
    signoffs_missing: int
    unreached: list[str]


def roles_in(user: Any, town: Town | None) -> set[str]:
    """The user's roles in `town` (a county viewer's county counts), plus the roles that need no town."""
    if not getattr(user, "is_authenticated", False):
        return set()
    anywhere = {
        role for role, _town, _county in memberships_of(user) if role in (Role.SYSADMIN, Role.AUDITOR)
    }
    return anywhere | (roles_in_town(user, town) if town is not None else set())


def office(user: Any, town: Town, today: datetime.date) -> Office:
    from yigang.accidents.models import Accident
    from yigang.accidents.stats import year_figures
    from yigang.duties.cache import town_year
    from yigang.duties.compliance import Status
    from yigang.hazards.models import OPEN_STATUSES, Hazard
    from yigang.hazards.models import Status as HazardStatus
    from yigang.signoff.tracking import documents_of, track, unreached

    year = today.year
    result = town_year(town, year, today=today)
    behind = result.behind_now()
    hazards = Hazard.objects.for_user(user).filter(town=town, status__in=OPEN_STATUSES)
    accidents = year_figures(Accident.objects.for_user(user).filter(town=town), year)
    tracked = track(documents_of(town, year))
    return Office(
        year=year,
        regulation_in_force=bool(result.rows) or _in_force(town, today),
        behind=len(behind),
        missed=sum(1 for r in behind if r.status == Status.MISSED),
        hazards_open=hazards.count(),
        hazards_overdue=hazards.filter(deadline__lt=today).count(),
        hazards_submitted=hazards.filter(status=HazardStatus.SUBMITTED).count(),
        hazards_declined=hazards.filter(status=HazardStatus.DECLINED).count(),
        accidents=accidents.total.accidents,
        accident_deaths=accidents.total.deaths,
        signoffs_missing=sum(len(t.missing) for t in tracked),
        unreached=unreached(town, today),
    )


def _in_force(town: Town, today: datetime.date) -> bool:
    from yigang.org.chain import regulation_at

    return regulation_at(town, today) is not None


def running_years(today: datetime.date) -> list[int]:
    """The compliance years whose periods may be running today. A week belongs to its ISO year (29–31 December
    may already be next year's week 1) and a fortnight to the ISO year of its first Monday (the last one may run
    to 10 January), so early January and late December also look one year over (regulations/periods.py)."""
    years = {today.year, today.isocalendar().year}
    if today <= datetime.date(today.year, 1, 10):
        years.add(today.year - 1)
    return sorted(years)


def mine(user: Any, town: Town, today: datetime.date) -> Mine | None:
    """The reader's own duties and waiting work, or None when the account is not linked to a person."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from yigang.accidents.models import OnSiteTask
    from yigang.duties.compliance import compute
    from yigang.hazards.views import concerning
    from yigang.org.due import days_left
    from yigang.org.models import Person, Tenure
    from yigang.signoff.models import Task

    person = Person.objects.for_user(user).filter(town=town, user_id=user.pk).first()
    if person is None:
        return None
    post_ids = list(Tenure.objects.at(today).filter(person=person).values_list("post_id", flat=True))
    results = [compute(town, year, today=today, post_ids=post_ids) for year in running_years(today)]
    lines = []
    for row in (row for r in results for row in r.current()):
        if row.person_id != person.pk:
            continue
        query = urlencode(
            {
                "post": str(row.post_id),
                "kind": row.kind,
                "period": row.period_start.isoformat(),
                "until": row.period_end.isoformat(),
            }
        )
        lines.append(
            DutyLine(
                text=row.duty_text or row.kind_label,
                place=row.place,
                period_label=row.period_label,
                done=row.done,
                required=row.required,
                status=row.status,
                status_label=row.status_label,
                days_left=days_left(row.period_end, today),
                record_url=f"{reverse('duties:record_new')}?{query}",
            )
        )
    lines.sort(key=lambda d: (d.done >= d.required, d.days_left))
    # The hazards the person answers for (hazards/answering.py): the town's for the three town leaders, their
    # 分管 for other leaders, their body's and its sectors' for staff, their village's for a village secretary.
    hazards = concerning(user, town, person, limit=5)
    onsite = list(
        OnSiteTask.objects.calling()  # not a past accident's or a closed one's (accidents/models.py)
        .for_user(user)
        .filter(town=town, person=person)
        .select_related("accident__latest__unit")
        .order_by("-created_at")[:10]
    )
    signoffs = list(
        Task.objects.for_user(user)
        .filter(document__town=town, person=person, ended_at__isnull=True, confirmation__isnull=True)
        .select_related("document")
        .order_by("-created_at", "-id")[:10]
    )
    return Mine(
        person=person,
        regulation_in_force=any(r.rows for r in results) or _in_force(town, today),
        duties=lines,
        hazards=hazards,
        onsite=onsite,
        signoffs=signoffs,
    )


def assessment_hook() -> str | None:
    """The assessment app's home fragment if that app is installed, else None (see ASSESSMENT_HOOK)."""
    try:
        get_template(ASSESSMENT_HOOK)
    except TemplateDoesNotExist:
        return None
    return ASSESSMENT_HOOK


def context(user: Any, town: Town | None) -> dict[str, Any]:
    """The home page's context for `user` in `town`."""
    today = timezone.localdate()
    roles = roles_in(user, town)
    ctx: dict[str, Any] = {
        "today": today,
        "home_roles": roles,
        "office": None,
        "mine": None,
        "leading": None,
        "supervision": None,
    }
    if town is None:
        return ctx
    if Role.ENTERPRISE in roles:  # an enterprise's own account: its own home (enterprise.py), nothing else
        from .enterprise import enterprise_home

        ctx["enterprise"] = enterprise_home(user, town, today)
        ctx["enterprise_role"] = True
        return ctx
    if roles & OWN_RECORD_ROLES:
        ctx["mine"] = mine(user, town, today)
        ctx["own_records"] = True
        ctx["narrow"] = not (roles & {Role.OFFICER, Role.LEADER})
    if Role.LEADER in roles and ctx["mine"] is not None:
        # A leader's range: the whole town for the 书记, 镇长 and safety deputy, else their 分管 (leading.py).
        ctx["leading"] = leading(user, town, ctx["mine"].person, today)
    if roles & MANAGE_ROLES or (ctx["leading"] is not None and ctx["leading"].whole_town):
        # The three town leaders see the town's figures as the 安委办 does (全面领导 / 第一 / 第二责任人).
        ctx["office"] = office(user, town, today)
    # The supervision plans' coverage of the reader's bodies (supervision.py): the town's, a 分管 range's, a body's.
    ctx["supervision"] = supervision_card(user, town, today, roles, ctx["leading"])
    if roles & MANAGE_ROLES:
        ctx["assessment_hook"] = assessment_hook()  # a leader's home shows the assessment in its own card
    return ctx
