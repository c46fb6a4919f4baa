"""The home of an enterprise's own account (企业安全管理人员, issue 24.5): its place, its open hazards with the days
left and what is due from it, the 企业自查上报 button, and its latest notices.

Read through the same scoped querysets its pages use (Hazard.objects.for_user: the hazards at its enterprise),
in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from yigang.towns.models import Town


@dataclass
class HazardLine:
    """One open hazard at the enterprise: its deadline, the days left, and whose move it is."""

    hazard: Any
    days_left: int
    due: str  # what is due, in words
    from_us: bool  # the move is the enterprise's (提请验收)


@dataclass
class EnterpriseHome:
    place: Any
    hazards: list[HazardLine] = field(default_factory=list)
    notices: list[Any] = field(default_factory=list)
    unread: int = 0

    @property
    def due_from_us(self) -> int:
        return sum(1 for line in self.hazards if line.from_us)

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.hazards if line.days_left < 1)


def _due(status: str) -> tuple[str, bool]:
    from yigang.hazards.models import Status

    if status == Status.RECTIFYING:
        return _("整改完成后上传照片，提请验收"), True
    if status == Status.SUBMITTED:
        return _("已提请验收，等待监管部门验收"), False
    if status == Status.DECLINED:
        return _("责任单位申请退回，等待安委办裁定"), False
    return _("等待责任单位安排整改"), False


def enterprise_home(user: Any, town: Town, today: datetime.date) -> EnterpriseHome | None:
    """The enterprise's part of the home page, or None when its unit stands for no open place."""
    from yigang.hazards.access import own_place
    from yigang.hazards.models import OPEN_STATUSES, Hazard
    from yigang.notify.models import Notification
    from yigang.org.due import days_left

    place = own_place(user, town)
    if place is None:
        return None
    hazards = (
        Hazard.objects.for_user(user)
        .filter(town=town, status__in=OPEN_STATUSES)
        .select_related("sector", "owner_unit")
        .order_by("deadline", "pk")[:20]
    )
    lines = []
    for hazard in hazards:
        due, ours = _due(hazard.status)
        lines.append(HazardLine(hazard, days_left(hazard.deadline, today), due, ours))
    lines.sort(key=lambda line: (not line.from_us, line.days_left))
    mine = Notification.objects.for_user(user)
    return EnterpriseHome(
        place=place,
        hazards=lines,
        notices=list(mine.order_by("-created_at", "-id")[:5]),
        unread=mine.filter(read_at__isnull=True).count(),
    )
