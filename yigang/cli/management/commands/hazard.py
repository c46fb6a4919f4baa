"""`yigang hazard route|stats|escalate|policy`: hazards for scripts and for checking.

- `route --town T --sector S [--place P] [--found-on D] [--working-days N] [--json]`: who a hazard reported
  there and then would go to, and its deadline; saves nothing.
- `stats --town T --year Y [--json]`: the year's counts, by sector and village.
- `escalate [--town T] [--today D] [--json]`: notify overdue hazards one level up (also run by `yigang remind`).
- `policy --town T --days N`: the escalation interval in days.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yigang.cli.management.commands.compliance import date_arg
from yigang.hazards import actions, escalation
from yigang.hazards.models import Hazard
from yigang.hazards.routing import rectifier_text, route
from yigang.hazards.stats import COUNTS, LABELS, compute
from yigang.org.chain import NotFound, find_place, find_sector
from yigang.towns.commandline import actor_arg, dump, town_arg


class Command(BaseCommand):
    help = "Hazards: routing preview, statistics, escalation of overdue hazards, escalation interval."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        r = sub.add_parser("route", help="who a hazard would be routed to (saves nothing)")
        r.add_argument("--town")
        r.add_argument("--sector", required=True)
        r.add_argument("--place", help="嘎查村（社区）；不填或“全镇”为全镇")
        r.add_argument("--found-on", help="YYYY-MM-DD；默认今天")
        r.add_argument("--working-days", type=int, help="整改期限（工作日）")
        r.add_argument("--json", action="store_true")
        s = sub.add_parser("stats", help="a year's statistics")
        s.add_argument("--town")
        s.add_argument("--year", type=int, required=True)
        s.add_argument("--json", action="store_true")
        e = sub.add_parser("escalate", help="escalate overdue hazards (idempotent)")
        e.add_argument("--town")
        e.add_argument("--today")
        e.add_argument("--user")
        e.add_argument("--json", action="store_true")
        p = sub.add_parser("policy", help="set the escalation interval")
        p.add_argument("--town")
        p.add_argument("--days", type=int, required=True)
        p.add_argument("--user")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"_{opts['action']}")(opts)

    def _route(self, opts: dict[str, Any]) -> None:
        town = town_arg(opts["town"])
        found_on = date_arg(opts["found_on"]) if opts["found_on"] else timezone.localdate()
        if not 2000 <= found_on.year <= 2100:
            raise CommandError("--found-on 须在 2000 到 2100 年之间")
        days = opts["working_days"]
        if days is not None and not 1 <= days <= 365:
            raise CommandError("--working-days 须在 1 到 365 之间")
        try:
            result = route(
                sector=find_sector(town, opts["sector"]),
                place=find_place(town, opts["place"]),
                found_on=found_on,
                working_days=days,
            )
        except NotFound as exc:
            raise CommandError(exc.message) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        data = result.as_dict()
        if opts["json"]:
            self.stdout.write(dump(data))
            return
        owner = data["owner"]
        self.stdout.write(f"{town.name} · {data['sector']} · {data['place']} · {data['found_on']}")
        seat = f"{owner['unit']} {owner['post'] or ''} {owner['person'] or '【空缺】'}"
        rectifier = data["rectifier"]
        if rectifier:  # at a registered place: the enterprise rectifies, the body oversees and accepts
            self.stdout.write(f"整改责任主体（主体责任）：{rectifier_text(rectifier)}")
            self.stdout.write(f"监管部门（督促、验收）：{seat}")
        else:
            self.stdout.write(f"责任单位：{seat}")
        for c in data["copied"]:
            self.stdout.write(f"抄送：{c['unit']}")
        if data["leader"]:
            self.stdout.write(f"分管领导：{data['leader']['post']} {data['leader']['person'] or '【空缺】'}")
        if data["village"]:
            v = data["village"]
            self.stdout.write(f"属地：{v['unit']} {v['post']} {v['person'] or '【空缺】'}")
        if data["deadline"]:
            self.stdout.write(f"整改期限：{data['deadline']}")
        for w in data["warnings"]:
            self.stdout.write(f"提示：{w}")

    def _stats(self, opts: dict[str, Any]) -> None:
        town = town_arg(opts["town"])
        if not 2000 <= opts["year"] <= 2100:
            raise CommandError("--year 须在 2000 到 2100 之间")
        result = compute(Hazard.objects.all(), town=town, year=opts["year"])
        if opts["json"]:
            self.stdout.write(dump(result.as_json()))
            return
        self.stdout.write(f"{town.name} {opts['year']} 年隐患：")
        self.stdout.write("，".join(f"{LABELS[k]} {result.total[k]}" for k in COUNTS))
        for name, counts in sorted(result.by_sector.items()):
            self.stdout.write(f"  {name}：" + "，".join(f"{LABELS[k]} {counts[k]}" for k in COUNTS))

    def _escalate(self, opts: dict[str, Any]) -> None:
        towns = [town_arg(opts["town"])] if opts["town"] else None
        today = date_arg(opts["today"]) if opts["today"] else None
        result = escalation.run(towns=towns, today=today, actor=actor_arg(opts["user"]))
        if opts["json"]:
            self.stdout.write(dump(result.as_json()))
            return
        self.stdout.write(
            f"隐患督办：逾期 {result.hazards} 条，本次升级 {result.escalated} 条；"
            f"送达 {result.outcome.sent}，失败 {result.outcome.failed}，已发过 {result.outcome.skipped}"
        )

    def _policy(self, opts: dict[str, Any]) -> None:
        town = town_arg(opts["town"])
        try:
            policy = actions.set_policy(
                town=town, escalation_days=opts["days"], actor=actor_arg(opts["user"])
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"{town.name}：逾期隐患每 {policy.escalation_days} 天升级一级督办")
