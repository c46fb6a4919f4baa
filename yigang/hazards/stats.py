"""Hazard statistics per year and quarter (安监总局令第16号: statistics per quarter and per year).

The hazards counted are those *found* in the year (or quarter), as they stand on `as_of` (default today):
- found: found in the period; major: of those, graded 重大隐患;
- closed: closed (销号) by `as_of`; closed_on_time: closed on or before the deadline first set;
- extended: given an approved extension (延期整改), counted apart; closed_in_extension: closed after the deadline
  first set but by the approved one (not "on time");
- open: not closed by `as_of`; overdue: open and past the deadline in force (the approved one) on `as_of`.
By sector and by village (a hazard with no village counts under the town: "全镇").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from yigang.exports.excel import render_xlsx

from .models import Grade, Hazard

COUNTS = ("found", "closed", "closed_on_time", "open", "overdue", "major", "extended", "closed_in_extension")
LABELS = {
    "found": "发现",
    "closed": "已销号",
    "closed_on_time": "按期销号",
    "open": "未销号",
    "overdue": "逾期未销号",
    "major": "重大隐患",
    "extended": "批准延期",
    "closed_in_extension": "延期内销号",
}
WHOLE_TOWN = "全镇"


def _zero() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


@dataclass
class Stats:
    town: str
    year: int
    as_of: datetime.date
    total: dict[str, int] = field(default_factory=_zero)
    by_sector: dict[str, dict[str, int]] = field(default_factory=dict)
    by_village: dict[str, dict[str, int]] = field(default_factory=dict)
    by_quarter: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The JSON of `yigang hazard stats --json` and of the API."""
        return {
            "town": self.town,
            "year": self.year,
            **self.total,
            "by_sector": self.by_sector,
            "by_village": self.by_village,
        }

    def chart(self) -> dict[str, Any]:
        """What the ECharts page draws (static/js/hazards.js)."""
        sectors = sorted(self.by_sector, key=lambda s: -self.by_sector[s]["found"])
        villages = sorted(self.by_village, key=lambda v: -self.by_village[v]["found"])
        return {
            "labels": LABELS,
            "quarters": list(self.by_quarter),
            "by_quarter": {k: [self.by_quarter[q][k] for q in self.by_quarter] for k in COUNTS},
            "sectors": sectors,
            "by_sector": {k: [self.by_sector[s][k] for s in sectors] for k in COUNTS},
            "villages": villages,
            "by_village": {k: [self.by_village[v][k] for v in villages] for k in COUNTS},
        }


def _count(counts: dict[str, int], h: Hazard, as_of: datetime.date) -> None:
    closed = h.closed_on is not None and h.closed_on <= as_of
    counts["found"] += 1
    counts["major"] += h.grade == Grade.MAJOR
    counts["closed"] += closed
    on_time = closed and h.closed_on is not None and h.closed_on <= h.first_deadline
    counts["closed_on_time"] += on_time
    counts["extended"] += h.extended
    counts["closed_in_extension"] += closed and not on_time and h.extended and h.closed_on <= h.deadline  # type: ignore[operator]
    counts["open"] += not closed
    counts["overdue"] += not closed and h.deadline < as_of


def compute(hazards: Any, *, town: Any, year: int, as_of: datetime.date | None = None) -> Stats:
    """Statistics of `hazards` (a queryset the caller has scoped) found in `year`; one query."""
    as_of = as_of or timezone.localdate()
    stats = Stats(town=town.name, year=year, as_of=as_of)
    stats.by_quarter = {f"第{q}季度": _zero() for q in range(1, 5)}
    rows = (
        hazards.filter(town=town, found_on__year=year, found_on__lte=as_of)
        .select_related("sector", "village")
        .order_by("found_on", "pk")
    )
    for h in rows:
        _count(stats.total, h, as_of)
        _count(stats.by_sector.setdefault(h.sector.name, _zero()), h, as_of)
        _count(stats.by_village.setdefault(h.village.name if h.village else WHOLE_TOWN, _zero()), h, as_of)
        _count(stats.by_quarter[f"第{(h.found_on.month - 1) // 3 + 1}季度"], h, as_of)
    return stats


def stats_xlsx(stats: Stats) -> bytes:
    """One sheet: the year, each quarter, each sector and each village, one row each."""
    rows: list[list[object]] = [["全年", stats.year, *(stats.total[k] for k in COUNTS)]]
    rows += [["季度", q, *(c[k] for k in COUNTS)] for q, c in stats.by_quarter.items()]
    rows += [["行业领域", s, *(c[k] for k in COUNTS)] for s, c in sorted(stats.by_sector.items())]
    rows += [["嘎查村（社区）", v, *(c[k] for k in COUNTS)] for v, c in sorted(stats.by_village.items())]
    return render_xlsx(
        sheet=f"{stats.year}隐患统计",
        title=f"{stats.town}{stats.year}年隐患排查治理统计（截至{stats.as_of:%Y年%m月%d日}）",
        columns=["分类", "项目", *(LABELS[k] for k in COUNTS)],
        rows=rows,
        widths=[14, 24, 10, 10, 10, 10, 12, 10, 10, 12],
    )
