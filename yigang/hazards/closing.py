"""What a 销号 means, said before it is done: the hazard is closed and no step can change it again, who is told,
and how the figures will count it (stats.py: on time, within an extension, or late)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import Hazard
from .notices import closing_recipients, name_of


@dataclass(frozen=True)
class Preview:
    told: list[str]  # the names of those who will be told
    counts_as: str  # how the statistics will count it, in words


def counts_as(hazard: Hazard, on: datetime.date) -> str:
    """How the statistics count a hazard closed on `on` (the rule of stats.py, in words)."""
    first = hazard.first_deadline
    if on <= first:
        return f"按期销号（整改期限 {first:%Y-%m-%d}）"
    if hazard.extended and on <= hazard.deadline:
        return f"延期内销号（原期限 {first:%Y-%m-%d}，批准延至 {hazard.deadline:%Y-%m-%d}），不计为按期销号"
    return f"逾期销号：已超过整改期限（{hazard.deadline:%Y-%m-%d}）{(on - hazard.deadline).days} 天，不计为按期销号"


def preview(hazard: Hazard, on: datetime.date) -> Preview:
    return Preview(told=[name_of(u) for u in closing_recipients(hazard, on)], counts_as=counts_as(hazard, on))
