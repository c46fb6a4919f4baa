"""Archiving old audit entries: kept at least six months in the database, then moved to a checksummed file.

An archive is a gzip of JSON lines: a header, then every entry with its hashes. A sidecar `.sha256` holds the
file's checksum, and an `AuditCheckpoint` row remembers where the chain was cut so that `verify_chain` still
verifies what stays in the database. Nothing is dropped without having been written and read back.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from yigang.months import months_before

from .log import chain_start, record
from .models import AuditCheckpoint, AuditEntry

FORMAT = "yigang-audit-archive/1"
RETENTION_MONTHS = 6


class ArchiveError(Exception):
    """Archiving refused; the message is for the user (Chinese)."""


def earliest_allowed_cut(today: datetime.date | None = None) -> datetime.date:
    """Entries from this day on must stay in the database (网络安全法: logs kept at least six months)."""
    return months_before(today or timezone.localdate(), RETENTION_MONTHS)


def _entry_dict(e: AuditEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "at": e.at.isoformat(),
        "user": e.user_id,
        "username": e.username,
        "town": e.town_id,
        "event": e.event,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "object_repr": e.object_repr,
        "success": e.success,
        "changes": e.changes,
        "ip": e.ip,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


def _entry_from(d: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=d["id"],
        at=datetime.datetime.fromisoformat(d["at"]),
        user_id=d["user"],
        username=d["username"],
        town_id=d["town"],
        event=d["event"],
        object_type=d["object_type"],
        object_id=d["object_id"],
        object_repr=d["object_repr"],
        success=d["success"],
        changes=d["changes"],
        ip=d["ip"],
        prev_hash=d["prev_hash"],
        hash=d["hash"],
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class ArchiveResult:
    path: Path | None
    count: int
    first_id: int | None = None
    last_id: int | None = None
    sha256: str = ""


def archive_before(
    before: datetime.date, directory: Path, *, actor: Any = None, today: datetime.date | None = None
) -> ArchiveResult:
    """Move the entries dated before `before` (Asia/Shanghai) to an archive file in `directory`."""
    if before > earliest_allowed_cut(today):
        raise ArchiveError(
            f"审计记录至少保存六个月：只能归档 {earliest_allowed_cut(today).isoformat()} 之前的记录。"
        )
    cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    after, prev = chain_start()
    remaining = AuditEntry.objects.filter(id__gt=after)
    young = remaining.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
    # Only a prefix of the chain can be cut; an entry with a clock step backwards stays with its neighbours.
    batch = remaining.filter(id__lt=young) if young is not None else remaining
    entries = list(batch.order_by("id"))
    if not entries:
        return ArchiveResult(None, 0)
    for e in entries:
        if e.prev_hash != prev or e.compute_hash() != e.hash:
            raise ArchiveError(
                f"审计记录 #{e.pk} 校验失败，拒绝归档；请先运行 yigang audit verify 查明原因。"
            )
        prev = e.hash
    first, last = entries[0], entries[-1]
    directory.mkdir(parents=True, exist_ok=True)
    name = f"audit-{first.pk:010d}-{last.pk:010d}.jsonl.gz"
    path = directory / name
    if path.exists():
        raise ArchiveError(f"归档文件已存在：{path}")
    header = {
        "format": FORMAT,
        "first_id": first.pk,
        "last_id": last.pk,
        "count": len(entries),
        "first_prev_hash": first.prev_hash,
        "last_hash": last.hash,
        "created_at": timezone.now().isoformat(),
    }
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write((json.dumps(header, ensure_ascii=False) + "\n").encode())
        for e in entries:
            gz.write((json.dumps(_entry_dict(e), ensure_ascii=False, default=str) + "\n").encode())
    with tmp.open("rb") as written:
        os.fsync(written.fileno())
    os.replace(tmp, path)
    checksum = sha256_file(path)
    path.with_name(name + ".sha256").write_text(f"{checksum}  {name}\n", encoding="utf-8")
    # Read it back before anything leaves the database.
    check = verify_archive(path)
    if not check.ok or check.count != len(entries):
        raise ArchiveError(f"归档文件写入后校验失败：{check.reason}")
    with transaction.atomic():
        AuditCheckpoint.objects.create(
            created_at=timezone.now(),
            first_id=first.pk,
            last_id=last.pk,
            last_hash=last.hash,
            first_prev_hash=first.prev_hash,
            count=len(entries),
            first_at=first.at,
            last_at=last.at,
            archive_name=name,
            archive_sha256=checksum,
        )
        AuditEntry.objects.all()._archive_delete(last.pk)
        record(
            "audit.archive",
            actor=actor,
            changes={
                "before": before.isoformat(),
                "first_id": first.pk,
                "last_id": last.pk,
                "count": len(entries),
                "file": name,
                "sha256": checksum,
            },
        )
    return ArchiveResult(path, len(entries), first.pk, last.pk, checksum)


@dataclass
class ArchiveCheck:
    ok: bool
    count: int = 0
    reason: str = ""
    first_bad_id: int | None = None


def verify_archive(path: Path) -> ArchiveCheck:
    """Checksum, header and the chain inside one archive file."""
    sidecar = path.with_name(path.name + ".sha256")
    if not sidecar.exists():
        return ArchiveCheck(False, reason="缺少校验文件 .sha256")
    expected = sidecar.read_text(encoding="utf-8").split()[0]
    if sha256_file(path) != expected:
        return ArchiveCheck(False, reason="归档文件校验值不符：文件已损坏或被改动")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            header = json.loads(f.readline())
            if header.get("format") != FORMAT:
                return ArchiveCheck(False, reason="不是审计归档文件")
            prev, count = header["first_prev_hash"], 0
            for line in f:
                entry = _entry_from(json.loads(line))
                if entry.prev_hash != prev or entry.compute_hash() != entry.hash:
                    return ArchiveCheck(False, count, "归档内的哈希链断开", entry.pk)
                prev, count = entry.hash, count + 1
    except (OSError, ValueError, KeyError) as exc:
        return ArchiveCheck(False, reason=f"无法读取归档文件：{exc}")
    if count != header["count"] or prev != header["last_hash"]:
        return ArchiveCheck(False, count, "归档条数或末条哈希与文件头不符")
    return ArchiveCheck(True, count)
