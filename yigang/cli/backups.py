"""Backup and restore: the database (SQLite online backup API or pg_dump) and the uploaded files, with a
manifest of SHA-256 checksums that restore verifies before it touches anything.

A backup is a directory `yigang-backup-YYYYMMDD-HHMMSS/` holding `database.sqlite3` or `database.pgdump`,
`media/…` (a copy of MEDIA_ROOT) and `manifest.json`; `manifest.json.sha256` guards the manifest itself.
Copy the whole directory off the machine (等保 level 3: off-site backup).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import yigang

FORMAT = "yigang-backup/1"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore refused; the message is for the user (Chinese)."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> tuple[dict[str, str], str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env, str(db["NAME"])


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端工具") from None
    if result.returncode != 0:
        raise BackupError(f"{what}失败：{result.stderr.strip()[:500]}")


def _dump_database(target: Path) -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        name = "database.sqlite3"
        destination = sqlite3.connect(target / name)
        try:
            # The online backup API copies a consistent snapshot while the application keeps running.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return name
    if connection.vendor == "postgresql":
        name = "database.pgdump"
        env, db = _pg_env()
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(target / name), db],
            env,
            "pg_dump",
        )
        return name
    raise BackupError(f"不支持的数据库：{connection.vendor}")


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@dataclass
class BackupResult:
    path: Path
    files: int
    bytes: int


def create_backup(directory: Path) -> BackupResult:
    """Write a new backup directory under `directory` and return where it is."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = directory / f"yigang-backup-{stamp}"
    n = 1
    while target.exists():
        n += 1
        target = directory / f"yigang-backup-{stamp}-{n}"
    target.mkdir(parents=True)
    database = _dump_database(target)
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir():
        shutil.copytree(media_root, target / "media", symlinks=False)
    from yigang.audit.models import AuditEntry

    head = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
    files: list[dict[str, Any]] = [
        {"path": p.relative_to(target).as_posix(), "size": p.stat().st_size, "sha256": sha256(p)}
        for p in _files(target)
    ]
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "yigang_version": yigang.__version__,
        "vendor": connection.vendor,
        "database": database,
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        ),
        "audit_head": {"id": head[0], "hash": head[1]} if head else None,
        "files": files,
    }
    manifest_path = target / MANIFEST
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    (target / (MANIFEST + ".sha256")).write_text(f"{sha256(manifest_path)}  {MANIFEST}\n", encoding="utf-8")
    return BackupResult(target, len(files), sum(int(f["size"]) for f in files))


def verify_backup(path: Path) -> dict[str, Any]:
    """The manifest of an intact backup; BackupError naming the first file that is missing, extra or changed."""
    manifest_path = path / MANIFEST
    sidecar = path / (MANIFEST + ".sha256")
    if not manifest_path.is_file() or not sidecar.is_file():
        raise BackupError(f"{path} 不是备份目录（缺少 {MANIFEST}）")
    if sha256(manifest_path) != sidecar.read_text(encoding="utf-8").split()[0]:
        raise BackupError("备份清单的校验值不符：清单已损坏或被改动")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError("不认识的备份格式")
    listed = {f["path"]: f for f in manifest["files"]}
    present = {p.relative_to(path).as_posix() for p in _files(path)} - {MANIFEST, MANIFEST + ".sha256"}
    for name in sorted(set(listed) - present):
        raise BackupError(f"备份缺少文件：{name}")
    for name in sorted(present - set(listed)):
        raise BackupError(f"备份中多出清单之外的文件：{name}")
    for name, entry in sorted(listed.items()):
        file = path / name
        if file.stat().st_size != entry["size"] or sha256(file) != entry["sha256"]:
            raise BackupError(f"备份文件校验失败：{name} 已损坏或被改动")
    return manifest


def known_migrations() -> set[str]:
    """Every migration this code has, as "app.name" (what a manifest lists)."""
    from django.db.migrations.loader import MigrationLoader

    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


def pending_migrations() -> list[str]:
    """The migrations the current database still needs to reach this code's schema, in order."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]


def migrate_restored() -> list[str]:
    """Bring a restored database made by an earlier version up to this code's schema (`yigang migrate`):
    without it the next command would read columns the old schema lacks ("no such column"). Returns what ran."""
    from django.core.management import call_command

    pending = pending_migrations()
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return pending


def _database_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables:
        return True
    from yigang.towns.models import Town

    return "towns_town" not in tables or not Town.objects.exists()


def restore_backup(path: Path, *, force: bool = False) -> dict[str, Any]:
    """Verify the backup, then load it into the configured database and MEDIA_ROOT. Refuses a corrupted
    backup, a different database kind, and (without `force`) a database that already holds data."""
    manifest = verify_backup(path)
    connection.ensure_connection()
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"备份来自 {manifest['vendor']} 数据库，当前是 {connection.vendor}")
    unknown = sorted(set(manifest.get("migrations", [])) - known_migrations())
    if unknown:
        # A backup of a newer version: this code cannot read its schema, and cannot undo what it does not know.
        raise BackupError(
            f"备份来自更新的版本（{manifest.get('yigang_version', '?')}，本程序不认识的迁移：{', '.join(unknown[:3])}"
            f"{' 等' if len(unknown) > 3 else ''}）：请先安装该版本或更新的版本再恢复。"
        )
    if not force and not _database_is_empty():
        raise BackupError("当前数据库已有数据：恢复会覆盖它。确认无误后加 --force 再运行。")
    database = path / manifest["database"]
    if connection.vendor == "sqlite":
        # immutable: read as a plain file, with no -shm/-wal beside it (a WAL database would otherwise get one,
        # and the backup directory would no longer match its manifest for the next restore).
        source = sqlite3.connect(f"file:{database}?mode=ro&immutable=1", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        env, db = _pg_env()
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--exit-on-error",
                "-d",
                db,
                str(database),
            ],
            env,
            "pg_restore",
        )
    media = path / "media"
    if media.is_dir():
        shutil.copytree(media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    return manifest
