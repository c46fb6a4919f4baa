"""Writing and verifying the chained audit trail."""

from __future__ import annotations

import ipaddress
import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from .models import GENESIS, AuditCheckpoint, AuditEntry

# A copy of every entry's id and hash off the database (AUDIT_LOG_FILE): truncating the tail of the chain, which
# the chain alone cannot show, then disagrees with the copy (docs/security.md).
anchor_log = logging.getLogger("yigang.audit.anchor")
CHAIN_LOCK = 0x59474E47  # "YGNG": the advisory lock key of the chain's single writer on PostgreSQL


# The client address of the request being served (AuditContextMiddleware): every entry written while serving it
# records it, business writes and account changes alike, without each caller passing it on.
_request_ip: ContextVar[str | None] = ContextVar("yigang_audit_ip", default=None)


def _ip_or_none(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request: Any) -> str | None:
    """The client's address: from the header the trusted proxy sets (`CLIENT_IP_HEADER`, e.g. X-Real-IP;
    of a list, the last entry — the one our proxy added), else the connection's (REMOTE_ADDR). Without the
    setting, headers are ignored: a client could write anything into them."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header and request is not None:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        found = _ip_or_none(raw.split(",")[-1]) if raw else None
        if found:
            return found
    return _ip_or_none(request.META.get("REMOTE_ADDR")) if request is not None else None


class AuditContextMiddleware:
    """Notes the client address for the audit entries written while the request is served."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = _request_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _request_ip.reset(token)


def chain_start() -> tuple[int, str]:
    """The id up to which entries were archived and the hash the first remaining entry must link to."""
    checkpoint = AuditCheckpoint.objects.order_by("-last_id").only("last_id", "last_hash").first()
    return (checkpoint.last_id, checkpoint.last_hash) if checkpoint else (0, GENESIS)


def _jsonable(value: Any) -> Any:
    # Stored changes must hash the same after a JSONField round trip.
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def record(
    event: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    town: Any = None,
    success: bool = True,
    changes: dict[str, Any] | None = None,
    ip: str | None = None,
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry to the chain. Call inside the transaction of the write it records."""
    with transaction.atomic():
        # The chain needs a single writer at a time. SQLite transactions are IMMEDIATE (settings), so the
        # database lock already serialises writers. On PostgreSQL a row lock on the last entry is not enough:
        # a second writer waiting on it would get the same "last" row back after the first commits and fork
        # the chain; a transaction-scoped advisory lock queues the writers instead.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        last = AuditEntry.objects.order_by("-id").only("hash").first()
        user = actor if getattr(actor, "is_authenticated", False) else None
        if town is None and obj is not None:
            town = getattr(obj, "town", None)
        entry = AuditEntry(
            at=timezone.now(),
            user=user,
            username=getattr(actor, "username", "") or ("system" if actor is None else ""),
            town=town,
            event=event,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:300],
            success=success,
            changes=_jsonable(changes or {}),
            ip=ip if ip is not None else _request_ip.get(),
            prev_hash=last.hash if last else chain_start()[1],
        )
        entry.hash = entry.compute_hash()
        entry.save()
        line = f"{entry.pk} {entry.at.isoformat()} {entry.event} {entry.hash}"
        transaction.on_commit(lambda: anchor_log.info(line))
    return entry


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def verify_chain() -> VerifyResult:
    """Walk the chain in id order from the last archive checkpoint; report the first entry altered, removed
    before it, or inserted."""
    after, prev = chain_start()
    checked = 0
    for entry in AuditEntry.objects.filter(id__gt=after).order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return VerifyResult(False, checked, entry.pk, "链接断开：其前一条记录被删除、插入或篡改")
        if entry.compute_hash() != entry.hash:
            return VerifyResult(False, checked, entry.pk, "内容与哈希不符：此记录被篡改")
        prev = entry.hash
        checked += 1
    return VerifyResult(True, checked)
