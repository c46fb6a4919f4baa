"""`yigang regulation parse|import|activate|list|diff|lint`."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yigang.org.actions import sync_sectors_from_regulation
from yigang.org.lint import lint_town
from yigang.regulations import actions
from yigang.regulations.diff import diff_regulations
from yigang.regulations.models import Regulation
from yigang.regulations.parser import MAX_SOURCE_BYTES, SourceError, parse_source, to_json_dict
from yigang.towns.commandline import actor_arg, dump, town_arg


def _read(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"找不到文件：{path}")
    if file.stat().st_size > MAX_SOURCE_BYTES:
        raise CommandError(f"文件过大：制度文件不能超过 {MAX_SOURCE_BYTES // 1024 // 1024} MB")
    return file.read_bytes()


class Command(BaseCommand):
    help = "Parse, import, activate, compare and check the town's regulation."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("parse", help="parse a file and print it; saves nothing")
        p.add_argument("file")
        p.add_argument(
            "--json", action="store_true", help="print the parse as JSON (docs/regulation-json.md)"
        )

        p = sub.add_parser("import", help="import a file as a new draft version")
        p.add_argument("file")
        p.add_argument("--town")
        p.add_argument("--user", help="act as this user (audit trail)")
        p.add_argument("--activate", action="store_true", help="activate at once and adopt its sectors table")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("activate", help="activate a draft version")
        p.add_argument("version", type=int)
        p.add_argument("--town")
        p.add_argument("--user")
        p.add_argument(
            "--from",
            dest="effective_from",
            help="YYYY-MM-DD; default: the day its text names (自…起施行), else its issue date",
        )

        p = sub.add_parser("list", help="list the town's versions")
        p.add_argument("--town")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("diff", help="compare two versions")
        p.add_argument("old", type=int)
        p.add_argument("new", type=int)
        p.add_argument("--town")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("lint", help="overlapping and unsupervised sectors, duties nobody holds")
        p.add_argument("--town")
        p.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"do_{opts['action']}")(opts)

    def do_parse(self, opts: dict[str, Any]) -> None:
        try:
            parsed = parse_source(_read(opts["file"]), opts["file"])
        except SourceError as exc:
            raise CommandError(exc.message) from None
        data = to_json_dict(parsed)
        if opts["json"]:
            self.stdout.write(dump(data))
            return
        self.stdout.write(f"{data['title']}\n{data['issuer']} {data['issued_on'] or ''}")
        self.stdout.write(
            f"{len(data['chapters'])} 章，{len(data['articles'])} 条，"
            f"{sum(len(a['items']) for a in data['articles'])} 项，{len(data['duties'])} 项频次要求"
        )
        for d in data["duties"]:
            self.stdout.write(f"  第{d['article']}条第{d['item']}项 {d['post']} {d['kind']} {d['phrase']}")
        for w in data["warnings"]:
            self.stderr.write(f"提示：{w}")

    def do_import(self, opts: dict[str, Any]) -> None:
        town, actor = town_arg(opts["town"]), actor_arg(opts["user"])
        data = _read(opts["file"])
        try:
            with transaction.atomic():
                regulation = actions.import_regulation(
                    town=town, data=data, filename=Path(opts["file"]).name, actor=actor
                )
                if opts["activate"]:
                    actions.activate_regulation(regulation=regulation, actor=actor)
                    sync_sectors_from_regulation(regulation=regulation, actor=actor)
        except SourceError as exc:
            raise CommandError(exc.message) from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        summary = {
            "town": town.name,
            "id": regulation.pk,
            "version": regulation.version,
            "status": regulation.status,
            "title": regulation.title,
            "articles": regulation.articles.count(),
            "duties": regulation.duties.count(),
            "warnings": regulation.parse_warnings,
        }
        if opts["json"]:
            self.stdout.write(dump(summary))
        else:
            self.stdout.write(
                f"已导入 {town.name} 第 {regulation.version} 版（{regulation.get_status_display()}）："
                f"{summary['articles']} 条，{summary['duties']} 项频次要求"
            )

    def do_activate(self, opts: dict[str, Any]) -> None:
        import datetime

        town, actor = town_arg(opts["town"]), actor_arg(opts["user"])
        regulation = self._version(town, opts["version"])
        start = None
        if opts["effective_from"]:
            try:
                start = datetime.date.fromisoformat(opts["effective_from"])
            except ValueError:
                raise CommandError("--from 须为 YYYY-MM-DD 格式的日期") from None
        try:
            actions.activate_regulation(regulation=regulation, actor=actor, effective_from=start)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(
            f"已启用 {town.name} 第 {regulation.version} 版，自 {regulation.effective_from} 起施行"
        )

    def do_list(self, opts: dict[str, Any]) -> None:
        town = town_arg(opts["town"])
        rows = [
            {
                "version": r.version,
                "status": r.status,
                "title": r.title,
                "issued_on": r.issued_on,
                "effective_from": r.effective_from,
                "effective_until": r.effective_until,
            }
            for r in Regulation.objects.filter(town=town).order_by("version")
        ]
        if opts["json"]:
            self.stdout.write(dump(rows))
            return
        for r in rows:
            self.stdout.write(
                f"{r['version']:>3}  {r['status']:<10}  {r['issued_on'] or '':<10}  {r['title']}"
            )

    def do_diff(self, opts: dict[str, Any]) -> None:
        town = town_arg(opts["town"])
        diff = diff_regulations(self._version(town, opts["old"]), self._version(town, opts["new"]))
        if opts["json"]:
            self.stdout.write(dump(diff.as_dict()))
            return
        if diff.empty:
            self.stdout.write("两个版本内容相同")
        for name, (old, new) in diff.header.items():
            self.stdout.write(f"~ {name}: {old} → {new}")
        labels = {"added": "+", "removed": "-", "changed": "~"}
        for a in diff.articles:
            self.stdout.write(f"{labels[a.status]} 第{a.number}条")
        for d in diff.duties:
            old_label = d.old["label"] if d.old else ""
            new_label = d.new["label"] if d.new else ""
            self.stdout.write(
                f"{labels[d.status]} 履职要求 {d.place}: {old_label} → {new_label}".rstrip(" →")
            )

    def do_lint(self, opts: dict[str, Any]) -> None:
        report = lint_town(town_arg(opts["town"]))
        if opts["json"]:
            self.stdout.write(dump(report.as_dict()))
            return
        for o in report.overlaps:
            bodies = "、".join(b["unit"] + (f"（{b['scope']}）" if b["scope"] else "") for b in o.bodies)
            self.stdout.write(f"多头监管  {o.sector}：{bodies}")
        for o in report.synonym_overlaps:
            bodies = "、".join(
                f"{b['unit']}（{b['sector']}{'·' + b['scope'] if b['scope'] else ''}）" for b in o.bodies
            )
            self.stdout.write(f"同义多头  {o.sector}：{bodies}")
        for s in report.unsupervised:
            self.stdout.write(f"无人监管  {s}（由属地负责）")
        for h in report.uncovered_sectors:
            self.stdout.write(f"无人负责  {h.sector}：{h.reason_label}（请指定监管单位，或按场所类型分工）")
        for u in report.unheld_duties:
            self.stdout.write(f"无人承担  {u.post_name}：{len(u.duties)} 项履职要求（{u.reason_label}）")
        for v in report.vacant_posts:
            self.stdout.write(f"岗位空缺  {v.unit} {v.post}")
        for b in report.bodies_without_head:
            self.stdout.write(f"未设负责人  {b}")
        for b in report.bodies_without_portfolio:
            self.stdout.write(f"无分管领导  {b}")
        if report.clean:
            self.stdout.write("未发现问题")

    @staticmethod
    def _version(town: Any, version: int) -> Regulation:
        try:
            return Regulation.objects.get(town=town, version=version)
        except Regulation.DoesNotExist:
            raise CommandError(f"{town.name} 没有第 {version} 版制度") from None
