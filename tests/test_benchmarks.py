"""The county benchmark (benchmarks/county.py), small, inside the suite so it cannot rot — no timing asserted.

It also proves the floor counts the same records the compliance counts: for every monthly duty of the demo
town, the GROUP BY's count for (post, kind, month) is the row's `done`.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from benchmarks import county

pytestmark = pytest.mark.django_db


def test_the_county_benchmark_small(tmp_path: Path, settings: Any) -> None:
    from yigang.duties.compliance import compute
    from yigang.towns.models import Town

    settings.FORCE_PASSWORD_CHANGE = False  # as benchmarks/run sets it: the demo's printed passwords
    call_command("demo", "--quiet", stdout=StringIO())
    town = Town.objects.get(code="wushenzhao")

    floor = {
        (post, kind, month.date() if hasattr(month, "date") else month): n
        for post, kind, month, n in county.floor_rows(2025)
    }
    monthly = [r for r in compute(town, 2025).rows if r.period == "month"]
    assert monthly
    for row in monthly:
        assert row.done == floor.get((row.post_id, row.kind, row.period_start), 0), row

    a = county.compliance_vs_floor(2025, repeat=1)
    assert (
        a["towns"] == Town.objects.count()
        and a["compliance_rows"] > 0
        and a["floor_groups"] > 0
        and a["ratio"] > 0
    )

    officer = get_user_model().objects.get(username="anweiban")
    pages = county.page_latencies(officer, 2025, repeat=2)
    assert set(pages) == {"overview", "heatmap", "person_year", "register", "chain", "hazard_list"}
    assert all(p["queries"] > 0 and p["p95_ms"] >= p["median_ms"] > 0 for p in pages.values())

    before = county.floor_rows(2025)
    d = county.xlsx_import(town, officer, 30)
    assert d["rows"] == 30 and d["files"] == 1
    assert d["peak_rows"] == 30 and d["rows_per_s"] > 0 and d["peak_python_mib"] > 0
    assert sum(n for *_, n in county.floor_rows(2025)) == sum(n for *_, n in before) + 30 + 30
    # More records, the same number of queries on every page.
    again = county.page_latencies(officer, 2025, repeat=1)
    assert {k: v["queries"] for k, v in again.items()} == {k: v["queries"] for k, v in pages.items()}

    results = {
        "date": "2026-11-30T00:00:00+00:00",
        "machine": {
            "cpu": "test",
            "cores": 2,
            "memory_gib": 1,
            "python": "3.11",
            "os": "linux",
            "note": "test",
        },
        "database": "SQLite",
        "towns": 1,
        "records": 10,
        "build_s": 1.0,
        "a_compliance": a,
        "b_pages": pages,
        "d_import": d,
    }
    (tmp_path / "results.json").write_text(json.dumps(results, ensure_ascii=False))
    table = county.markdown(tmp_path)
    assert "a) compliance" in table and "| overview (`" in table and "d) .xlsx import of 30 records" in table
    assert "a′) the same, town by town" in table and "County built by `yigang demo --towns 1`" in table
    # A kept county (--data) and the throughput figures, as (c) writes them (it needs a served database: not here).
    results["towns_already_built"] = 1
    results["c_e_throughput"] = {
        "clients": 16,
        "workers": 2,
        "seconds": 1,
        "overview_rps": 30.0,
        "ceiling_rps": 100.0,
        "static_file_rps": 200.0,
        "ratio": 0.3,
        "target_ratio": 0.25,
        "overview_cpu_ms": None,
        "ceiling_cpu_ms": None,
        "overview_uncached_rps": 5.0,
        "ratio_uncached": 0.05,
        "overview_uncached_cpu_ms": 28.0,
        "worker_peak_rss_mib": 90.0,
        "target_rss_mib": 300,
    }
    (tmp_path / "results.json").write_text(json.dumps(results, ensure_ascii=False))
    table = county.markdown(tmp_path)
    assert "1 towns were there already" in table and "| 0.3 | ≥ 0.25 | met |" in table
    assert "c″) the same, nothing kept" in table and "| 0.05 |" in table
