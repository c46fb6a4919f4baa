"""Entries are kept six months, then archived to a checksummed file; what stays in the database still verifies."""

from __future__ import annotations

import datetime
import gzip
import zoneinfo
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from yigang.audit import log
from yigang.audit.archive import (
    ArchiveError,
    archive_before,
    earliest_allowed_cut,
    verify_archive,
)
from yigang.audit.models import AuditCheckpoint, AuditEntry
from yigang.months import months_before

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _entry_at(monkeypatch: pytest.MonkeyPatch, when: datetime.datetime, n: int, town: Any) -> AuditEntry:
    monkeypatch.setattr(log.timezone, "now", lambda: when)
    entry = log.record("test.event", town=town, changes={"n": n})
    monkeypatch.undo()
    return entry


@pytest.fixture
def history(monkeypatch: pytest.MonkeyPatch, town: Any) -> list[AuditEntry]:
    """Ten entries a year old, five from last month."""
    old = datetime.datetime(2025, 11, 1, 9, tzinfo=SHANGHAI)
    recent = datetime.datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)
    return [_entry_at(monkeypatch, old + datetime.timedelta(hours=i), i, town) for i in range(10)] + [
        _entry_at(monkeypatch, recent + datetime.timedelta(hours=i), 10 + i, town) for i in range(5)
    ]


def test_six_months_back_clamps_to_the_end_of_a_short_month() -> None:
    assert months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 3, 15), 6) == datetime.date(2025, 9, 15)
    assert earliest_allowed_cut(TODAY) == datetime.date(2026, 5, 29)


def test_entries_younger_than_six_months_are_never_archived(
    history: list[AuditEntry], tmp_path: Path
) -> None:
    with pytest.raises(ArchiveError, match="至少保存六个月"):
        archive_before(datetime.date(2026, 6, 1), tmp_path, today=TODAY)
    assert AuditEntry.objects.count() == 15 and not list(tmp_path.iterdir())


def test_old_entries_move_to_a_checksummed_file_and_the_rest_still_verifies(
    history: list[AuditEntry], tmp_path: Path
) -> None:
    result = archive_before(datetime.date(2026, 5, 1), tmp_path, today=TODAY)
    assert result.count == 10 and result.path is not None
    assert (result.first_id, result.last_id) == (history[0].pk, history[9].pk)
    assert set(AuditEntry.objects.values_list("pk", flat=True)) >= {e.pk for e in history[10:]}
    assert not AuditEntry.objects.filter(pk__lte=history[9].pk).exists()
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.last_hash == history[9].hash and checkpoint.archive_sha256 == result.sha256
    # The archive holds all ten entries with their chain; the database chain starts at the checkpoint.
    assert verify_archive(result.path).ok and verify_archive(result.path).count == 10
    with gzip.open(result.path, "rt", encoding="utf-8") as f:
        assert len(f.readlines()) == 11
    check = log.verify_chain()
    assert check.ok and check.checked == 6  # five recent entries + the audit.archive entry
    assert AuditEntry.objects.order_by("-id").first().event == "audit.archive"
    # Nothing more to archive before that day.
    assert archive_before(datetime.date(2026, 5, 1), tmp_path, today=TODAY).count == 0


def test_a_chain_fully_archived_goes_on_from_the_checkpoint(
    history: list[AuditEntry], tmp_path: Path
) -> None:
    archive_before(datetime.date(2026, 11, 20), tmp_path, today=datetime.date(2027, 6, 1))
    assert AuditEntry.objects.count() == 1  # only the audit.archive entry itself
    log.record("test.after")
    assert log.verify_chain().ok


def test_a_changed_or_damaged_archive_file_is_reported(history: list[AuditEntry], tmp_path: Path) -> None:
    path = archive_before(datetime.date(2026, 5, 1), tmp_path, today=TODAY).path
    assert path is not None
    out = StringIO()
    call_command("audit", "verify", "--archive", str(path), stdout=out)
    assert "归档文件完好" in out.getvalue()
    data = bytearray(path.read_bytes())
    data[-12] ^= 0xFF
    path.write_bytes(bytes(data))
    assert not verify_archive(path).ok
    with pytest.raises(CommandError, match="校验值不符"):
        call_command("audit", "verify", "--archive", str(path), stdout=StringIO())


def test_a_tampered_chain_is_not_archived(history: list[AuditEntry], tmp_path: Path) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_entry_no_update ON audit_auditentry")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
        cursor.execute("UPDATE audit_auditentry SET event = 'forged' WHERE id = %s", [history[3].pk])
    with pytest.raises(ArchiveError, match=f"#{history[3].pk}"):
        archive_before(datetime.date(2026, 5, 1), tmp_path, today=TODAY)
    assert AuditEntry.objects.count() == 15


def test_the_command_refuses_a_recent_day_in_chinese(history: list[AuditEntry], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="至少保存六个月"):
        call_command("audit", "archive", "--before", timezone.localdate().isoformat(), "--dir", str(tmp_path))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit", "archive", "--before", "last year", "--dir", str(tmp_path))


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_to_delete_an_entry_no_archive_covers(history: list[AuditEntry]) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [history[0].pk])
