"""`yigang who --town T --sector S [--place P] [--at YYYY-MM-DD] [--json]`: the chain of responsibility."""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yigang.org.chain import NotFound, Role, build_chain, find_place, find_sector
from yigang.towns.commandline import dump, town_arg


class Command(BaseCommand):
    help = "Who was responsible for a sector at a place (a village, or the whole town) on a day."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--town")
        parser.add_argument("--sector", required=True, help="行业领域名称，如 烟花爆竹")
        parser.add_argument("--place", help="嘎查村（社区）名称；不填或“全镇”为全镇")
        parser.add_argument("--at", help="YYYY-MM-DD；默认今天")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        town = town_arg(opts["town"])
        day = timezone.localdate()
        if opts["at"]:
            try:
                day = datetime.date.fromisoformat(opts["at"])
            except ValueError:
                raise CommandError(f"--at 须为 YYYY-MM-DD 格式的日期，收到“{opts['at']}”") from None
        try:
            sector = find_sector(town, opts["sector"])
            place = find_place(town, opts["place"])
        except NotFound as exc:
            raise CommandError(exc.message) from None
        chain = build_chain(sector=sector, place=place, at=day)
        if opts["json"]:
            self.stdout.write(dump(chain.as_dict()))
            return
        self.stdout.write(f"{town.name} · {sector.name} · {chain.place_label} · {day.isoformat()}")
        if chain.regulation is not None:
            self.stdout.write(f"依据：{chain.regulation}")
        for n, link in enumerate(chain.links, start=1):
            person = link.person or "【空缺】"
            scope = f"（{link.scope}）" if link.scope else ""
            self.stdout.write(
                f"{n:>2}. {Role.label(link.role)}{scope} · {link.level} · {link.unit} {link.post}：{person}"
            )
        for warning in chain.warnings:
            self.stdout.write(f"提示：{warning}")
