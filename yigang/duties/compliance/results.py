"""What a compliance computation gives: a town-year of rows, each judging one post, duty and period, and the
words (statuses, levels, sources) a row is judged in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from yigang.regulations.choices import DutyKind, Period
from yigang.regulations.periods import D, Span
from yigang.towns.models import Town


class Source:
    """Whose duty a row judges: the regulation's, or the town's own (kept apart, marked as the town's)."""

    REGULATION = "regulation"
    TOWN = "town"


class Level:
    """What a row judges: the seat as a whole, one holder's days, or the days nobody held the post."""

    POST = "post"
    HOLDER = "holder"
    VACANCY = "vacancy"


class Status:
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NOT_APPLICABLE = "not_applicable"
    VACANT = "vacant"

    LABELS = {
        MET: _("已完成"),
        ON_TRACK: _("进行中"),
        AT_RISK: _("有风险"),
        MISSED: _("未完成"),
        NOT_APPLICABLE: _("不适用"),
        VACANT: _("岗位空缺"),
    }
    # Worst first: a heatmap cell shows the worst of its rows.
    SEVERITY = (MISSED, VACANT, AT_RISK, ON_TRACK, MET, NOT_APPLICABLE)
    BEHIND = frozenset({AT_RISK, MISSED, VACANT})


class RecordRef(NamedTuple):
    """A counted record. A tuple, not a dataclass: compute() makes one per counting credit (about 3,400 a town a
    year), and its field order is the order records are counted in — by date, then id — so a list of them sorts
    without a key function."""

    on: D
    id: int
    root_id: int
    title: str
    late: bool = False  # 补录
    led: bool = True  # the post chaired or organised it


@dataclass
class Row:
    post_id: int
    post: str
    unit: str
    unit_id: int  # what narrows a body's or village's view to its own posts (access.Part)
    person_id: int | None
    person: str | None
    duty_id: int
    article: int | None
    item: int | None
    kind: str
    period: str
    period_start: D
    period_end: D
    period_label: str
    min_count: int
    required: int
    done: int
    status: str
    spans: list[Span] = field(default_factory=list)
    records: list[RecordRef] = field(default_factory=list)
    duty_text: str = ""
    regulation_version: int = 0
    level: str = Level.HOLDER
    source: str = "regulation"  # Source.REGULATION, or Source.TOWN for the town's own duty (镇定要求)

    @property
    def late(self) -> int:
        """How many of the records counted in `done` are 补录 (entered late); they count, shown apart."""
        return sum(1 for r in self.records if r.late)

    @property
    def end(self) -> D:
        """The last day this row judges (the person's last day in the period, or the period's end)."""
        return max(s.end for s in self.spans) if self.spans else self.period_end

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])

    @property
    def kind_label(self) -> str:
        return str(DutyKind(self.kind).label)

    @property
    def place(self) -> str:
        from yigang.words import chinese_number

        if self.source == Source.TOWN:
            return str(_("本镇要求"))
        if self.article is None:
            return "—"
        return f"第{chinese_number(self.article)}条" + (f"第{self.item}项" if self.item else "")

    @property
    def frequency(self) -> str:
        return f"{Period(self.period).label}至少{self.min_count}次"

    @property
    def missing(self) -> int:
        return max(self.required - self.done, 0)

    def as_json(self) -> dict[str, Any]:
        """The row as `yigang compliance --json` and the API print it."""
        return {
            "post": self.post,
            "person": self.person,
            "article": self.article,
            "item": self.item,
            "kind": self.kind,
            "period": self.period,
            "period_start": self.period_start.isoformat(),
            "required": self.required,
            "done": self.done,
            "status": self.status,
            "level": self.level,
            "late": self.late,
            "source": self.source,
        }


@dataclass
class TownYear:
    """Holders' and vacancy rows (`rows`), and beside them one row per post, duty and period for the seat as a
    whole (`post_rows`): its required is what the post owes, and the rows of that post, duty and period in
    `rows` share it exactly."""

    town: Town
    year: int
    today: D
    rows: list[Row]
    post_rows: list[Row] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "town": self.town.name,
            "year": self.year,
            "rows": [r.as_json() for r in self.rows],
            "post_rows": [r.as_json() for r in self.post_rows],
        }

    def posts_behind_now(self) -> list[Row]:
        """Post-level rows that need attention: running periods at risk, and every period the seat missed."""
        return [
            r
            for r in self.post_rows
            if r.status == Status.MISSED
            or (r.status == Status.AT_RISK and r.period_start <= self.today <= r.period_end)
        ]

    def current(self) -> list[Row]:
        """Rows of the periods running today."""
        return [r for r in self.rows if r.period_start <= self.today <= r.period_end]

    def behind_now(self) -> list[Row]:
        """What needs attention today: running periods at risk or vacant, and every period missed this year."""
        return [
            r
            for r in self.rows
            if (r.status in Status.BEHIND and r.period_start <= self.today <= r.period_end)
            or r.status == Status.MISSED
            or (r.status == Status.VACANT and r.period_end < self.today)
        ]

    def for_person(self, person_id: int) -> list[Row]:
        return [r for r in self.rows if r.person_id == person_id]

    def late_records(self) -> int:
        """How many distinct records counted this year are 补录 (a joint record counts once)."""
        return len({ref.root_id for r in self.rows for ref in r.records if ref.late})

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(Status.SEVERITY, 0)
        for r in self.rows:
            counts[r.status] += 1
        return counts

    def heatmap_month(self, row: Row) -> int:
        """The month (1–12) a row is shown in: where its period ends, or this month while it runs."""
        day = min(row.period_end, self.today) if row.period_start <= self.today else row.period_end
        if day.year < self.year:
            return 1
        if day.year > self.year:
            return 12
        return day.month
