"""Every write of sign-off: distribution, the yearly rounds, the target template and letters, confirmations.

Distribution is idempotent: `sync_town` (run by the officer's "distribute" button and by every `yigang remind`
run) makes the tasks match the register on the day — a new holder gets a task, a holder who left loses their open
one, a new year opens a new round of duty lists, and a new regulation version re-opens only the lists whose text
it changed. Regulation activation itself does not call in here (imports point one way: sign-off builds on the
regulation, never the reverse); the next run after activation distributes the new version.
"""

from .confirmation import attach_scan, confirm, record_paper_signature
from .nudge import NUDGE_INTERVAL, NudgeResult, last_nudge, next_nudge_at, nudge
from .policy import set_policy
from .sync import Preview, SyncResult, distribute, distribute_regulation, preview, sync_town
from .targets import add_target_item, create_target_template, issue_target_letters, remove_target_item

__all__ = [
    "NUDGE_INTERVAL",
    "NudgeResult",
    "Preview",
    "SyncResult",
    "add_target_item",
    "attach_scan",
    "confirm",
    "create_target_template",
    "distribute",
    "distribute_regulation",
    "issue_target_letters",
    "last_nudge",
    "next_nudge_at",
    "nudge",
    "preview",
    "record_paper_signature",
    "remove_target_item",
    "set_policy",
    "sync_town",
]
