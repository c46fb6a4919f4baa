"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])"
KEY = (
    "import django, hashlib; django.setup(); from django.conf import settings as s; "
    "print(s.SECRET_KEY_FROM_ENV, hashlib.sha256(s.SECRET_KEY.encode()).hexdigest())"
)
HTTPS_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.HTTPS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
)


def _run(code: str = CHECK, var: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "yigang.settings",
        "YIGANG_VAR_DIR": str(var or Path(tempfile.mkdtemp(prefix="yigang-settings-"))),
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_without_a_secret_key_a_random_key_is_created_once_in_the_data_folder(tmp_path: Path) -> None:
    first = _run(KEY, var=tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert "SECRET_KEY is not set" in first.stderr and str(key_file) in first.stderr  # it says so
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # readable by its owner only
    from_env, digest = first.stdout.split()
    assert from_env == "False"
    assert digest == hashlib.sha256(key_file.read_text().strip().encode()).hexdigest()
    assert len(key_file.read_text().strip()) >= 50
    second = _run(KEY, var=tmp_path)
    assert second.returncode == 0 and second.stdout.split()[1] == digest  # created once, then reused
    assert "SECRET_KEY" not in second.stderr


def test_a_key_file_others_can_read_is_made_private(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text("k" * 60)
    key_file.chmod(0o644)
    result = _run(KEY, var=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_secret_key_in_the_environment_wins(tmp_path: Path) -> None:
    result = _run(KEY, var=tmp_path, SECRET_KEY="e" * 40)
    assert result.stdout.split() == ["True", hashlib.sha256(b"e" * 40).hexdigest()]
    assert not (tmp_path / "secret_key").exists()


def test_debug_runs_without_a_secret_key() -> None:
    result = _run(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "True True True True 31536000"),  # DEBUG off: HTTPS on by default
        ({"HTTPS": "0"}, "False False False False 0"),  # switched off on purpose
        ({"DEBUG": "1"}, "False False False False 0"),  # development
        ({"DEBUG": "1", "HTTPS": "1"}, "True True True True 31536000"),
    ],
)
def test_with_debug_off_https_settings_default_to_on(env: dict[str, str], expected: str) -> None:
    result = _run(HTTPS_SETTINGS, SECRET_KEY="s" * 40, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_the_yigang_command_works_as_the_readme_shows_it_with_no_environment(tmp_path: Path) -> None:
    seed = ROOT / "yigang" / "regulations" / "data" / "wushenzhao-2022.txt"
    env = {"PATH": os.environ.get("PATH", ""), "YIGANG_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [sys.executable, "-m", "yigang", "regulation", "parse", str(seed), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert '"articles"' in result.stdout
    assert (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "1", "SQLITE_BUSY_TIMEOUT": "soon"}, "SQLITE_BUSY_TIMEOUT='soon' is not a whole number"),
        ({"SECRET_KEY": "short"}, "at least 32 characters"),
        ({"HTTPS": "perhaps"}, "HTTPS='perhaps' is not a boolean"),
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
