"""`yigang accountability --town T (--accident ID | --hazard ID) [--json]`: the 追责 / 尽职免责 evidence file."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yigang.accidents.models import Accident
from yigang.assessment import accountability
from yigang.cli.base import dump, town_arg
from yigang.hazards.models import Hazard


class Command(BaseCommand):
    help = "Per holder of the chain at the accident's or hazard's moment: duties done, gaps, finding 尽职/未尽职."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--town")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--accident", type=int)
        which.add_argument("--hazard", help="the hazard's id or number")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        town = town_arg(opts["town"])
        if opts["accident"] is not None:
            accident = Accident.objects.filter(town=town, pk=opts["accident"], latest__isnull=False).first()
            if accident is None:
                raise CommandError(f"{town.name}没有编号为 {opts['accident']} 的事故")
            file = accountability.for_accident(accident)
        else:
            key = opts["hazard"]
            hazard = Hazard.objects.filter(town=town, number=key).first()
            if hazard is None and key.isdigit():
                hazard = Hazard.objects.filter(town=town, pk=int(key)).first()
            if hazard is None:
                raise CommandError(f"{town.name}没有编号为 {key} 的隐患")
            file = accountability.for_hazard(hazard)
        data = file.as_json()
        if opts["json"]:
            self.stdout.write(dump(data))
            return
        self.stdout.write(f"{data['subject']}（{data['at']}）")
        for p in data["persons"]:
            c = p["compliance"]
            self.stdout.write(f"{p['person']} {p['post']} 履职 {c['done']}/{c['required']} → {p['finding']}")
            for gap in p["gaps"]:
                self.stdout.write(f"    · {gap}")
