"""`yigang audit verify|archive`: check the hash chain; move entries older than six months to an archive."""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yigang.audit.archive import ArchiveError, archive_before, verify_archive
from yigang.audit.log import chain_start, verify_chain
from yigang.audit.models import AuditEntry
from yigang.towns.commandline import actor_arg, dump


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; archive entries older than six months."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("verify", help="report the first entry altered, removed or inserted")
        p.add_argument("--archive", action="append", default=[], help="also verify this archive file")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("archive", help="move entries dated before a day (≥ 6 months ago) to a file")
        p.add_argument("--before", required=True, help="YYYY-MM-DD; entries before this day are archived")
        p.add_argument("--dir", help="where to write the archive (default: AUDIT_ARCHIVE_DIR)")
        p.add_argument("--user", help="act as this user (audit trail)")
        p.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"do_{opts['action']}")(opts)

    def do_verify(self, opts: dict[str, Any]) -> None:
        result = verify_chain()
        archived, _ = chain_start()
        head = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
        archives = []
        for name in opts["archive"]:
            check = verify_archive(Path(name))
            archives.append({"file": name, "ok": check.ok, "count": check.count, "reason": check.reason})
        ok = result.ok and all(a["ok"] for a in archives)
        if opts["json"]:
            self.stdout.write(
                dump(
                    {
                        "ok": ok,
                        "checked": result.checked,
                        "first_bad_id": result.first_bad_id,
                        "reason": result.reason,
                        "archived_up_to": archived,
                        "head": {"id": head[0], "hash": head[1]} if head else None,
                        "archives": archives,
                    }
                )
            )
        for a in archives:
            if not a["ok"]:
                raise CommandError(f"归档文件 {a['file']} 校验失败：{a['reason']}")
        if not result.ok:
            raise CommandError(
                f"审计记录 #{result.first_bad_id} 校验失败：{result.reason}（此前 {result.checked} 条完好）"
            )
        if not opts["json"]:
            since = f"（#{archived} 及之前的记录已归档）" if archived else ""
            self.stdout.write(f"审计记录完好：共 {result.checked} 条{since}")
            if head:
                self.stdout.write(f"最新一条：#{head[0]} {head[1]}")
            for a in archives:
                self.stdout.write(f"归档文件完好：{a['file']}（{a['count']} 条）")

    def do_archive(self, opts: dict[str, Any]) -> None:
        try:
            before = datetime.date.fromisoformat(opts["before"])
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{opts['before']}") from None
        directory = Path(opts["dir"]) if opts["dir"] else Path(settings.AUDIT_ARCHIVE_DIR)
        try:
            result = archive_before(before, directory, actor=actor_arg(opts["user"]))
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        data = {
            "file": str(result.path) if result.path else None,
            "count": result.count,
            "first_id": result.first_id,
            "last_id": result.last_id,
            "sha256": result.sha256,
        }
        if opts["json"]:
            self.stdout.write(dump(data))
        elif result.path is None:
            self.stdout.write(f"{before} 之前没有未归档的审计记录。")
        else:
            self.stdout.write(
                f"已归档 {result.count} 条审计记录（#{result.first_id}–#{result.last_id}）到 {result.path}\n"
                f"SHA-256：{result.sha256}"
            )
