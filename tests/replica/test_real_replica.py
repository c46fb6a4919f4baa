"""Against a real PostgreSQL streaming replica (CI starts one with scripts/replica.sh and sets
DATABASE_REPLICA_URL): the read-only pages and the API's reads of figures read it, a session that wrote (in the
browser or through the API) reads the primary, reads inside a write's transaction see the primary, and a replica
that cannot be reached, or is further behind than the lag ceiling, leaves the pages on the primary.

The lag is made certain rather than hoped for: the replica's replay is paused (pg_wal_replay_pause) before a
write, so what the replica shows and what the primary shows differ until it is resumed."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yigang import replica

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif("replica" not in settings.DATABASES, reason="DATABASE_REPLICA_URL is not set"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture(autouse=True)
def fresh_gauge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test measures the lag from scratch (the gauge keeps its last check for LAG_CHECK_SECONDS)."""
    monkeypatch.setattr(replica, "gauge", replica.LagGauge(replica.PostgresLag()))


def _caught_up(timeout: float = 20.0) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("select pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections["replica"].cursor() as cursor:
        while True:
            cursor.execute("select pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise AssertionError("the replica did not catch up with the primary")
            time.sleep(0.05)


@pytest.fixture
def paused() -> Iterator[None]:
    """The replica caught up, then its replay paused until the test ends."""
    _caught_up()
    with connections["replica"].cursor() as cursor:
        cursor.execute("select pg_wal_replay_pause()")
    try:
        yield
    finally:
        _resume()


def _resume() -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute("select pg_wal_replay_resume()")
    _caught_up()


def _page_reads(captured: CaptureQueriesContext) -> list[str]:
    """The queries a page made on a database, without the lag gauge's own."""
    return [q["sql"] for q in captured.captured_queries if "pg_last_wal_replay_lsn" not in q["sql"]]


def _post(client: Any) -> None:
    """Any unsafe request pins the session (here: the language switch, which writes only a cookie)."""
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})


def _export_text(client: Any) -> str:
    from openpyxl import load_workbook

    response = client.get(reverse("org:bulk_export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return " ".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )


def _new_post(town: Any, actor: Any, title: str) -> None:
    from yigang.org import actions

    unit = actions.add_unit(town=town, name=f"{title}所在单位", actor=actor)
    actions.add_post(unit=unit, title=title, actor=actor)


def test_the_county_comparison_reads_the_replica_and_other_pages_the_primary(
    users: dict[str, Any], login: Any
) -> None:
    client = login(users["county_viewer"])
    _caught_up()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(reverse("county:towns")).status_code == 200
    assert _page_reads(on_replica)
    client = login(users["officer"])
    for page in ("home", "hazards:list", "duties:records"):
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            assert client.get(reverse(page)).status_code == 200, page
        assert len(on_replica) == 0, page


def test_a_user_who_just_wrote_reads_their_own_write(
    town: Any, users: dict[str, Any], login: Any, paused: None
) -> None:
    _new_post(
        town, users["officer"], "复制延迟测试岗"
    )  # committed on the primary, not replayed on the replica

    # Reading as a read-only page does: the replica has not replayed it; the primary has it.
    from yigang.org.models import Post

    with replica.reads_replica():
        assert not Post.objects.filter(title="复制延迟测试岗").exists()
        with transaction.atomic():  # inside a write's transaction: the primary
            assert Post.objects.filter(title="复制延迟测试岗").exists()
    assert Post.objects.filter(title="复制延迟测试岗").exists()

    client = login(users["officer"])
    with override_settings(DATABASE_REPLICA_MAX_LAG_SECONDS=600):  # lagging, but within the ceiling
        assert "复制延迟测试岗" not in _export_text(client)  # not pinned: the replica, which lags
    _post(client)
    assert replica.PIN_KEY in client.session
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert "复制延迟测试岗" in _export_text(client)  # pinned: the primary
    assert len(on_replica) == 0


def test_the_pin_runs_out(users: dict[str, Any], login: Any) -> None:
    client = login(users["county_viewer"])
    _post(client)
    session = client.session
    assert session[replica.PIN_KEY] > time.time()
    session[replica.PIN_KEY] = time.time() - 1
    session.save()
    _caught_up()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(reverse("county:towns")).status_code == 200
    assert _page_reads(on_replica)


def test_an_unreachable_replica_leaves_the_page_on_the_primary(
    users: dict[str, Any], login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> None:
        raise replica_error

    from django.db import OperationalError

    replica_error = OperationalError("connection refused")
    monkeypatch.setattr(connections["replica"], "ensure_connection", refuse)
    monkeypatch.setattr(replica, "_unreachable_until", 0.0)
    client = login(users["county_viewer"])
    with CaptureQueriesContext(connections["default"]) as on_primary:
        assert client.get(reverse("county:towns")).status_code == 200
    assert len(on_primary) > 0
    assert replica._unreachable_until > time.monotonic()


def test_a_replica_too_far_behind_sends_the_page_to_the_primary_until_it_catches_up(
    town: Any, users: dict[str, Any], login: Any, paused: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="yigang.replica")
    client = login(users["officer"])
    with override_settings(DATABASE_REPLICA_MAX_LAG_SECONDS=1):
        _new_post(town, users["officer"], "延迟上限测试岗")  # on the primary; the paused replica lacks it
        time.sleep(1.5)  # the replica's last replayed commit is now older than the ceiling
        assert "延迟上限测试岗" in _export_text(client)  # not pinned, yet read on the primary
        assert replica.gauge.behind
        assert "延迟上限测试岗" in _export_text(client)
        # Logged once for the episode, not per request.
        assert sum("behind the primary" in r.getMessage() for r in caplog.records) == 1

        _resume()
        # Measured again only after LAG_CHECK_SECONDS: until then the last verdict holds.
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            assert "延迟上限测试岗" in _export_text(client)
        assert not _page_reads(on_replica)
        replica.gauge.checked_at -= replica.LAG_CHECK_SECONDS
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            assert "延迟上限测试岗" in _export_text(client)  # now replayed: the replica has it
        assert _page_reads(on_replica)
    assert not replica.gauge.behind
    assert any("caught up" in r.getMessage() for r in caplog.records)


def test_the_api_reads_figures_on_the_replica_and_a_client_that_wrote_reads_the_primary(
    town: Any, users: dict[str, Any], login: Any
) -> None:
    stats = ("/api/hazards/stats", {"town": town.code, "year": 2026})
    client = login(users["officer"])
    _caught_up()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(*stats).status_code == 200
    assert _page_reads(on_replica)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get("/api/hazards/").status_code == 200  # a working list: the primary
    assert not _page_reads(on_replica)

    assert client.post("/api/notify/notifications/read-all").status_code == 200  # an API write
    assert replica.PIN_KEY in client.session
    # A client that keeps nothing but its session cookie is pinned as well: the pin is in the session.
    bare = Client()
    bare.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert bare.get(*stats).status_code == 200
    assert len(on_replica) == 0
