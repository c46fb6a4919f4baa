"""Twenty concurrent writers through the web server: no acknowledged write lost, no "database is locked",
no server error, the audit chain intact. The full 20-second run is benchmarks/concurrency.py; this is the
same code for a few seconds, on SQLite or — when the suite runs on PostgreSQL — on a PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.concurrency import prepare, report_ok, run_benchmark

from .sites import Site


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    site = Site(tmp_path, "concurrency")
    prepare(site.env)
    yield site
    site.drop()


def test_twenty_concurrent_writers_lose_nothing_and_never_see_a_locked_database(site: Site) -> None:
    report = run_benchmark(site.env, writers=20, seconds=3)
    assert report_ok(report), report
    assert report["acknowledged"] >= 20  # every writer got through at least once on average
