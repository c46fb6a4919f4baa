"""Every write to accidents: one transaction and one audit entry each. Nothing is edited in place or deleted.

`report_accident` records the first report, grades it, freezes the chain of responsibility at the accident's
moment and, when people died or were seriously injured, gives the leaders the regulation names an on-site task.
`change_report` adds a new version (a correction, or a 补报 of casualties) and re-grades; a grade that rises tells
the leaders again. An arrival confirmed is checked (核实) by another officer; the investigation report
registered is closed (结案) by another officer with their password. The clocks' flags (迟报, a 补报 past its window) are computed here and kept on each version.
"""

from .files import Upload
from .investigation import (
    close_investigation,
    close_refusal,
    extend_investigation,
    is_closed,
    record_finding,
    submit_investigation,
    unconfirmed_tasks,
)
from .on_site import ON_SITE_ROLES, confirm_arrival, freeze_chain, holder_user, verify_arrival, verify_refusal
from .reports import (
    CASUALTY_FIELDS,
    CLOCK_SLACK,
    EARLIEST,
    GRADE_FIELDS,
    ReportData,
    clean,
    made_at_errors,
    report_data,
    snapshot,
    time_errors,
)
from .versions import change_report, graded_casualties, report_accident

__all__ = [
    "CASUALTY_FIELDS",
    "CLOCK_SLACK",
    "EARLIEST",
    "GRADE_FIELDS",
    "ON_SITE_ROLES",
    "ReportData",
    "Upload",
    "change_report",
    "clean",
    "close_investigation",
    "close_refusal",
    "confirm_arrival",
    "extend_investigation",
    "freeze_chain",
    "graded_casualties",
    "holder_user",
    "is_closed",
    "made_at_errors",
    "record_finding",
    "report_accident",
    "report_data",
    "snapshot",
    "submit_investigation",
    "time_errors",
    "unconfirmed_tasks",
    "verify_arrival",
    "verify_refusal",
]
