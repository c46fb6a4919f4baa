"""`yigang scheduled` on several app servers at once: one runs (the database decides), never two notices."""

from __future__ import annotations

import io
import json
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from yigang.cli.jobs import exclusive
from yigang.cli.management.commands.scheduled import LOCK
from yigang.notify.models import Delivery, Notification

from .test_reminders import holder  # noqa: F401 - the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("holder")]


def _run() -> dict[str, Any]:
    out = io.StringIO()
    call_command("scheduled", "--today", "2025-06-02", "--json", stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_another_server_holding_the_lock_makes_this_one_skip(town: Any, seed: Any) -> None:
    taken, release = threading.Event(), threading.Event()

    def other_server() -> None:  # its own database connection, as another machine would have
        try:
            with exclusive(LOCK) as mine:
                assert mine
                taken.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_server)
    thread.start()
    try:
        assert taken.wait(30)
        assert _run() == {"ran": False}
        assert not Delivery.objects.exists() and not Notification.objects.exists()
    finally:
        release.set()
        thread.join(30)
    # Released: the next tick runs the jobs.
    first = _run()
    assert first["sent"] > 0 and first["failed"] == 0
    with exclusive(LOCK) as mine:
        assert mine  # nothing kept holding it after the run


def test_runs_one_after_another_never_send_a_notice_twice(town: Any, seed: Any) -> None:
    first = _run()
    deliveries, notes = Delivery.objects.count(), Notification.objects.count()
    second = _run()
    assert (second["sent"], second["skipped"]) == (0, first["sent"])
    assert (Delivery.objects.count(), Notification.objects.count()) == (deliveries, notes)
    assert Delivery.objects.values("key").distinct().count() == deliveries
