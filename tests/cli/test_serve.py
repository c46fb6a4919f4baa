"""`yigang serve`: gunicorn with the worker count from the environment; a bad count is refused with a message."""

from __future__ import annotations

import shlex
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def _argv(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = StringIO()
    call_command("serve", "--print", "--bind", "127.0.0.1:9000", stdout=out)
    return shlex.split(out.getvalue())


def test_workers_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    argv = _argv(monkeypatch)
    assert argv[1:4] == ["-m", "gunicorn", "yigang.wsgi:application"]
    assert argv[argv.index("--workers") + 1] == "2"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9000"
    argv = _argv(monkeypatch, WEB_CONCURRENCY="5")
    assert argv[argv.index("--workers") + 1] == "5"


@pytest.mark.parametrize("bad", ["0", "many", "-1", "65"])
def test_a_bad_worker_count_is_refused(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    with pytest.raises(CommandError, match="WEB_CONCURRENCY 须为 1 到 64 之间的整数"):
        _argv(monkeypatch, WEB_CONCURRENCY=bad)


def test_served_workers_keep_their_connection_and_threaded_servers_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.conf import settings

    from yigang.cli.management.commands.serve import server_environment

    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)
    assert server_environment()["DB_CONN_MAX_AGE"] == "600"
    monkeypatch.setenv("DB_CONN_MAX_AGE", "0")
    assert server_environment()["DB_CONN_MAX_AGE"] == "0"  # the operator's choice stands
    # Everything else (runserver answers each request on a new thread) opens one per request.
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
