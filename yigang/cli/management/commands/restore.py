"""`yigang restore DIR [--force] [--json]`: verify a backup's checksums, then load it; a backup of an earlier
version is migrated to this version's schema at once (a newer version's backup is refused before anything is
touched)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yigang.audit.log import record, verify_chain
from yigang.cli.backups import BackupError, migrate_restored, restore_backup, verify_backup
from yigang.towns.commandline import dump


class Command(BaseCommand):
    help = "Restore a backup made by `yigang backup` after verifying its checksums."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="the backup directory (yigang-backup-…)")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that already holds data"
        )
        parser.add_argument("--check", action="store_true", help="only verify the checksums; change nothing")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        try:
            manifest = verify_backup(path) if opts["check"] else restore_backup(path, force=opts["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        data: dict[str, Any] = {
            "path": str(path),
            "files": len(manifest["files"]),
            "created_at": manifest["created_at"],
        }
        if not opts["check"]:
            # A backup of an earlier version holds its schema: migrate it before anything reads it.
            data["migrated"] = migrate_restored()
            chain = verify_chain()
            data["audit_ok"] = chain.ok
            record(
                "system.restore",
                changes={
                    "path": str(path),
                    "backup_created_at": manifest["created_at"],
                    "backup_version": manifest.get("yigang_version", ""),
                    "migrated": data["migrated"],
                },
            )
        if opts["json"]:
            self.stdout.write(dump(data))
        elif opts["check"]:
            self.stdout.write(f"备份完好：{path}（{data['files']} 个文件，{manifest['created_at']}）")
        else:
            self.stdout.write(f"已从 {path} 恢复（{data['files']} 个文件，备份于 {manifest['created_at']}）")
            if data["migrated"]:
                self.stdout.write(
                    f"备份来自较早的版本（{manifest.get('yigang_version', '?')}）："
                    f"已按当前版本迁移数据库（{len(data['migrated'])} 个迁移）。"
                )
            if not data["audit_ok"]:
                self.stderr.write("警告：恢复后的审计记录哈希链校验未通过，请运行 yigang audit verify 查看。")
