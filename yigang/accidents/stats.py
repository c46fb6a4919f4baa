"""Annual figures: accidents, deaths, serious injuries and direct loss by grade, by sector and by village."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .grading import Grade
from .models import Report


@dataclass
class Row:
    label: str
    accidents: int = 0
    deaths: int = 0
    serious_injuries: int = 0
    missing: int = 0
    direct_loss: Decimal = Decimal(0)

    def add(self, report: Report) -> None:
        self.accidents += 1
        self.deaths += report.deaths
        self.serious_injuries += report.serious_injuries
        self.missing += report.missing
        self.direct_loss += report.direct_loss


@dataclass
class YearFigures:
    year: int
    total: Row = field(default_factory=lambda: Row("合计"))
    by_grade: list[Row] = field(default_factory=list)
    by_sector: list[Row] = field(default_factory=list)
    by_village: list[Row] = field(default_factory=list)
    late: int = 0

    def chart(self) -> dict[str, Any]:
        """The data the page's ECharts bars read (json_script)."""
        return {
            "grades": [[r.label, r.accidents] for r in self.by_grade],
            "sectors": [[r.label, r.accidents] for r in self.by_sector],
            "villages": [[r.label, r.accidents] for r in self.by_village],
        }


def year_figures(accidents: Any, year: int) -> YearFigures:
    """Figures from the current version of each accident the reader may see (`accidents` is already scoped)."""
    return _figures(_current_reports(accidents, year), year)


def year_figures_by_town(accidents: Any, year: int, town_ids: list[int]) -> dict[int, YearFigures]:
    """`year_figures` of each town (the county view), in one query for all of them."""
    reports: dict[int, list[Report]] = {pk: [] for pk in town_ids}
    for report in _current_reports(accidents.filter(town_id__in=town_ids), year):
        reports[report.town_id].append(report)
    return {pk: _figures(found, year) for pk, found in reports.items()}


def _current_reports(accidents: Any, year: int) -> list[Report]:
    return list(
        Report.objects.filter(pk__in=accidents.in_year(year).values("latest_id")).select_related(
            "sector", "village"
        )
    )


def _figures(reports: list[Report], year: int) -> YearFigures:
    figures = YearFigures(year)
    grades = {g: Row(g) for g in Grade.ORDER}
    sectors: dict[str, Row] = defaultdict(lambda: Row(""))
    villages: dict[str, Row] = defaultdict(lambda: Row(""))
    for report in reports:
        figures.total.add(report)
        grades[report.grade].add(report)
        sector = sectors[report.sector.name]
        sector.label = report.sector.name
        sector.add(report)
        place = report.village.name if report.village else "镇区 / 全镇"
        village = villages[place]
        village.label = place
        village.add(report)
        figures.late += report.late_by is not None
    figures.by_grade = [grades[g] for g in Grade.ORDER]
    order = Counter({k: v.accidents for k, v in sectors.items()})
    figures.by_sector = [sectors[k] for k, _n in order.most_common()]
    order = Counter({k: v.accidents for k, v in villages.items()})
    figures.by_village = [villages[k] for k, _n in order.most_common()]
    return figures
