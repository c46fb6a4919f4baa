"""`yigang coverage --town … --year … [--unit NAME] [--json]`: the supervision plans' inspection coverage."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yigang.org.models import Unit, UnitKind
from yigang.places.coverage import compute
from yigang.towns.commandline import dump, town_arg


class Command(BaseCommand):
    help = "Per body, place and period: inspections owed by the yearly plans and made (docs/places.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--town")
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--unit", help="only this body (its name)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        town = town_arg(opts["town"])
        year = opts["year"] or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError("年度须在 2000 到 2100 之间")
        units = None
        if opts["unit"]:
            found = list(
                Unit.objects.filter(town=town, kind=UnitKind.BODY, name=opts["unit"]).values_list(
                    "pk", flat=True
                )
            )
            if not found:
                raise CommandError(f"{town.name}没有名为“{opts['unit']}”的单位")
            units = found
        report = compute(town, year, units=units)
        if opts["json"]:
            self.stdout.write(dump(report.as_dict()))
            return
        rate = f"{report.totals.rate}%" if report.totals.rate is not None else "—"
        self.stdout.write(
            f"{town.name} {year} 年检查计划覆盖率 {rate}（{report.totals.met}/{report.totals.judged}）"
        )
        for _pk, (name, totals) in report.by_unit.items():
            shown = f"{totals.rate}%" if totals.rate is not None else "—"
            self.stdout.write(
                f"  {name}：{shown}（{totals.met}/{totals.judged}），检查 {totals.inspections} 次"
            )
        for item in report.items:
            for period in item.missed:
                self.stdout.write(
                    f"  未覆盖  {item.unit} · {item.place} · {period.label}（{period.done}/{period.owed}）"
                )
