"""Compliance: for every frequency duty, post and period of a year, required vs done and a status.

The rule is written down in docs/compliance.md; in short:
- the regulation version in force on each day decides which duties bind that day; a duty that continues
  unchanged from one version to the next is one duty;
- a record counts (matching kind, crediting the post, latest version, not withdrawn) for whoever held the
  post on the record's date;
- the post owes the regulation's minimum for a period it existed all of (pro rata, rounded half up, for a
  period it existed part of); that total is shared between the holders and the vacancy by days held with the
  largest-remainder method, so the shares always add up to what the post owes; each holder is judged on their
  days only; days with no holder form a "vacant" row, never a person's failure; and a post-level row judges
  the seat as a whole (`TownYear.post_rows`);
- periods not started yet, or with no day on which both the duty and the post existed, are "not applicable".

`compute()` reads everything it needs in a fixed number of queries (seven), whatever the number of records,
and then works in Python.
"""

# Where each part lives: results (Row, TownYear and the words a row is judged in), reading (the seven queries),
# judging (one town's rows: shares, statuses), batch (compute, compute_towns: towns in groups). The public names
# stay importable from here; each module imports the others by their own names, never this package, so no
# import goes round in a circle.
from .batch import TOWNS_AT_ONCE, compute, compute_towns
from .judging import AT_RISK_ELAPSED, largest_remainder, round_half_up
from .results import Level, RecordRef, Row, Source, Status, TownYear

__all__ = [
    "AT_RISK_ELAPSED",
    "TOWNS_AT_ONCE",
    "Level",
    "RecordRef",
    "Row",
    "Source",
    "Status",
    "TownYear",
    "compute",
    "compute_towns",
    "largest_remainder",
    "round_half_up",
]
