"""`yigang audit verify`: walk the hash chain and report the first tampered entry."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yigang.audit.log import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="report the first entry altered, removed or inserted")

    def handle(self, *args: Any, **opts: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"审计记录 #{result.first_bad_id} 校验失败：{result.reason}（此前 {result.checked} 条完好）"
            )
        self.stdout.write(f"审计记录完好：共 {result.checked} 条")
