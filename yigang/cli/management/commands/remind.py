"""`yigang remind [--town T] [--today D] [--every SECONDS] [--json]`: send due and missed duty reminders.

Idempotent: run it from cron as often as you like; `--every` keeps it running (used by `make run`).
"""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from yigang.cli.management.commands.compliance import date_arg
from yigang.duties.reminders import remind
from yigang.hazards.escalation import run as escalate_hazards
from yigang.signoff import reminders as signoff
from yigang.towns.commandline import actor_arg, dump, town_arg


class Command(BaseCommand):
    help = "Remind holders of duties falling due, and tell the 安委办 about missed duties and vacant posts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--town", help="only this town (default: every town)")
        parser.add_argument("--today", help="as of this date (YYYY-MM-DD); default: today in Asia/Shanghai")
        parser.add_argument("--user", help="act as this user (audit trail)")
        parser.add_argument("--every", type=int, help="keep running, once every SECONDS (at least 60)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        towns = [town_arg(opts["town"])] if opts["town"] else None
        today = date_arg(opts["today"]) if opts["today"] else None
        actor = actor_arg(opts["user"])
        every = opts["every"]
        if every is None:
            self._once(towns, today, actor, opts["json"])
            return
        if every < 60:
            raise CommandError("--every 至少 60 秒")
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        while not stop.is_set():
            try:
                self._once(towns, today, actor, opts["json"])
            except Exception as exc:  # a bad run must not end the loop; the next one tries again
                self.stderr.write(f"提醒运行出错：{exc}")
            close_old_connections()
            stop.wait(every)

    def _once(self, towns: Any, today: Any, actor: Any, as_json: bool) -> None:
        result = remind(towns=towns, today=today, actor=actor)
        hazards = escalate_hazards(towns=towns, today=today, actor=actor)  # the same loop drives 隐患督办
        # Sign-off: distribute what is due, remind the missing.
        signed = signoff.run(towns=towns, today=today, actor=actor)
        if as_json:
            self.stdout.write(
                dump({**result.as_json(), "hazards": hazards.as_json(), "signoff": signed.as_json()})
            )
            return
        self.stdout.write(
            f"隐患督办：逾期 {hazards.hazards} 条，本次升级 {hazards.escalated} 条；"
            f"送达 {hazards.outcome.sent}，失败 {hazards.outcome.failed}"
        )
        self.stdout.write(
            f"提醒：{result.towns} 个乡镇，{result.notices} 条待提醒事项；"
            f"本次送达 {result.outcome.sent}，失败 {result.outcome.failed}，已发过 {result.outcome.skipped}"
        )
        self.stdout.write(
            f"签收：新下发 {signed.opened} 项，{signed.notices} 条待提醒事项；本次送达 {signed.outcome.sent}，"
            f"失败 {signed.outcome.failed}"
        )
        for error in [*result.outcome.errors, *signed.outcome.errors]:
            self.stderr.write(f"失败：{error}")
