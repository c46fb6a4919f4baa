"""`yigang calendar import|show|recount`: the working calendar hazard deadlines are counted on.

- `import FILE [--town T | --county C] [--year Y] [--dry-run] [--replace] [--json] [--user U]`: read the State
  Council's notice (.txt or .docx) and print the days read; saves unless --dry-run. Unread lines, or a year
  already entered without --replace (the difference is printed), exit with status 2 and save nothing.
- `show --year Y [--town T] [--json]`: {"year", "source", "holidays", "workdays"}; source is notice, package or
  statutory.
- `recount --year Y [--town T | --county C] [--user U]`: count the open deadlines that touch the year again.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yigang.towns.commandline import actor_arg, dump, town_arg
from yigang.towns.models import Town
from yigang.workcalendar import actions
from yigang.workcalendar.days import Calendar
from yigang.workcalendar.models import Source
from yigang.workcalendar.source import MAX_UPLOAD, read_file


class Command(BaseCommand):
    help = (
        "The working calendar: enter a year from the State Council's notice, show a year, recount deadlines."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        i = sub.add_parser("import", help="read a notice and enter its year")
        i.add_argument("file")
        i.add_argument("--town")
        i.add_argument("--county", help="为全旗县各乡镇录入")
        i.add_argument("--year", type=int, help="通知中没有年份时指定")
        i.add_argument("--dry-run", action="store_true", help="只读取并打印，不保存")
        i.add_argument("--replace", action="store_true", help="替换已录入的同一年")
        i.add_argument("--json", action="store_true")
        i.add_argument("--user")
        s = sub.add_parser("show", help="a year's holidays and working weekend days")
        s.add_argument("--year", type=int, required=True)
        s.add_argument("--town")
        s.add_argument("--json", action="store_true")
        r = sub.add_parser("recount", help="recount open deadlines that touch a year")
        r.add_argument("--year", type=int, required=True)
        r.add_argument("--town")
        r.add_argument("--county")
        r.add_argument("--user")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"_{opts['action']}")(opts)

    def _scope(self, opts: dict[str, Any]) -> tuple[Town | None, str]:
        if opts.get("county"):
            if opts.get("town"):
                raise CommandError("--town 与 --county 只能选一个")
            if not Town.objects.filter(county=opts["county"]).exists():
                raise CommandError(f"没有属于“{opts['county']}”的乡镇")
            return None, opts["county"]
        return town_arg(opts.get("town")), ""

    def _import(self, opts: dict[str, Any]) -> None:
        path = Path(opts["file"])
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_UPLOAD + 1)
            text = read_file(data, path.name)
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc.strerror}") from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        town, county = self._scope(opts)
        preview = actions.preview(text=text, town=town, county=county, year=opts["year"])
        parsed = preview.parsed
        data_out = preview.as_json()
        saved = False
        if parsed.ok and not opts["dry_run"] and (preview.current is None or opts["replace"]):
            try:
                _entry, changed = actions.enter_year(
                    text=text,
                    town=town,
                    county=county,
                    year=opts["year"],
                    replace=opts["replace"],
                    actor=actor_arg(opts["user"]),
                )
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from None
            saved = True
            data_out["recomputed"] = changed
        data_out["saved"] = saved
        if opts["json"]:
            self.stdout.write(dump(data_out))
        else:
            self._print(preview, saved)
        if not parsed.ok:
            raise CommandError("通知有读不懂的行或缺少年份，未保存。", returncode=2)
        if preview.current is not None and not opts["replace"] and not opts["dry_run"]:
            raise CommandError(f"{parsed.year} 年已录入；确认差异后加 --replace 替换。", returncode=2)

    def _print(self, preview: actions.Preview, saved: bool) -> None:
        parsed = preview.parsed
        self.stdout.write(f"{parsed.year or '？'} 年放假安排")
        for line in parsed.lines:
            if line.status == "read":
                days = "、".join(f"{d:%Y-%m-%d}" for d in line.days) or "—"
                work = "、".join(f"{d:%Y-%m-%d}" for d in line.workdays) or "—"
                self.stdout.write(f"  第{line.number}行 {line.holiday or '调整'}：放假 {days}；上班 {work}")
            elif line.status == "unread":
                self.stdout.write(f"✗ 第{line.number}行读不懂：{line.text}（{line.message}）")
        for e in parsed.errors:
            self.stdout.write(f"错误：{e}")
        for w in parsed.warnings:
            self.stdout.write(f"提示：{w}")
        if parsed.ok:
            self.stdout.write(f"共放假 {len(parsed.holidays)} 天，调休上班 {len(parsed.workdays)} 天。")
        if preview.difference is not None:
            diff = preview.difference.as_json()
            self.stdout.write("与已录入的差异：" + ("无" if preview.difference.empty else ""))
            for key, label in (
                ("added_holidays", "新增放假"),
                ("removed_holidays", "不再放假"),
                ("added_workdays", "新增调休上班"),
                ("removed_workdays", "不再调休上班"),
            ):
                if diff[key]:
                    self.stdout.write(f"  {label}：{'、'.join(diff[key])}")
        if saved:
            self.stdout.write("已保存。")

    def _show(self, opts: dict[str, Any]) -> None:
        if not 2000 <= opts["year"] <= 2100:
            raise CommandError("--year 须在 2000 到 2100 之间")
        town = town_arg(opts["town"]) if opts["town"] or Town.objects.exists() else None
        data = Calendar.for_town(town).year(opts["year"])
        if opts["json"]:
            self.stdout.write(dump(data))
            return
        self.stdout.write(f"{data['year']} 年：{dict(Source.choices)[data['source']]}")
        self.stdout.write("放假：" + "、".join(data["holidays"]))
        self.stdout.write("调休上班：" + ("、".join(data["workdays"]) or "无"))

    def _recount(self, opts: dict[str, Any]) -> None:
        town, county = self._scope(opts)
        changed = actions.recount(town=town, county=county, year=opts["year"], actor=actor_arg(opts["user"]))
        self.stdout.write(f"重算 {len(changed)} 条隐患的整改期限")
        for c in changed:
            self.stdout.write(
                f"  {c['number']}：{c['old_deadline']} → {c['new_deadline']}（{c['new_calendar']}）"
            )
