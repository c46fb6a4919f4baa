"""Issue 26.7: an upgrade an operator can follow, tested before it ships.

The fixture `fixtures/upgrade-8fb5440.tar.gz` is a backup made by an earlier version — commit 8fb5440 (0.1.0,
before hazards, accidents, sign-off and assessment existed, and before org 0006 corrected the department heads'
level) — of its demo town, by that version's own `yigang backup` (scripts/upgrade_fixture.sh builds it again).

- `yigang migrate` takes its database to today's schema: every row of every table the old version had keeps
  every value it had (records and their amendment chains, people, tenures, units, accounts, memberships), except
  the one fact a data migration corrects — the department head's level — and that correction is in the audit
  trail; the old audit entries are unchanged, new ones only follow them, and the hash chain verifies; the next
  commands run (no "no such column").
- `yigang restore` of that backup migrates it at once; a backup of a newer version is refused untouched.

This runs on SQLite (the backup is a SQLite one). PostgreSQL: the suite on PostgreSQL (CI's second step) builds
its test database by applying every migration from zero, so each migration's operations run there too; the
data-carrying upgrade is this SQLite test (docs/deployment.md, "Upgrading").
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "upgrade-8fb5440.tar.gz"
ROOT = Path(__file__).resolve().parents[2]

# Tables whose old rows may gain company (new content types, permissions, applied migrations) or whose old
# rows a migration corrects on purpose (below); every other table of the old version must be row for row equal.
GROWING = {"django_migrations", "django_content_type", "auth_permission", "audit_auditentry"}
CORRECTED = {"regulations_regulationpost"}


def _unpack(target: Path) -> Path:
    with tarfile.open(FIXTURE) as archive:
        archive.extractall(target, filter="data")
    return target / "backup"


def yigang(var: Path, database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The current code's command line on `database`, as an operator runs it (DEBUG for a local run)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(
        DEBUG="1",
        YIGANG_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="upgrade-test-" * 4,
    )
    return subprocess.run(
        [sys.executable, "-m", "yigang", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _tables(db: sqlite3.Connection) -> dict[str, list[str]]:
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {
        n: [c[1] for c in db.execute(f'PRAGMA table_info("{n}")')]
        for n in names
        if not n.startswith("sqlite_")
    }


def _rows(db: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    quoted = ", ".join(f'"{c}"' for c in columns)
    # Names read from the fixture's own sqlite_master, not from input.
    return sorted(db.execute(f'SELECT {quoted} FROM "{table}"').fetchall(), key=repr)  # noqa: S608


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The old database before and after `yigang migrate` with the current code."""
    work = tmp_path_factory.mktemp("upgrade")
    backup = _unpack(work)
    database = work / "yigang.sqlite3"
    shutil.copy(backup / "database.sqlite3", database)
    before_db = sqlite3.connect(backup / "database.sqlite3")
    before = {t: (cols, _rows(before_db, t, cols)) for t, cols in _tables(before_db).items()}
    before_db.close()
    migrated = yigang(work, database, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    return {"work": work, "database": database, "before": before, "migrate": migrated}


def test_the_fixture_is_the_old_version(upgraded: dict[str, Any]) -> None:
    tables = upgraded["before"]
    assert "hazards_hazard" not in tables and "accidents_accident" not in tables
    columns, rows = tables["django_migrations"]
    names = {f"{row[columns.index('app')]}.{row[columns.index('name')]}" for row in rows}
    assert "org.0004_reorganisation_dates_enterprises" in names
    assert "org.0006_department_heads_bear_overall_responsibility" not in names
    # The demo town's facts the upgrade must keep: records with amendment chains, people, tenures, an audit trail.
    assert len(tables["duties_dutyrecord"][1]) > 100 and len(tables["audit_auditentry"][1]) > 100
    columns, rows = tables["duties_dutyrecord"]
    assert sum(1 for r in rows if r[columns.index("amends_id")] is not None) >= 2


def test_every_old_row_keeps_every_value(upgraded: dict[str, Any]) -> None:
    after_db = sqlite3.connect(upgraded["database"])
    after = _tables(after_db)
    changed = {}
    for table, (columns, rows) in upgraded["before"].items():
        if table in GROWING | CORRECTED:
            continue
        assert table in after, f"{table} was dropped"
        assert set(columns) <= set(after[table]), f"{table} lost columns"
        if _rows(after_db, table, columns) != rows:
            changed[table] = len(rows)
    assert not changed, changed
    # Tables that grow keep their old rows as they were.
    for table in GROWING:
        columns, rows = upgraded["before"][table]
        kept = set(_rows(after_db, table, columns))
        assert set(rows) <= kept, table
    after_db.close()


def test_the_level_a_migration_corrects_is_in_the_audit_trail(upgraded: dict[str, Any]) -> None:
    columns, rows = upgraded["before"]["regulations_regulationpost"]
    level = columns.index("level")
    wrong = {r[0] for r in rows if r[columns.index("kind")] == "department_head" and r[level] == "direct"}
    assert wrong  # the old version stored 直接领导责任 for department heads
    db = sqlite3.connect(upgraded["database"])
    now = dict(db.execute("SELECT id, level FROM regulations_regulationpost"))
    assert {now[pk] for pk in wrong} == {"overall"}
    # Nothing else about the posts changed.
    others = [(r[0], r[level]) for r in rows if r[0] not in wrong]
    assert all(now[pk] == value for pk, value in others)
    entries = db.execute(
        "SELECT object_type, object_id, town_id, changes, username FROM audit_auditentry "
        "WHERE event = 'system.migration'"
    ).fetchall()
    db.close()
    assert {(e[0], int(e[1])) for e in entries} == {("regulations.RegulationPost", pk) for pk in wrong}
    for _type, _id, town_id, changes, username in entries:
        change = json.loads(changes)
        assert change["migration"] == "org.0006_department_heads_bear_overall_responsibility"
        assert change["level"] == ["direct", "overall"]
        assert town_id is not None and username == "system"


def test_the_old_audit_entries_stay_and_the_chain_verifies(upgraded: dict[str, Any]) -> None:
    columns, rows = upgraded["before"]["audit_auditentry"]
    db = sqlite3.connect(upgraded["database"])
    after = _rows(db, "audit_auditentry", columns)
    db.close()
    old_ids = {r[columns.index("id")] for r in rows}
    assert set(rows) <= set(after)
    new = [r for r in after if r[columns.index("id")] not in old_ids]
    assert new and min(r[columns.index("id")] for r in new) > max(old_ids)  # appended, never inserted
    verify = yigang(upgraded["work"], upgraded["database"], "audit", "verify", "--json")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    result = json.loads(verify.stdout)
    assert result["ok"] is True and result["checked"] == len(after)


def test_the_record_chains_are_whole(upgraded: dict[str, Any]) -> None:
    db = sqlite3.connect(upgraded["database"])
    records = {r[0]: r for r in db.execute("SELECT id, amends_id, version, root_id FROM duties_dutyrecord")}
    db.close()
    amended = [r for r in records.values() if r[1] is not None]
    assert amended
    for pk, amends, version, root in amended:
        assert records[amends][2] == version - 1, pk
        assert root == (records[amends][3] or amends), pk  # every version names the chain's first


def test_the_next_commands_run_on_the_upgraded_database(upgraded: dict[str, Any]) -> None:
    work, database = upgraded["work"], upgraded["database"]
    for args in (
        ("compliance", "--town", "wushenzhao", "--year", "2025", "--json"),
        ("who", "--town", "乌审召镇", "--sector", "道路交通", "--json"),
        ("hazard", "stats", "--town", "乌审召镇", "--year", "2025", "--json"),
    ):
        done = yigang(work, database, *args)
        assert done.returncode == 0, (args, done.stderr[-2000:])
        json.loads(done.stdout)
    check = yigang(work, database, "migrate", "--check")
    assert check.returncode == 0, check.stdout  # nothing left unapplied


def test_restoring_an_older_backup_migrates_it(tmp_path: Path) -> None:
    backup = _unpack(tmp_path)
    database = tmp_path / "fresh.sqlite3"  # a new installation of the current version, nothing in it yet
    restored = yigang(tmp_path, database, "restore", str(backup), "--json")
    assert restored.returncode == 0, restored.stderr[-3000:]
    result = json.loads(restored.stdout)
    assert "org.0006_department_heads_bear_overall_responsibility" in result["migrated"]
    assert result["audit_ok"] is True
    # The next command reads today's schema (it was "no such column" before restore migrated).
    for args in (
        ("compliance", "--town", "wushenzhao", "--year", "2025", "--json"),
        ("audit", "verify", "--json"),
    ):
        done = yigang(tmp_path, database, *args)
        assert done.returncode == 0, (args, done.stderr[-2000:])
    db = sqlite3.connect(database)
    events = [r[0] for r in db.execute("SELECT event FROM audit_auditentry ORDER BY id DESC LIMIT 5")]
    db.close()
    assert events[0] == "system.restore" and "system.migration" in events
    assert not list(backup.glob("*-shm")) and not list(backup.glob("*-wal"))  # the backup is left as it was
    again = yigang(tmp_path, database, "restore", str(backup), "--json")
    assert again.returncode != 0 and "--force" in again.stderr  # a database with data is not overwritten


@pytest.mark.django_db
def test_a_backup_of_a_newer_version_is_refused_before_anything_is_touched(tmp_path: Path) -> None:
    from django.db import connection

    from yigang.cli.backups import MANIFEST, BackupError, restore_backup, sha256
    from yigang.towns.models import Town

    backup = _unpack(tmp_path)
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    manifest["yigang_version"] = "9.0"
    # The fixture is a SQLite backup; on PostgreSQL the vendor check would answer first, and this test is
    # about the version check, which holds for either kind.
    manifest["vendor"] = connection.vendor
    manifest["migrations"].append("org.9999_from_the_future")
    (backup / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (backup / (MANIFEST + ".sha256")).write_text(
        f"{sha256(backup / MANIFEST)}  {MANIFEST}\n", encoding="utf-8"
    )
    Town.objects.create(code="here", name="此镇")
    with pytest.raises(BackupError, match="更新的版本"):
        restore_backup(backup, force=True)
    assert Town.objects.filter(code="here").exists()
