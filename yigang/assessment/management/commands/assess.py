"""`yigang assess --town T --year Y [--json]`: the year's assessment (the published result, or computed now).

The JSON carries, for each unit and person, each scoring item with its rule, the figures it was scored on (a
duty item its `required` and `done`), whether nothing was on record or the item was marked 不适用, and its points;
the deductions, adjustments, 先进 and ties at the 先进 line; whether the result is 预评 and the scheme's version.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yigang.assessment.results import contract, results
from yigang.towns.commandline import dump, town_arg


class Command(BaseCommand):
    help = (
        "The year-end assessment of every body, village and leader, with 一票否决 (published or on the fly): "
        "each item with its rule, figures and points."
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
        data = contract(results(town, year), detail=True)
        if opts["json"]:
            self.stdout.write(dump(data))
            return
        if data["published"]:
            state = "已发布"
        elif data["provisional"]:
            state = "预评（年度尚未结束，未结束的各期不计分）"
        else:
            state = "未发布（按当前数据计算）"
        version = data["scheme"]["version"]
        self.stdout.write(
            f"{data['town']} {year}年度考核 {state} · 方案{f'第 {version} 版' if version else '：默认（未保存）'}"
        )
        for row in data["units"] + data["persons"]:
            name = row.get("unit") or f"{row['person']}（{row['post']}）"
            veto = f" 一票否决：{'；'.join(row['veto_reasons'])}" if row["vetoed"] else ""
            mark = " 先进" if row["advanced"] else (" 并列待定" if row["tied"] else "")
            self.stdout.write(f"{row['rank']:>3} {name} {row['score']:.1f} {row['grade']}{mark}{veto}")
            for item in row["items"]:
                points = "不适用" if item["points"] is None else f"{item['points']:.1f}/{item['weight']:g}"
                note = "（无记录）" if item["no_record"] else ""
                figures = "，".join(f"{k}={v}" for k, v in item["figures"].items())
                self.stdout.write(f"      {item['label']}：{points}{note} [{figures}]")
