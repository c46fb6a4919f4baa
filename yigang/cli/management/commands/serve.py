"""`yigang serve [--bind ADDR] [--print]`: the production server (gunicorn running `yigang.wsgi`).

The worker count comes from `WEB_CONCURRENCY` (default 2 — about one per core, plus one for a core that waits on
the database), the address from `--bind` or `BIND` (default 127.0.0.1:8000: nginx in front). The process
becomes gunicorn (exec), so systemd's signals reach it directly: SIGHUP reloads the workers gracefully, SIGTERM
stops after the running requests. Static files are served by WhiteNoise inside the application (collected when
`yigang.wsgi` loads), so DEBUG stays off. `--print` shows the command line instead of running it.
"""

from __future__ import annotations

import os
import shlex
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise CommandError(f"{name} 须为 1 到 64 之间的整数（现为 {raw!r}）")
    return int(raw)


def server_environment() -> dict[str, str]:
    """The environment gunicorn runs in: as given, and its sync workers keep their database connection between
    requests unless DB_CONN_MAX_AGE says otherwise (settings default it to 0 for threaded servers)."""
    env = dict(os.environ)
    env.setdefault("DB_CONN_MAX_AGE", "600")
    return env


def gunicorn_argv(bind: str) -> list[str]:
    workers = _positive("WEB_CONCURRENCY", 2)
    threads = _positive("GUNICORN_THREADS", 1)
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "yigang.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        # A worker is replaced after this many requests (with jitter, so not all at once): memory stays bounded.
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--timeout",
        "120",  # exports and imports of a large town (nginx's proxy_read_timeout is the same)
        "--graceful-timeout",
        "30",
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        # systemd manages the process; a control socket in $HOME would clash between instances on one host.
        "--no-control-socket",
    ]


class Command(BaseCommand):
    help = "Run the production server (gunicorn; workers from WEB_CONCURRENCY)."

    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"), help="host:port")
        parser.add_argument("--print", action="store_true", help="print the gunicorn command and exit")

    def handle(self, *args: Any, **opts: Any) -> None:
        argv = gunicorn_argv(opts["bind"])
        if opts["print"]:
            self.stdout.write(shlex.join(argv))
            return
        if settings.DEBUG:
            self.stderr.write("注意：DEBUG 已开启。生产环境请关闭 DEBUG（docs/deployment.md）。")
        sys.stdout.flush()
        os.execve(argv[0], argv, server_environment())  # noqa: S606 - our own interpreter running gunicorn, no shell
