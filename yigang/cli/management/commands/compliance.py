"""`yigang compliance --town T --year Y [--post P] [--today D] [--json]`: required vs done for every duty."""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from yigang.duties.compliance import Level, compute
from yigang.org.models import Post
from yigang.towns.commandline import dump, town_arg


def date_arg(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期须为 YYYY-MM-DD 格式：{value}") from None


class Command(BaseCommand):
    help = "Compliance of the town's posts with every frequency duty over the periods of a year."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--town")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--post", help="a post's title or id")
        parser.add_argument(
            "--today", help="judge as of this date (YYYY-MM-DD); default: today in Asia/Shanghai"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        town = town_arg(opts["town"])
        year = opts["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("年份须在 2000 到 2100 之间")
        post_ids = None
        if opts["post"]:
            key = opts["post"]
            match = Q(title=key) | (Q(pk=int(key)) if key.isdigit() else Q(pk__in=[]))
            post_ids = list(Post.objects.filter(town=town).filter(match).values_list("pk", flat=True))
            if not post_ids:
                raise CommandError(f"{town.name}没有名称或编号为“{key}”的岗位")
        today = date_arg(opts["today"]) if opts["today"] else None
        result = compute(town, year, today=today, post_ids=post_ids)
        if opts["json"]:
            self.stdout.write(dump(result.as_json()))
            return
        for r in result.rows + result.post_rows:
            who = "（岗位整体）" if r.level == Level.POST else r.person or "（空缺）"
            self.stdout.write(
                f"{r.post:<16} {who:<8} {r.place:<12} {r.kind_label:<6} "
                f"{r.period_label:<22} {r.done}/{r.required} {r.status_label}"
            )
        counts = result.summary()
        self.stdout.write("合计：" + "，".join(f"{k} {v}" for k, v in counts.items() if v))
