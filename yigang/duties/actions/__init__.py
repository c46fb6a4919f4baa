"""Every write to duty records and reminder settings: one transaction and one audit entry each.

Records are evidence: there is no edit and no delete. `amend_record` adds a new version with a reason.
"""

# Where each part lives: checks (what a record is made of, and the checks it passes), records (one entered by
# hand), bulk (many at once, from a file), amendments (a new version with a reason), policies (reminder days and
# record rules), town_duties (镇定要求). The public names stay importable from here; each module imports the
# others by their own names, never this package, so no import goes round in a circle.

from .amendments import amend_record, record_data
from .bulk import RecordsRefused, create_records
from .checks import CLOCK_SLACK, EARLIEST, RecordData, Upload
from .policies import set_record_rules, set_reminder_policy
from .records import create_record
from .town_duties import add_town_duty, end_town_duty

__all__ = [
    "CLOCK_SLACK",
    "EARLIEST",
    "RecordData",
    "RecordsRefused",
    "Upload",
    "add_town_duty",
    "amend_record",
    "create_record",
    "create_records",
    "end_town_duty",
    "record_data",
    "set_record_rules",
    "set_reminder_policy",
]
