"""Every write to hazards: one transaction, one audit entry, and a dated, attributed event for each step.

The lifecycle (docs/hazards.md): reported → assigned → rectifying → submitted (with after-photos) → closed
(销号), or sent back to rectifying with a reason. An owner may decline with a reason; the 安委办 then keeps it
with the owner or reassigns it, and the decision is kept. A major hazard (重大隐患) cannot enter rectification
without a plan holding all of 五落实. Nothing is edited in place and nothing is deleted: the events are the
history, the row only mirrors the current state for lists.
"""

# Where each part lives: base (the moment events are dated at, who acted, the event row, the locked hazard),
# photos (vetted, stored, removed again on failure), reporting (the report checked, numbered, routed),
# deciding (a decline and the 安委办's decision), rectifying (the plan, submission, 销号 or send-back),
# extensions (延期整改), nudging (催办), policy (the escalation ladder). The public names stay importable from here; each module
# imports the others by their own names, never this package, so no import goes round in a circle.
from .base import Upload, backdated
from .deciding import decide, decline, handles
from .extensions import EXTENSION_OPEN, MAX_EXTENSION_DAYS, ask_extension, decide_extension
from .nudging import NUDGE_INTERVAL, Nudged, last_nudge, next_nudge_at, nudge
from .photos import MAX_PHOTOS, check_photos
from .policy import escalate, set_policy
from .rectifying import (
    PlanData,
    accept,
    last_submission,
    send_back,
    separation_problem,
    start_rectifying,
    submit,
)
from .reporting import EARLIEST, HazardData, at_own_place, date_errors, report_hazard

__all__ = [
    "EARLIEST",
    "EXTENSION_OPEN",
    "MAX_EXTENSION_DAYS",
    "MAX_PHOTOS",
    "NUDGE_INTERVAL",
    "HazardData",
    "Nudged",
    "PlanData",
    "Upload",
    "accept",
    "ask_extension",
    "at_own_place",
    "backdated",
    "check_photos",
    "date_errors",
    "decide",
    "decide_extension",
    "decline",
    "escalate",
    "handles",
    "last_nudge",
    "last_submission",
    "next_nudge_at",
    "nudge",
    "report_hazard",
    "send_back",
    "separation_problem",
    "set_policy",
    "start_rectifying",
    "submit",
]
