"""`yigang accountability --town T (--accident ID | --hazard ID) [--months N] [--version N] [--json]`: the 追责 /
尽职免责 evidence file — the chain as on record, entry times, the 事后补录 list, the register-changed flags, every
holder of the window with their duties, checklist and graded reading, and the 安委办's findings."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yigang.accidents.models import Accident
from yigang.assessment import accountability
from yigang.assessment.dates import cn_date, cn_datetime
from yigang.assessment.models import IssuedFile
from yigang.hazards.models import Hazard
from yigang.towns.commandline import dump, town_arg


class Command(BaseCommand):
    help = (
        "The accountability file of an accident or hazard: chain as on record, 事后补录, register changes, "
        "each holder's duties and graded reading (尽职/基本尽职/未尽职)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--town")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--accident", type=int)
        which.add_argument("--hazard", help="the hazard's id or number")
        parser.add_argument(
            "--months", type=int, default=12, help="the window before the moment (default 12)"
        )
        parser.add_argument(
            "--issued", type=int, metavar="VERSION", help="an issued version (its frozen content)"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        town = town_arg(opts["town"])
        months = opts["months"]
        if not 1 <= months <= 60:
            raise CommandError("--months 须在 1 到 60 之间")
        if opts["accident"] is not None:
            accident = Accident.objects.filter(town=town, pk=opts["accident"], latest__isnull=False).first()
            if accident is None:
                raise CommandError(f"{town.name}没有编号为 {opts['accident']} 的事故")
            kind, pk = "accident", accident.pk
            build = lambda: accountability.for_accident(accident, months=months)  # noqa: E731
        else:
            key = opts["hazard"]
            hazard = Hazard.objects.filter(town=town, number=key).first()
            if hazard is None and key.isdigit():
                hazard = Hazard.objects.filter(town=town, pk=int(key)).first()
            if hazard is None:
                raise CommandError(f"{town.name}没有编号为 {key} 的隐患")
            kind, pk = "hazard", hazard.pk
            build = lambda: accountability.for_hazard(hazard, months=months)  # noqa: E731
        if opts["issued"] is not None:
            issued = IssuedFile.objects.filter(
                subject_kind=kind, subject_id=pk, version=opts["issued"]
            ).first()
            if issued is None:
                raise CommandError(f"没有第 {opts['version']} 版的已出具材料")
            data = {
                **issued.content,
                "issued": {
                    "version": issued.version,
                    "sha256": issued.sha256,
                    "at": timezone.localtime(issued.issued_at).isoformat(),
                },
            }
        else:
            data = build().as_json()
            data["issued"] = None
        if opts["json"]:
            self.stdout.write(dump(data))
            return
        self.stdout.write(f"{data['subject']}（{cn_datetime(data['at'])}）")
        window = data["window"]
        self.stdout.write(f"评定期间 {cn_date(window['start'])}至{cn_date(window['end'])}")
        for change in data["register_changes"]:
            self.stdout.write(f"  ! {change['text']}")
        for r in data["late_records"]:
            state = "已采信" if r["admitted"] else "未采信"
            self.stdout.write(
                f"  补录 记录 {r['id']} {r['title']}（{cn_datetime(r['entered_at'])}录入，{state}）"
            )
        for p in data["persons"]:
            c = p["compliance"]
            self.stdout.write(f"{p['person']} {p['post']} 履职 {c['done']}/{c['required']} → {p['finding']}")
            for line in p["reading"]["lines"]:
                if line["weight"] != "info":
                    self.stdout.write(f"    · {line['text']}")
