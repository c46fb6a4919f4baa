"""`yigang org import|export|template`: people, posts and tenures in bulk (.xlsx)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yigang.org.bulk import MAX_BYTES, ImportRefused, export_xlsx, import_xlsx, template_xlsx
from yigang.towns.commandline import actor_arg, dump, town_arg


class Command(BaseCommand):
    help = (
        "Import people, posts and tenures from .xlsx (all rows or none), export them, or write the template."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import", help="import an .xlsx in the template's columns; all rows or none")
        p.add_argument("file")
        p.add_argument("--town")
        p.add_argument("--user", help="act as this user (audit trail)")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("export", help="write every tenure and every post never held to an .xlsx")
        p.add_argument("--town")
        p.add_argument("--user")
        p.add_argument("-o", "--output", required=True)

        p = sub.add_parser("template", help="write the empty import template")
        p.add_argument("--town")
        p.add_argument("-o", "--output", required=True)

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"do_{opts['action']}")(opts)

    def do_import(self, opts: dict[str, Any]) -> None:
        town, actor = town_arg(opts["town"]), actor_arg(opts["user"])
        file = Path(opts["file"])
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}")
        if file.stat().st_size > MAX_BYTES:
            raise CommandError(f"文件过大：导入表不能超过 {MAX_BYTES // 1024 // 1024} MB")
        try:
            result = import_xlsx(town, file.read_bytes(), actor=actor, filename=file.name)
        except ImportRefused as exc:
            raise CommandError(exc.message) from None
        if opts["json"]:
            self.stdout.write(dump({"town": town.name, **result.as_dict()}))
        elif result.ok:
            self.stdout.write(
                f"已导入 {town.name}：{result.rows} 行；新增人员 {result.people} 名、岗位 {result.posts} 个、"
                f"单位 {result.units} 个、任职 {result.tenures} 条；登记离任 {result.ended} 条；未变 {result.unchanged} 条"
            )
        if not result.ok:
            if not opts["json"]:
                for error in result.errors:
                    self.stderr.write(str(error))
            raise CommandError(f"有 {len(result.errors)} 处错误，未导入任何数据")

    def do_export(self, opts: dict[str, Any]) -> None:
        town, actor = town_arg(opts["town"]), actor_arg(opts["user"])
        target = Path(opts["output"])
        target.write_bytes(export_xlsx(town, actor=actor))
        self.stdout.write(f"已导出 {town.name} 的人员任职到 {target}")

    def do_template(self, opts: dict[str, Any]) -> None:
        town = town_arg(opts["town"])
        target = Path(opts["output"])
        target.write_bytes(template_xlsx(town))
        self.stdout.write(f"已写出导入模板：{target}")
