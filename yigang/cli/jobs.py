"""Scheduled jobs that several app servers may start at the same moment: the database decides who runs.

`exclusive(name)` takes a lock named `name` that only one process in the whole deployment can hold:

- on PostgreSQL, a session advisory lock (`pg_try_advisory_lock`) on the shared database — every app server
  asks the same database, so exactly one gets it; a crashed holder's lock ends with its connection;
- on SQLite (one machine by nature: the database is a file), an exclusive `flock` on a file beside it, which
  the kernel drops when the holder dies.

It never waits: whoever does not get the lock skips this run (the winner does the work; the next timer tick
tries again). Inside, every notice still carries its unique delivery key (`notify.Delivery.key`), so even two
runs that overlapped — a lock lost with its connection — could not send a notice twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (advisory locks are numbered)."""
    return int.from_bytes(hashlib.sha256(f"yigang:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """Yield True if this process holds the deployment-wide lock `name` for the block, False if another does."""
    if connection.vendor == "postgresql":
        key = lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            row = cursor.fetchone()
        got = bool(row and row[0])
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    path = Path(settings.VAR_DIR) / f"{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
