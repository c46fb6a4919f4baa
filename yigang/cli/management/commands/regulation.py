"""`yigang regulation parse|import|activate|list|diff|lint|mark|check`.

`--region CODE` (import, activate, list, mark, check) acts on a level's own regulation (a 旗县's, a 盟市's: issue
25.5) instead of a town's; `mark` marks its model duties and `check` holds the towns below it against them."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yigang.org.actions import sync_sectors_from_regulation
from yigang.org.lint import lint_town
from yigang.regulations import actions, model_actions
from yigang.regulations.diff import diff_regulations
from yigang.regulations.model_check import check_region
from yigang.regulations.models import Regulation
from yigang.regulations.parser import MAX_SOURCE_BYTES, SourceError, parse_source, to_json_dict
from yigang.regulations.regions import towns_below
from yigang.towns.commandline import actor_arg, dump, town_arg
from yigang.towns.models import Region


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise CommandError(f"没有代码为“{code}”的行政区域")
    return region


def _place(text: str) -> tuple[int, int | None]:
    """An article and item number: "4.1" → (4, 1), "7" → (7, None)."""
    article, _dot, item = text.partition(".")
    try:
        return int(article), int(item) if item else None
    except ValueError:
        raise CommandError(f"条款须写作“条.项”或“条”，如 4.1 或 7：{text}") from None


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
        p.add_argument("--region", help="a region's code: import the level's own regulation")
        p.add_argument("--user", help="act as this user (audit trail)")
        p.add_argument("--activate", action="store_true", help="activate at once and adopt its sectors table")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("activate", help="activate a draft version")
        p.add_argument("version", type=int)
        p.add_argument("--town")
        p.add_argument("--region")
        p.add_argument("--user")
        p.add_argument(
            "--from",
            dest="effective_from",
            help="YYYY-MM-DD; default: the day its text names (自…起施行), else its issue date",
        )

        p = sub.add_parser("list", help="list the town's versions")
        p.add_argument("--town")
        p.add_argument("--region")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("diff", help="compare two versions")
        p.add_argument("old", type=int)
        p.add_argument("new", type=int)
        p.add_argument("--town")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("lint", help="overlapping and unsupervised sectors, duties nobody holds")
        p.add_argument("--town")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("mark", help="mark duties of a region's version as required of every town")
        p.add_argument("version", type=int)
        p.add_argument("places", nargs="+", help="article.item (4.1) or article (7)")
        p.add_argument("--region", required=True)
        p.add_argument("--unmark", action="store_true")
        p.add_argument("--user")

        p = sub.add_parser("check", help="the towns below a region against its model duties")
        p.add_argument("--region", required=True)
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

    def _owner(self, opts: dict[str, Any]) -> tuple[dict[str, Any], str]:
        if opts.get("region"):
            if opts.get("town"):
                raise CommandError("--town 与 --region 只能选一个")
            region = _region(opts["region"])
            return {"region": region}, region.name
        town = town_arg(opts["town"])
        return {"town": town}, town.name

    def do_import(self, opts: dict[str, Any]) -> None:
        (owner, name), actor = self._owner(opts), actor_arg(opts["user"])
        data = _read(opts["file"])
        try:
            with transaction.atomic():
                regulation = actions.import_regulation(
                    **owner, data=data, filename=Path(opts["file"]).name, actor=actor
                )
                if opts["activate"]:
                    actions.activate_regulation(regulation=regulation, actor=actor)
                    if regulation.town is not None:
                        sync_sectors_from_regulation(regulation=regulation, actor=actor)
        except SourceError as exc:
            raise CommandError(exc.message) from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        summary = {
            "region" if "region" in owner else "town": name,
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
                f"已导入 {name} 第 {regulation.version} 版（{regulation.get_status_display()}）："
                f"{summary['articles']} 条，{summary['duties']} 项频次要求"
            )

    def do_activate(self, opts: dict[str, Any]) -> None:
        import datetime

        (owner, name), actor = self._owner(opts), actor_arg(opts["user"])
        regulation = self._version(owner, name, opts["version"])
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
        self.stdout.write(f"已启用 {name} 第 {regulation.version} 版，自 {regulation.effective_from} 起施行")

    def do_list(self, opts: dict[str, Any]) -> None:
        owner, _name = self._owner(opts)
        rows = [
            {
                "version": r.version,
                "status": r.status,
                "title": r.title,
                "issued_on": r.issued_on,
                "effective_from": r.effective_from,
                "effective_until": r.effective_until,
            }
            for r in Regulation.objects.filter(**owner).order_by("version")
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
        owner = {"town": town}
        diff = diff_regulations(
            self._version(owner, town.name, opts["old"]), self._version(owner, town.name, opts["new"])
        )
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

    def do_mark(self, opts: dict[str, Any]) -> None:
        region, actor = _region(opts["region"]), actor_arg(opts["user"])
        regulation = self._version({"region": region}, region.name, opts["version"])
        places = [_place(p) for p in opts["places"]]
        try:
            with transaction.atomic():
                for article, item in places:
                    at = {"item__number": item} if item is not None else {"item__isnull": True}
                    duties = list(regulation.duties.filter(article__number=article, **at))
                    if not duties:
                        where = f"第{article}条" + (f"第{item}项" if item else "")
                        raise CommandError(f"第 {regulation.version} 版{where}没有履职要求")
                    for duty in duties:
                        model_actions.mark_model_duty(duty=duty, is_model=not opts["unmark"], actor=actor)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        marked = regulation.duties.filter(is_model=True).count()
        self.stdout.write(f"{region.name} 第 {regulation.version} 版：{marked} 项示范条款")

    def do_check(self, opts: dict[str, Any]) -> None:
        region = _region(opts["region"])
        check = check_region(region, towns_below(region))
        rows: list[dict[str, Any]] = [
            {
                "town": t.town.name,
                "regulation": t.regulation.version if t.regulation else None,
                "met": t.met,
                "findings": [
                    {
                        "model": f.model.duty.place_label,
                        "town_post": f.model.town_post,
                        "status": f.status,
                        "model_frequency": f.model.duty.frequency_label,
                        "found": f.found.place_label if f.found else None,
                        "found_frequency": f.found.frequency_label if f.found else None,
                    }
                    for f in t.findings
                ],
            }
            for t in check.towns
        ]
        if opts["json"]:
            self.stdout.write(dump({"region": region.name, "models": len(check.models), "towns": rows}))
            return
        if not check.models:
            self.stdout.write(f"{region.name} 的现行制度没有示范条款")
        for t in check.towns:
            self.stdout.write(f"{t.town.name}：具备 {t.met} 项，不足 {len(t.findings)} 项")
            for f in t.findings:
                found = f"（本镇 {f.found.place_label} {f.found.frequency_label}）" if f.found else ""
                duty = f.model.duty
                self.stdout.write(
                    f"  {f.label}  {duty.place_label} {f.model.town_post_label} {duty.frequency_label}{found}"
                )

    @staticmethod
    def _version(owner: dict[str, Any], name: str, version: int) -> Regulation:
        try:
            return Regulation.objects.get(**owner, version=version)
        except Regulation.DoesNotExist:
            raise CommandError(f"{name} 没有第 {version} 版制度") from None
