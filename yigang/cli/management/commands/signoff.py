"""`yigang signoff status --town T [--year Y] [--json]` and `yigang signoff distribute --town T [--today D]`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yigang.cli.management.commands.compliance import date_arg
from yigang.signoff.actions import sync_town
from yigang.signoff.tracking import status
from yigang.towns.commandline import actor_arg, dump, town_arg


class Command(BaseCommand):
    help = (
        "Sign-off of the regulation, the duty lists and the target letters: who has confirmed, who has not."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        st = sub.add_parser("status", help="required / confirmed / missing per document")
        st.add_argument("--town")
        st.add_argument("--year", type=int, help="default: this year (Asia/Shanghai)")
        st.add_argument("--json", action="store_true")
        dist = sub.add_parser(
            "distribute", help="open the tasks due today (idempotent; `yigang remind` does it too)"
        )
        dist.add_argument("--town")
        dist.add_argument("--today", help="as of this date (YYYY-MM-DD)")
        dist.add_argument("--user", help="act as this user (audit trail)")

    def handle(self, *args: Any, **opts: Any) -> None:
        town = town_arg(opts["town"])
        if opts["action"] == "distribute":
            day = date_arg(opts["today"]) if opts["today"] else None
            result = sync_town(town=town, actor=actor_arg(opts["user"]), day=day)
            self.stdout.write(f"{town.name}：新下发 {len(result.created)} 项，失效 {result.ended} 项")
            return
        year = opts["year"] or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError("年份须在 2000 到 2100 之间")
        data = status(town, year)
        if opts["json"]:
            self.stdout.write(dump(data))
            return
        for doc in data["documents"]:
            self.stdout.write(
                f"{doc['title']}：应确认 {doc['required']}，已确认 {doc['confirmed']}，未确认 {len(doc['missing'])}"
            )
            for m in doc["missing"]:
                self.stdout.write(f"    未确认：{m['person']}（{m['unit']} {m['post']}）")
