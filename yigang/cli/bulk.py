"""What `yigang org` and `yigang place` share: import (all rows or none), export and template of one .xlsx register.

A command names its register's functions and its words; the size check, the refusals and the error listing are
said once here, so both registers answer bad files the same way."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yigang.org.bulk import MAX_BYTES, ImportRefused
from yigang.towns.commandline import actor_arg, dump, town_arg


class BulkCommand(BaseCommand):
    export_help = ""
    exported = ""  # what the export holds, in words: 人员任职, 监管对象台账
    refused: type[ImportRefused]
    import_xlsx: Callable[..., Any]
    export_xlsx: Callable[..., bytes]
    template_xlsx: Callable[..., bytes]

    def summary(self, result: Any) -> str:
        raise NotImplementedError

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import", help="import an .xlsx in the template's columns; all rows or none")
        p.add_argument("file")
        p.add_argument("--town")
        p.add_argument("--user", help="act as this user (audit trail)")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("export", help=self.export_help)
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
            result = self.import_xlsx(town, file.read_bytes(), actor=actor, filename=file.name)
        except self.refused as exc:
            raise CommandError(exc.message) from None
        if opts["json"]:
            self.stdout.write(dump({"town": town.name, **result.as_dict()}))
        elif result.ok:
            self.stdout.write(f"已导入 {town.name}：{self.summary(result)}")
        if not result.ok:
            if not opts["json"]:
                for error in result.errors:
                    self.stderr.write(str(error))
            raise CommandError(f"有 {len(result.errors)} 处错误，未导入任何数据")

    def do_export(self, opts: dict[str, Any]) -> None:
        town, actor = town_arg(opts["town"]), actor_arg(opts["user"])
        target = Path(opts["output"])
        target.write_bytes(self.export_xlsx(town, actor=actor))
        self.stdout.write(f"已导出 {town.name} 的{self.exported}到 {target}")

    def do_template(self, opts: dict[str, Any]) -> None:
        town = town_arg(opts["town"])
        target = Path(opts["output"])
        target.write_bytes(self.template_xlsx(town))
        self.stdout.write(f"已写出导入模板：{target}")
