"""A town-year's compliance kept in the process until anything is written.

`compute()` reads a dozen tables (records, credits, versions, duties, town duties, posts, tenures, units, the
record rules…), several without a timestamp, so "has anything changed?" cannot be asked of them. It can be asked
of the audit chain instead: every write of the system goes through an action that appends an audit entry in the
same transaction (the county builder and the bulk import append one too), and the chain has a single writer at a
time whose lock is held until commit (audit.log.record), so entries become visible in id order. The newest
entry's id and hash therefore change with every committed write; a result stored under them is the result for
exactly that state of the database. The hash is part of the mark because ids are not unique across histories: a
restored backup that goes on differently reuses the ids, never the hashes (each hash chains the entry's time and
content). The day is part of the key too — statuses depend on today — and nothing is kept longer than
`COMPLIANCE_CACHE_SECONDS` in any case, so a write that bypassed the actions (a defect) is not shown for long.

Reading the mark first and computing second keeps this safe under concurrent writers: a result can only be newer
than its mark, never older. The cache is per process (no pickling of thousands of rows), bounded, and only for
the whole town (`post_ids` narrowed calls are cheap and not cached).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone

from yigang.towns.models import Town

from .compliance import TownYear, compute_towns

_lock = threading.Lock()
_kept: OrderedDict[tuple[Any, ...], tuple[float, TownYear]] = OrderedDict()


def data_mark() -> str:
    """Changes with every committed write (see the module's note): the newest audit entry's id and hash."""
    from yigang.audit.models import AuditEntry

    newest = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
    return f"{newest[0]}-{newest[1][:16]}" if newest else "0"


def town_year(
    town: Town, year: int, *, today: datetime.date | None = None, mark: str | None = None
) -> TownYear:
    """`compute(town, year, today=today)`, from this process's memory while nothing has been written since.

    The result is shared between requests: callers only read it (access.Part.town_year copies rows it narrows).
    """
    return town_years([town], year, today=today, mark=mark)[0]


def town_years(
    towns: Sequence[Town], year: int, *, today: datetime.date | None = None, mark: str | None = None
) -> list[TownYear]:
    """`town_year()` of each town; the ones not kept are computed together (`compute_towns`, seven queries)."""
    today = today or timezone.localdate()
    size = settings.COMPLIANCE_CACHE_SIZE
    if size <= 0:
        return compute_towns(towns, year, today=today)
    mark = mark or data_mark()
    database = settings.DATABASES["default"]["NAME"]
    keys = [(database, town.pk, year, today, mark) for town in towns]
    now = time.monotonic()
    found: dict[tuple[Any, ...], TownYear] = {}
    with _lock:
        for key in keys:
            hit = _kept.get(key)
            if hit is not None and now - hit[0] <= settings.COMPLIANCE_CACHE_SECONDS:
                _kept.move_to_end(key)
                found[key] = hit[1]
    missing = [(key, town) for key, town in zip(keys, towns, strict=True) if key not in found]
    if missing:
        computed = compute_towns([town for _key, town in missing], year, today=today)
        with _lock:
            for (key, _town), result in zip(missing, computed, strict=True):
                found[key] = result
                _kept[key] = (now, result)
                _kept.move_to_end(key)
            while len(_kept) > size:
                _kept.popitem(last=False)
    return [found[key] for key in keys]


def seconds() -> int:
    """How long a page may keep what it rendered from a kept result (0: the cache is off)."""
    return settings.COMPLIANCE_CACHE_SECONDS if settings.COMPLIANCE_CACHE_SIZE > 0 else 0


def forget() -> None:
    """Empty this process's cache (tests; a restore run in the same process)."""
    with _lock:
        _kept.clear()
