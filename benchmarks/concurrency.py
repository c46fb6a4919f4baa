"""Concurrent writers against a real Yigang server on the loopback interface.

    python benchmarks/concurrency.py                      # SQLite, 20 writers for 20 seconds
    python benchmarks/concurrency.py --writers 20 --seconds 20 --database-url postgres://postgres@127.0.0.1:5432/yigang_bench

Starts `yigang runserver` (threaded, DEBUG off) on 127.0.0.1 with a fresh var directory (and, for PostgreSQL,
the given dedicated database, which it migrates), logs in one session per writer, and has every writer add
sectors through the web form as fast as it can until the time is up. Then it checks that every write the
server acknowledged is in the database and nothing else is, that no response was a server error or said
"database is locked", and that the audit hash chain is intact. Prints a JSON report; exits 1 on any loss.
Bounded: a fixed number of writers, a fixed duration, a 60-second timeout per request, loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
PASSWORD = "Bench-pass-2024"  # noqa: S105 - a throwaway account in a throwaway database
PREFIX = "压测"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _python(env: dict[str, str], code: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return result.stdout


def prepare(env: dict[str, str]) -> None:
    """Migrate the database and create the town and the officer the writers log in as."""
    subprocess.run(
        [sys.executable, "-m", "yigang", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    _python(
        env,
        "from django.contrib.auth import get_user_model\n"
        "from yigang.towns.models import Membership, Town\n"
        "town, _ = Town.objects.get_or_create(code='bench', defaults={'name': '压测镇'})\n"
        "user = get_user_model().objects.filter(username='bench').first()\n"
        f"user = user or get_user_model().objects.create_user('bench', password='{PASSWORD}')\n"
        "Membership.objects.get_or_create(user=user, role='officer', town=town)\n",
    )


class Session:
    """One browser: cookies, the CSRF token, requests without following redirects."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.getheader("Location") or "", payload
        finally:
            conn.close()

    def login(self) -> None:
        self.request("GET", "/login/")
        status, _location, _ = self.request("POST", "/login/", {"username": "bench", "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"login failed: {status}")


@dataclass
class Tally:
    acknowledged: list[str] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)
    server_errors: list[tuple[str, int]] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _writer(
    session: Session, number: int, start: threading.Barrier, clock: list[float], tally: Tally
) -> None:
    start.wait()
    stop_at = clock[0]
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        name = f"{PREFIX}-{number:02d}-{n:05d}"
        started = time.monotonic()
        try:
            status, location, body = session.request("POST", "/register/sectors/add/", {"name": name})
        except OSError as exc:
            with tally.lock:
                tally.transport_errors.append(f"{name}: {exc}")
            continue
        elapsed = time.monotonic() - started
        with tally.lock:
            tally.latencies.append(elapsed)
            if b"database is locked" in body:
                tally.locked.append(name)
            if status >= 500:
                tally.server_errors.append((name, status))
            elif status == 302 and location.endswith("/register/sectors/"):
                tally.acknowledged.append(name)
            else:
                tally.refused.append((name, status))


def run_benchmark(env: dict[str, str], writers: int = 20, seconds: float = 20) -> dict[str, Any]:
    """Run the writers against a server on `env` (already prepared); return the report."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "yigang", "runserver", f"{HOST}:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                Session(port).request("GET", "/login/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        # Log every writer in first (password hashing is deliberately slow), then start them together.
        sessions = [Session(port) for _ in range(writers)]
        logins = [threading.Thread(target=s.login) for s in sessions]
        for t in logins:
            t.start()
        for t in logins:
            t.join(timeout=300)
        tally = Tally()
        clock: list[float] = []
        start = threading.Barrier(writers + 1)
        threads = [
            threading.Thread(target=_writer, args=(s, i, start, clock, tally)) for i, s in enumerate(sessions)
        ]
        for t in threads:
            t.start()
        started = time.monotonic()
        clock.append(started + seconds)
        start.wait()
        for t in threads:
            t.join(timeout=seconds + 120)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    stored = set(
        json.loads(
            _python(
                env,
                "import json\nfrom yigang.org.models import Sector\n"
                f"print(json.dumps(list(Sector.objects.filter(name__startswith='{PREFIX}-').values_list('name', flat=True))))",
            )
        )
    )
    verify = subprocess.run(
        [sys.executable, "-m", "yigang", "audit", "verify", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    acknowledged = set(tally.acknowledged)
    latencies = sorted(tally.latencies) or [0.0]
    return {
        "database": env.get("DATABASE_URL", "sqlite").split("@")[-1],
        "writers": writers,
        "seconds": round(elapsed, 1),
        "requests": len(tally.latencies),
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "lost": sorted(acknowledged - stored)[:20],
        "unacknowledged_but_stored": sorted(stored - acknowledged)[:20],
        "refused": tally.refused[:20],
        "server_errors": tally.server_errors[:20],
        "database_is_locked": tally.locked[:20],
        "transport_errors": tally.transport_errors[:20],
        "writes_per_second": round(len(acknowledged) / elapsed, 1) if elapsed else 0,
        "latency_ms": {
            "p50": round(statistics.median(latencies) * 1000),
            "p95": round(latencies[int(len(latencies) * 0.95) - 1] * 1000),
            "max": round(latencies[-1] * 1000),
        },
        "audit_chain_ok": verify.returncode == 0,
    }


def report_ok(report: dict[str, Any]) -> bool:
    return bool(
        report["acknowledged"] > 0
        and report["acknowledged"] == report["stored"]
        and not report["lost"]
        and not report["unacknowledged_but_stored"]
        and not report["refused"]
        and not report["server_errors"]
        and not report["database_is_locked"]
        and not report["transport_errors"]
        and report["audit_chain_ok"]
    )


def environment(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        YIGANG_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS=HOST,
        HTTPS="0",  # plain HTTP on 127.0.0.1, on purpose
        DJANGO_SETTINGS_MODULE="yigang.settings",
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--database-url", help="a dedicated PostgreSQL database (default: a fresh SQLite file)"
    )
    args = parser.parse_args()
    if not 1 <= args.writers <= 100 or not 0 < args.seconds <= 300:
        parser.error("at most 100 writers for at most 300 seconds")
    with tempfile.TemporaryDirectory(prefix="yigang-bench-") as tmp:
        env = environment(Path(tmp), args.database_url)
        prepare(env)
        report = run_benchmark(env, args.writers, args.seconds)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report_ok(report) else 1


if __name__ == "__main__":
    sys.exit(main())
