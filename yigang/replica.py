"""Reads from a PostgreSQL streaming replica for the read-only pages, every write and its reads on the primary.

With `DATABASE_REPLICA_URL` set (settings.py adds the `replica` alias), the router sends a read to the replica
only when all of these hold:

- the request is for one of `REPLICA_PAGES` (the county's comparison, statistics, exports: pages that only read,
  and whose readers can bear a replica's lag of a fraction of a second) and is a GET or HEAD;
- the browser is not pinned to the primary: after any unsafe request (a POST, a login, a write through the API)
  the response sets `PIN_COOKIE` for `DATABASE_REPLICA_PIN_SECONDS`, so a user who just wrote reads their own
  write, not a replica that has not yet replayed it;
- no transaction is open on the primary (a read inside a write's transaction — the audit chain's last hash, a
  row locked for update — must see the primary);
- the model is not an account's or a session's (`PRIMARY_APPS`): the account policy, the session and the second
  factor are read on every page and must never lag behind a login or a password change.

Everything else — every write, and every read on any other page — goes to the primary. Without a replica
configured the router answers the primary for everything. docs/deployment.md says when to add a replica.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "yigang_primary"

# URL names (namespace:name) of the pages that only read and may read from the replica.
REPLICA_PAGES = frozenset(
    {
        "county:towns",
        "county:towns_xlsx",
        "county:town",
        "signoff:county",
        "hazards:stats",
        "hazards:stats_xlsx",
        "accidents:figures",
        "accidents:figures_xlsx",
        "duties:heatmap",
        "org:bulk_export",
        "places:bulk_export",
    }
)

# Apps whose rows are read on every request (accounts, sessions, second factors, lockouts): always the primary.
PRIMARY_APPS = frozenset(
    {"auth", "sessions", "contenttypes", "admin", "otp_totp", "otp_static", "axes", "towns"}
)

_on_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("yigang_reads_on_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 30))


class ReplicaRouter:
    """Django's database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if not _on_replica.get() or not configured():
            return PRIMARY
        if model._meta.app_label in PRIMARY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # One database seen twice: a row read on the replica may be related to one read on the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def pinned(request: HttpRequest, now: float | None = None) -> bool:
    """Whether this browser wrote recently and must read the primary (its own writes)."""
    try:
        until = float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return False
    return until > (time.time() if now is None else now)


def may_read_replica(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        configured()
        and request.method in ("GET", "HEAD")
        and match is not None
        and match.view_name in REPLICA_PAGES
        and not pinned(request)
    )


class ReplicaMiddleware:
    """Marks the read-only pages' views as reading the replica and pins a browser that wrote to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _on_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            _on_replica.reset(token)
        if configured() and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            seconds = pin_seconds()
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        # The view (and the template it renders) runs inside __call__, so the flag is reset after it.
        if may_read_replica(request) and replica_reachable():
            _on_replica.set(True)
        return None


# A replica that cannot be reached is left alone for a while and its pages read the primary: slower, never down.
RETRY_SECONDS = 30.0
_unreachable_until = 0.0


def replica_reachable() -> bool:
    global _unreachable_until
    if time.monotonic() < _unreachable_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except Exception:  # any failure to connect: the primary answers instead, and the log says why
        logger.warning(
            "the read replica cannot be reached; reading the primary for %.0f s", RETRY_SECONDS, exc_info=True
        )
        _unreachable_until = time.monotonic() + RETRY_SECONDS
        return False
    return True


class reads_replica:  # used as a context manager, like transaction.atomic
    """`with reads_replica():` — code outside a request (a command, a test) reading as a read-only page does."""

    def __enter__(self) -> None:
        self._token = _on_replica.set(True)

    def __exit__(self, *exc: object) -> None:
        _on_replica.reset(self._token)
