"""Separate Yigang installations for tests that run the `yigang` command in subprocesses: each has its own
var directory and its own database — a SQLite file, or a PostgreSQL database named after the suite's
DATABASE_URL (`<name>_<site>`) when the suite runs on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
SUITE_DB = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_DB.startswith(("postgres://", "postgresql://"))


def _pg_admin(sql: str) -> None:
    import psycopg

    parts = urlsplit(SUITE_DB)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


class Site:
    """One installation: `run("migrate")`, `python("…")`, `rows()`; `drop()` removes a PostgreSQL database."""

    def __init__(self, tmp_path: Path, name: str) -> None:
        self.var = tmp_path / name
        self.var.mkdir(parents=True)
        self.env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
        self.env.update(
            YIGANG_VAR_DIR=str(self.var),
            SECRET_KEY="site-secret-key-for-subprocess-tests-0123456789abcdef",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SETTINGS_MODULE="yigang.settings",
            PYTHONPATH=str(ROOT),
        )
        if ON_POSTGRES:
            parts = urlsplit(SUITE_DB)
            # Under pytest-xdist each worker (gw0, gw1 …) runs its own sites: the worker is part of the name.
            worker = os.environ.get("PYTEST_XDIST_WORKER", "")
            prefix = parts.path.lstrip("/") or "yigang"
            self.db_name = f"{prefix}_{worker}_{name}" if worker else f"{prefix}_{name}"
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            _pg_admin(f'CREATE DATABASE "{self.db_name}"')
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.db_name}"))
        else:
            self.env.pop("DATABASE_URL", None)  # the default: var/yigang.sqlite3

    @property
    def sqlite_file(self) -> Path:
        return self.var / "yigang.sqlite3"

    def run(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "yigang", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"yigang {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def popen(self, *args: str, **kwargs: Any) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=self.env, text=True, **kwargs)

    def python(self, code: str, timeout: float = 300) -> str:
        """Run `code` after django.setup() in this site; return its stdout."""
        script = "import django\ndjango.setup()\n" + code
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"script failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def rows(self) -> dict[str, list[list[Any]]]:
        """Every row of every table, sorted, as JSON-safe lists (to compare two databases)."""
        code = """
import json
from django.db import connection
out = {}
with connection.cursor() as c:
    for table in sorted(connection.introspection.table_names()):
        c.execute(f'SELECT * FROM "{table}"')
        out[table] = sorted(([str(v) for v in row] for row in c.fetchall()))
print(json.dumps(out, ensure_ascii=False))
"""
        return json.loads(self.python(code))

    def tables(self) -> list[str]:
        return json.loads(
            self.python(
                "import json\nfrom django.db import connection\n"
                "print(json.dumps(connection.introspection.table_names()))"
            )
        )

    def drop(self) -> None:
        if ON_POSTGRES:
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
