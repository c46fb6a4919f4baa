"""`yigang accident grade --deaths N --serious-injuries N --direct-loss YUAN [--json]`: the grade by 493号令 Art. 3."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yigang.accidents import grading

BAD_INPUT = 2  # the exit status of a bad number, as for a usage error


class Command(BaseCommand):
    help = "Grade an accident by 国务院令第493号 Art. 3 (the highest grade any criterion reaches)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("grade", help="the grade of an accident with these casualties and this loss")
        p.add_argument("--deaths", default="0", help="死亡人数")
        p.add_argument("--serious-injuries", default="0", help="重伤人数（包括急性工业中毒）")
        p.add_argument(
            "--direct-loss", default="0", help="直接经济损失，单位：元（可用千位分隔符，如 12,000）"
        )
        p.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            deaths = grading.parse_count(opts["deaths"], "死亡人数")
            injuries = grading.parse_count(opts["serious_injuries"], "重伤人数")
            loss = grading.parse_yuan(opts["direct_loss"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from None
        result = grading.grade(deaths=deaths, serious_injuries=injuries, direct_loss=loss)
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(f"{result.grade}事故")
        for reason in result.reasons:
            self.stdout.write(f"  · {reason}")
