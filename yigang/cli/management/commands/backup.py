"""`yigang backup [--dir DIR] [--json]`: database and uploaded files, with a checksummed manifest."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yigang.audit.log import record
from yigang.cli.backups import BackupError, create_backup
from yigang.towns.commandline import actor_arg, dump


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and the uploaded files."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dir", help="where to write the backup directory (default: BACKUP_DIR)")
        parser.add_argument("--user", help="act as this user (audit trail)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        directory = Path(opts["dir"]) if opts["dir"] else Path(settings.BACKUP_DIR)
        try:
            result = create_backup(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        record(
            "system.backup",
            actor=actor_arg(opts["user"]),
            changes={"path": str(result.path), "files": result.files, "bytes": result.bytes},
        )
        if opts["json"]:
            self.stdout.write(dump({"path": str(result.path), "files": result.files, "bytes": result.bytes}))
        else:
            self.stdout.write(f"已备份到 {result.path}（{result.files} 个文件，{result.bytes} 字节）")
