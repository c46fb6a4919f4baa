"""Reads from a PostgreSQL streaming replica for the read-only pages, every write and its reads on the primary.

With `DATABASE_REPLICA_URL` set (settings.py adds the `replica` alias), the router sends a read to the replica
only when all of these hold:

- the request is for one of `REPLICA_PAGES` (the county's comparison, statistics, exports: pages that only read,
  and whose readers can bear a replica's lag of a fraction of a second) and is a GET or HEAD, or it is one of the
  API's reads of the same figures (marked `@replica.api_read` in yigang/api/);
- the session is not pinned to the primary: after any unsafe request of a logged-in user (a POST, a login, a
  write through the API) the session keeps `PIN_KEY` for `DATABASE_REPLICA_PIN_SECONDS`, so a user who just
  wrote reads their own write, not a replica that has not yet replayed it. The pin lives in the session (in the
  primary's database, read on every request) rather than in a cookie, so it holds for an API client that keeps
  only its session cookie, and on every worker and every app server;
- the replica can be reached and is not further behind the primary than `DATABASE_REPLICA_MAX_LAG_SECONDS`
  (`LagGauge`, measured at most every `LAG_CHECK_SECONDS` per process);
- no transaction is open on the primary (a read inside a write's transaction — the audit chain's last hash, a
  row locked for update — must see the primary);
- the model is not an account's or a session's (`PRIMARY_APPS`): the account policy, the session and the second
  factor are read on every page and must never lag behind a login or a password change.

Everything else — every write, and every read on any other page — goes to the primary. Without a replica
configured the router answers the primary for everything. docs/deployment.md says when to add a replica.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections
from django.http import HttpRequest, HttpResponse
from ninja.decorators import decorate_view

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
PIN_KEY = "yigang_primary_until"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

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


def max_lag_seconds() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_MAX_LAG_SECONDS", 5))


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
    """Whether this session wrote recently and must read the primary (its own writes)."""
    session = getattr(request, "session", None)
    until = session.get(PIN_KEY) if session is not None else None
    if not isinstance(until, (int, float)):
        return False
    return until > (time.time() if now is None else now)


def pin(request: HttpRequest) -> None:
    """After an unsafe request of a logged-in user: the session reads the primary for `pin_seconds()`.

    Saved here, after the view (and after the session middleware, which lies inside this one), so that the pin
    runs from the end of the write, however long it took."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or session.session_key is None or not getattr(user, "is_authenticated", False):
        return  # nobody logged in: no replica page is theirs to read, and no session is made for them
    session[PIN_KEY] = time.time() + pin_seconds()
    with contextlib.suppress(UpdateError):  # the session ended meanwhile (a logout elsewhere): nothing to pin
        session.save()


def may_read_replica(request: HttpRequest, api: bool = False) -> bool:
    """Whether this request may read the replica, as far as the request tells (the replica's state aside).

    `api`: the operation is one of the API's marked reads (`api_read`), whatever its URL's name."""
    if not configured() or request.method not in ("GET", "HEAD") or pinned(request):
        return False
    if api:
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in REPLICA_PAGES


class ReplicaMiddleware:
    """Marks the read-only pages' views as reading the replica and pins a session that wrote to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _on_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            _on_replica.reset(token)
        if configured() and request.method not in SAFE_METHODS:
            pin(request)
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        # The view (and the template it renders) runs inside __call__, so the flag is reset after it.
        if may_read_replica(request) and replica_usable():
            _on_replica.set(True)
        return None


def _reading_replica(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(run)
    def reading(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (may_read_replica(request, api=True) and replica_usable()):
            return run(request, *args, **kwargs)
        token = _on_replica.set(True)
        try:
            return run(request, *args, **kwargs)
        finally:
            _on_replica.reset(token)

    return reading


# `@replica.api_read` under an API GET's `@router.get(...)`: the whole operation (its reads and the response's
# serialisation) reads the replica as the matching page does, unless the session is pinned or the replica is
# unreachable or too far behind. Authentication still reads the primary (PRIMARY_APPS).
api_read = decorate_view(_reading_replica)


def replica_usable() -> bool:
    """The replica can be reached and is within the lag ceiling (else its pages read the primary)."""
    return replica_reachable() and gauge.fresh()


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
        _give_up_for_a_while("the read replica cannot be reached")
        return False
    return True


def _give_up_for_a_while(why: str) -> None:
    global _unreachable_until
    logger.warning("%s; reading the primary for %.0f s", why, RETRY_SECONDS, exc_info=True)
    _unreachable_until = time.monotonic() + RETRY_SECONDS


# How far behind the primary the replica is, measured at most every LAG_CHECK_SECONDS per process.
LAG_CHECK_SECONDS = 2.0
# A replica found behind with no recent evidence is given this long to replay what the primary just wrote
# (an idle primary's single new commit would otherwise look hours old: see LagGauge.measure).
CONFIRM_SECONDS = 0.2


class LagSource(Protocol):
    def primary_position(self) -> int:
        """The primary's current WAL position (pg_current_wal_lsn)."""

    def replica_position(self) -> tuple[int | None, float | None]:
        """The replica's replayed WAL position (None: it replays nothing — not a standby) and the seconds since
        the commit it replayed last was made (None: none replayed since it started)."""


def lsn(text: str | None) -> int | None:
    """A pg_lsn's text (`16/B374D848`) as a number that orders as the positions do."""
    if text is None:
        return None
    high, low = text.split("/")
    return (int(high, 16) << 32) | int(low, 16)


class PostgresLag:
    """The positions read from the two servers: the primary's WAL end, the replica's replay."""

    def primary_position(self) -> int:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("select pg_current_wal_lsn()::text")
            found = lsn(cursor.fetchone()[0])
        assert found is not None  # a primary always has a WAL position
        return found

    def replica_position(self) -> tuple[int | None, float | None]:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "select pg_last_wal_replay_lsn()::text,"
                " extract(epoch from now() - pg_last_xact_replay_timestamp())::float8"
            )
            replayed, since_commit = cursor.fetchone()
        return lsn(replayed), since_commit


@dataclass(frozen=True)
class Sample:
    at: float  # the gauge's clock (monotonic)
    primary: int  # the primary's WAL position then


class LagGauge:
    """Whether the replica is within `DATABASE_REPLICA_MAX_LAG_SECONDS` of the primary.

    `now() - pg_last_xact_replay_timestamp()` alone grows on an idle primary with nothing to replay, and the
    replica's own received position alone misses a stalled network (nothing received, nothing to replay). So the
    gauge compares the replica's replayed position with the primary's current one: at or past it, there is no
    lag. Behind it, the lag is at most the time since the last replayed commit, and at most the time since the
    previous check if the replica has replayed what the primary had then. A replica behind with no such recent
    evidence gets CONFIRM_SECONDS to reach the position just read (a healthy one does in milliseconds) before
    the time since its last replayed commit is taken as its lag. Over the ceiling, the pages read the primary
    and the log says so once, and again once when the replica is back within it."""

    def __init__(
        self,
        source: LagSource,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.source, self.clock, self.sleep = source, clock, sleep
        self.checked_at = -math.inf
        self.previous: Sample | None = None
        self.behind = False  # over the ceiling at the last check
        self.lag = 0.0
        self._lock = threading.Lock()

    def fresh(self) -> bool:
        if self.clock() - self.checked_at < LAG_CHECK_SECONDS or not self._lock.acquire(blocking=False):
            return not self.behind  # checked lately, or another thread is checking: its last verdict
        try:
            self.checked_at = self.clock()
            try:
                lag = self.measure()
            except Exception:  # a failed reading: as if unreachable (its pages read the primary), and logged
                _give_up_for_a_while("the read replica's lag cannot be read")
                return False
            self._judge(lag)
        finally:
            self._lock.release()
        return not self.behind

    def measure(self) -> float:
        start = self.clock()
        primary = self.source.primary_position()
        replayed, since_commit = self.source.replica_position()
        previous, self.previous = self.previous, Sample(start, primary)
        if replayed is None:
            return math.inf  # not replaying: not (or no longer) a standby of this primary
        if replayed >= primary:
            return 0.0
        bound = math.inf if since_commit is None else max(since_commit, 0.0)
        if previous is not None and replayed >= previous.primary:
            bound = min(bound, start - previous.at)
        if bound <= max_lag_seconds() or self.behind:
            return bound
        self.sleep(CONFIRM_SECONDS)
        replayed, since_commit = self.source.replica_position()
        if replayed is not None and replayed >= primary:
            return self.clock() - start
        return bound

    def _judge(self, lag: float) -> None:
        over = lag > max_lag_seconds()
        if over and not self.behind:
            logger.warning(
                "the read replica is %s behind the primary (ceiling %g s): its pages read the primary until it"
                " catches up",
                "an unknown time" if math.isinf(lag) else f"{lag:.1f} s",
                max_lag_seconds(),
            )
        elif self.behind and not over:
            logger.info("the read replica has caught up (%.1f s behind): its pages read it again", lag)
        self.behind, self.lag = over, lag


gauge = LagGauge(PostgresLag())


class reads_replica:  # used as a context manager, like transaction.atomic
    """`with reads_replica():` — code outside a request (a command, a test) reading as a read-only page does."""

    def __enter__(self) -> None:
        self._token = _on_replica.set(True)

    def __exit__(self, *exc: object) -> None:
        _on_replica.reset(self._token)
