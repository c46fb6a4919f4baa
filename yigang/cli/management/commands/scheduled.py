"""`yigang scheduled [--today D] [--archive] [--json]`: the scheduled jobs, once, on one server at a time.

Run it from a timer on every app server (deploy/yigang-scheduler.timer): the database decides which one works
this time (`yigang.cli.jobs.exclusive`); the others say so and stop. The jobs are those of `yigang remind`
(duty reminders, hazard escalation 隐患督办, sign-off distribution and reminders) and, with `--archive`, moving
audit entries older than six months to AUDIT_ARCHIVE_DIR.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from yigang.audit.archive import archive_before, earliest_allowed_cut
from yigang.cli.jobs import exclusive
from yigang.towns.commandline import dump

LOCK = "scheduled-jobs"


class Command(BaseCommand):
    help = "Run the scheduled jobs once (reminders, escalation, sign-off; --archive: audit archive), one server at a time."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--today", help="as of this date (YYYY-MM-DD); default: today in Asia/Shanghai")
        parser.add_argument(
            "--archive", action="store_true", help="also archive audit entries older than six months"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        with exclusive(LOCK) as mine:
            if not mine:
                if opts["json"]:
                    self.stdout.write(dump({"ran": False}))
                else:
                    self.stdout.write("另一台服务器正在运行定时任务，本次跳过。")
                return
            remind = ["--json"] if opts["json"] else []
            if opts["today"]:
                remind += ["--today", opts["today"]]
            call_command("remind", *remind, stdout=self.stdout, stderr=self.stderr)
            if opts["archive"]:
                result = archive_before(earliest_allowed_cut(), Path(settings.AUDIT_ARCHIVE_DIR))
                if opts["json"]:
                    self.stdout.write(dump({"archived": result.count, "file": str(result.path or "")}))
                else:
                    self.stdout.write(
                        f"审计归档：{result.count} 条" + (f"，{result.path}" if result.path else "")
                    )
