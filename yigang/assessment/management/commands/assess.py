"""`yigang assess --town T --year Y [--json]`: the year's assessment (the published result, or computed now)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yigang.assessment.results import contract, results
from yigang.cli.base import dump, town_arg


class Command(BaseCommand):
    help = (
        "The year-end assessment of every body, village and leader, with 一票否决 (published or on the fly)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--town")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        town = town_arg(opts["town"])
        year = opts["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("年份须在 2000 到 2100 之间")
        data = contract(results(town, year))
        if opts["json"]:
            self.stdout.write(dump(data))
            return
        state = "已发布" if data["published"] else "未发布（按当前数据计算）"
        self.stdout.write(f"{data['town']} {year}年度考核 {state}")
        for u in data["units"]:
            veto = f" 一票否决：{'；'.join(u['veto_reasons'])}" if u["vetoed"] else ""
            self.stdout.write(f"{u['rank']:>3} {u['unit']:<16} {u['score']:>5} {u['grade']}{veto}")
        for p in data["persons"]:
            veto = f" 一票否决：{'；'.join(p['veto_reasons'])}" if p["vetoed"] else ""
            self.stdout.write(f"    {p['person']:<8} {p['post']:<16} {p['score']:>5} {p['grade']}{veto}")
