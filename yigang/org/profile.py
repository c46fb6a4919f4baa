"""A person's page: the posts they hold and held, their personal duty list (责任清单), and what is due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from yigang.regulations.choices import PostKind
from yigang.regulations.duty_list import DutyList, build_duty_list
from yigang.regulations.models import Duty, Regulation

from .chain import level_labels, regulation_at
from .due import Window, window
from .handover import body_handovers
from .models import Person, Portfolio, Post, Tenure


@dataclass
class Held:
    """One tenure, with the regulation in force at the time (today for a current post, else its last day)."""

    tenure: Tenure
    regulation: Regulation | None
    level: str

    @property
    def post(self) -> Post:
        return self.tenure.post


@dataclass
class DueItem:
    post: str
    duty: Duty
    window: Window
    days_left: int


@dataclass
class Profile:
    person: Person
    day: datetime.date
    current: list[Held] = field(default_factory=list)
    upcoming: list[Held] = field(default_factory=list)
    past: list[Held] = field(default_factory=list)
    duty_lists: list[DutyList] = field(default_factory=list)
    due: list[DueItem] = field(default_factory=list)
    portfolios: list[Portfolio] = field(default_factory=list)
    regulation: Regulation | None = None


def build_profile(person: Person, day: datetime.date) -> Profile:
    """Everything the person page and the API show for `person` as of `day`."""
    profile = Profile(person=person, day=day)
    profile.regulation = regulation_at(person.town, day)
    today_labels = level_labels(profile.regulation)
    tenures = list(
        Tenure.objects.filter(person=person).select_related("post__unit").order_by("-start", "-id")
    )
    regs: dict[datetime.date, Regulation | None] = {}
    for tenure in tenures:
        if tenure.start > day:
            profile.upcoming.append(Held(tenure, profile.regulation, today_labels.get(tenure.post.kind, "")))
        elif tenure.end is None or tenure.end >= day:
            profile.current.append(Held(tenure, profile.regulation, today_labels.get(tenure.post.kind, "")))
        else:
            assert tenure.end is not None
            if tenure.end not in regs:
                regs[tenure.end] = regulation_at(person.town, tenure.end)
            regulation = regs[tenure.end]
            profile.past.append(Held(tenure, regulation, level_labels(regulation).get(tenure.post.kind, "")))

    # Only the regulation's own post kinds have a duty list: an enterprise's legal representative
    # (ENTERPRISE_HEAD, 主体责任) is in the register, but the regulation binds no duty to that post.
    bound = [h for h in profile.current if h.tenure.post.kind in PostKind.values]
    kinds = list(dict.fromkeys(h.tenure.post.kind for h in bound))
    if profile.regulation is not None and kinds:
        # A department head's list is their own body's (Art. 12 names each body's sectors): one list per body
        # they head; every other kind has one list whoever holds it.
        wanted = dict.fromkeys(
            (h.tenure.post.kind, h.tenure.post.unit.name if h.tenure.post.kind == "department_head" else "")
            for h in bound
        )
        units = {h.tenure.post.unit.name: h.tenure.post.unit for h in profile.current}
        profile.duty_lists = [
            build_duty_list(profile.regulation, kind, unit, **body_handovers(units.get(unit), day))
            for kind, unit in wanted
        ]
        titles = {h.tenure.post.kind: h.tenure.post.title for h in profile.current}
        duties = (
            Duty.objects.filter(regulation=profile.regulation, post__in=kinds, min_count__isnull=False)
            .select_related("article", "item")
            .order_by("position")
        )
        for duty in duties:
            w = window(duty.period, day)
            profile.due.append(DueItem(titles[duty.post], duty, w, w.days_left(day)))
        profile.due.sort(key=lambda item: (item.window.end, item.duty.position))

    current_posts = [h.tenure.post_id for h in profile.current]
    profile.portfolios = list(
        Portfolio.objects.at(day)
        .filter(post_id__in=current_posts)
        .select_related("post", "unit", "sector")
        .order_by("start", "id")
    )
    return profile
