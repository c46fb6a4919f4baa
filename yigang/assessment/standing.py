"""Where the year-end assessment stands: for the 安委办's home card and for the county view's column.

The year an officer works on is the year the assessment pages open by default (`due_year`): last year until
December, this year from December on. A year with no round is "not started" (未开展) — never shown as zero
units scored or zero vetoes, which would read as an all-clear. A draft round is scored on the fly, as its page
does; a published round is read from its frozen snapshot.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yigang.towns.models import Town

from .models import Round
from .scoring import EXCELLENT, FAIL, GOOD, PASS, q

GRADES = (EXCELLENT, GOOD, PASS, FAIL)


def due_year(today: datetime.date) -> int:
    """The year whose assessment is being prepared: last year until December, this year from December on."""
    return today.year if today.month == 12 else today.year - 1


@dataclass
class Standing:
    """One round's figures: its subjects scored, graded and vetoed (units and leaders apart)."""

    year: int
    published: bool
    published_on: datetime.date | None = None
    units: int = 0
    persons: int = 0
    vetoed_units: int = 0
    vetoed_persons: int = 0
    adjustments: int = 0
    grades: list[tuple[str, int]] = field(default_factory=list)
    average: Decimal | None = None  # the units' mean score, to one decimal; None when no unit was scored

    @property
    def vetoed(self) -> int:
        return self.vetoed_units + self.vetoed_persons


def of_results(data: dict[str, Any], *, year: int, published: bool) -> Standing:
    """The figures of a round's results (a published snapshot or a draft computed now)."""
    units, persons = data.get("units", []), data.get("persons", [])
    counts = Counter(u["grade"] for u in units)
    scores = [Decimal(str(u["score"])) for u in units]
    return Standing(
        year=year,
        published=published,
        units=len(units),
        persons=len(persons),
        vetoed_units=sum(1 for u in units if u["vetoed"]),
        vetoed_persons=sum(1 for p in persons if p["vetoed"]),
        grades=[(g, counts[g]) for g in GRADES],
        average=q(sum(scores, Decimal(0)) / len(scores)) if scores else None,
    )


def of_round(rnd: Round) -> Standing:
    """A round's standing: the snapshot once published, else computed now with its adjustments."""
    if rnd.published:
        standing = of_results(rnd.snapshot, year=rnd.year, published=True)
        standing.published_on = rnd.published_at.date() if rnd.published_at else None
        return standing
    from .results import results

    standing = of_results(results(rnd.town, rnd.year), year=rnd.year, published=False)
    standing.adjustments = rnd.adjustments.count()
    return standing


def for_home(town: Town, today: datetime.date) -> tuple[int, Standing | None]:
    """The due year and its round's standing, or None when that year's assessment has not been started."""
    year = due_year(today)
    rnd = Round.objects.filter(town=town, year=year).select_related("town").first()
    return year, (of_round(rnd) if rnd is not None else None)


def latest_published(towns: list[Town], year: int) -> dict[int, Standing]:
    """Each town's latest published round up to `year` (one query); a town with none is left out."""
    found: dict[int, Standing] = {}
    rounds = (
        Round.objects.filter(town__in=towns, published=True, year__lte=year)
        .only("town_id", "year", "snapshot", "published", "published_at")
        .order_by("town_id", "-year")
    )
    for rnd in rounds:
        if rnd.town_id not in found:
            found[rnd.town_id] = of_round(rnd)
    return found
