"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHECK = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])"


def _run(**env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "yigang.settings",
        "YIGANG_VAR_DIR": "/tmp",
    }
    return subprocess.run(
        [sys.executable, "-c", CHECK], env=base | env, capture_output=True, text=True, check=False, timeout=60
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off() -> None:
    result = _run()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_runs_without_a_secret_key() -> None:
    result = _run(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "1", "SQLITE_BUSY_TIMEOUT": "soon"}, "SQLITE_BUSY_TIMEOUT='soon' is not a whole number"),
        ({"SECRET_KEY": "short"}, "at least 32 characters"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
    ],
)
def test_bad_values_stop_the_start_with_a_message(env: dict[str, str], message: str) -> None:
    result = _run(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_database_url_selects_postgresql() -> None:
    result = _run(DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "django.db.backends.postgresql"
