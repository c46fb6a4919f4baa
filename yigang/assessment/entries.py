"""What the accountability file holds: one Entry per person in a post over the window, and the File; the grades
and weights of the reading (docs/accountability.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

DONE, FAIR, NOT_DONE = "尽职", "基本尽职", "未尽职"
GRADES = (DONE, FAIR, NOT_DONE)
# The reading's rule (docs/accountability.md): completion on record below this share of what was owed, with at
# least two periods missed, is 未尽职 on its own; a single missed period never is.
COMPLETION_LINE = 0.8
NOTICE = (
    "本材料汇集事故（隐患）发生前责任人员履职的记录证据，供有权机关认定责任时参考，"
    "不是责任认定结论；“履职评定”按公开的评定规则由记录得出，镇安委办的意见另行记载。"
)
UNKNOWN_ENTRY = "登记时间未记录（早于系统开始记录录入时间）"

SERIOUS, MINOR, INFO = "serious", "minor", "info"
INSPECTION_KINDS = frozenset(
    {"inspection", "guided_inspection", "survey_inspection", "supervision", "rectification", "campaign"}
)
TRAINING_KINDS = frozenset({"training", "drill"})
# The regulation's words that lay each checked duty on a post (matched in the duty texts of the post's kind).
CHECKS: tuple[tuple[str, str, str], ...] = (
    ("training", "安全教育培训", r"培训|教育|宣传|演练"),
    ("three_simultaneities", "监督“三同时”", r"三同时"),
    ("inspection", "检查事故所在行业领域和地点", r"检查|督查|巡查|排查"),
    ("hazards", "该行业领域和地点的隐患及其整改", r"隐患"),
    ("duty_list", "确认本人责任清单（签收）", r""),
)


@dataclass
class Entry:
    """One person in one post over the window (the holder at the moment, or a predecessor)."""

    person: str
    person_id: int
    post: str
    post_id: int
    level: str
    role_label: str
    in_chain: bool
    held_from: datetime.date
    held_until: datetime.date
    required: int = 0
    done: int = 0  # on record at the as-of moment, with the admitted 补录
    done_with_late: int = 0  # every record now in the system
    gaps: list[str] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    hazards: list[dict[str, Any]] = field(default_factory=list)
    reminders: list[dict[str, Any]] = field(default_factory=list)
    duties: list[dict[str, Any]] = field(default_factory=list)
    checklist: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def finding(self) -> str:
        """The graded reading (docs/accountability.md)."""
        weights = {line["weight"] for line in self.lines}
        if SERIOUS in weights:
            return NOT_DONE
        if MINOR in weights:
            return FAIR
        return DONE

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "person_id": self.person_id,
            "post": self.post,
            "post_id": self.post_id,
            "level": self.level,
            "role_label": self.role_label,
            "in_chain": self.in_chain,
            "held": {"from": self.held_from.isoformat(), "until": self.held_until.isoformat()},
            "compliance": {
                "required": self.required,
                "done": self.done,
                "done_with_late": self.done_with_late,
            },
            "duties": self.duties,
            "records": self.records,
            "checklist": self.checklist,
            "hazards": self.hazards,
            "reminders": self.reminders,
            "gaps": self.gaps,
            "reading": {"grade": self.finding, "lines": self.lines},
            "finding": self.finding,
        }


@dataclass
class File:
    subject: str
    at: str  # the moment, ISO (an accident's time, a hazard's day)
    day: datetime.date
    chain: list[dict[str, Any]]
    entries: list[Entry]
    kind: str
    obj_id: int
    town_id: int | None = None
    as_of: str = ""  # records entered after this are 事后补录
    register_as_of: str = ""  # the chain as on record at this moment
    window: dict[str, Any] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)
    register_changes: list[dict[str, Any]] = field(default_factory=list)
    late_records: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The JSON of `yigang accountability --json`, and what an issued file stores."""
        return {
            "subject": self.subject,
            "kind": self.kind,
            "id": self.obj_id,
            "at": self.at,
            "as_of": self.as_of,
            "register_as_of": self.register_as_of,
            "window": self.window,
            "chain": self.chain,
            "register_changes": self.register_changes,
            "posts": self.posts,
            "late_records": self.late_records,
            "persons": [e.as_json() for e in self.entries],
            "findings": self.findings,
            "notice": NOTICE,
        }
