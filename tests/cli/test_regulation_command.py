"""`yigang regulation …` and `yigang demo` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from yigang.regulations.models import Regulation, Status

SEED = Path(__file__).resolve().parents[2] / "yigang" / "regulations" / "data" / "wushenzhao-2022.txt"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_parse_json_prints_the_documented_shape_and_saves_nothing(db: Any) -> None:
    data = json.loads(run("regulation", "parse", str(SEED), "--json"))
    assert set(data) >= {"title", "issuer", "issued_on", "chapters", "articles", "duties"}
    assert data["issued_on"] == "2022-08-04"
    assert [c["number"] for c in data["chapters"]] == [1, 2, 3, 4]
    assert len(data["articles"]) == 13
    assert {"number", "chapter", "heading", "post", "items"} <= set(data["articles"][3])
    duty = next(d for d in data["duties"] if d["article"] == 9 and d["item"] == 3)
    assert duty == duty | {"post": "safety_deputy", "kind": "meeting", "min_count": 1, "period": "month"}
    assert not Regulation.objects.exists()


def test_the_console_script_runs_outside_django_test_machinery(tmp_path: Path) -> None:
    """`yigang regulation parse` as a user types it, through the installed entry point."""
    env = {"DEBUG": "1", "YIGANG_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "yigang", "regulation", "parse", str(SEED), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["duties"]) == 12


def test_parse_reports_a_bad_file_clearly(tmp_path: Path, db: Any) -> None:
    bad = tmp_path / "x.txt"
    bad.write_bytes(b"")
    with pytest.raises(CommandError, match="文件为空"):
        run("regulation", "parse", str(bad), "--json")
    with pytest.raises(CommandError, match="找不到文件"):
        run("regulation", "parse", str(tmp_path / "missing.txt"))


def test_import_activate_list_diff_and_lint(town: Any, tmp_path: Path) -> None:
    out = json.loads(run("regulation", "import", str(SEED), "--town", "乌审召镇", "--json"))
    assert out["version"] == 1 and out["status"] == "draft" and out["duties"] == 12
    run("regulation", "activate", "1", "--town", "wushenzhao")
    assert Regulation.objects.get(version=1).status == Status.ACTIVE

    revised = tmp_path / "v2.txt"
    text = SEED.read_text(encoding="utf-8").replace("（每年至少2次），听取", "（每季度至少1次），听取")
    revised.write_bytes(text.encode("gb18030"))
    run("regulation", "import", str(revised), "--town", "乌审召镇")
    diff = json.loads(run("regulation", "diff", "1", "2", "--town", "乌审召镇", "--json"))
    changed = [d for d in diff["duties"] if d["status"] == "changed"]
    assert len(changed) == 1
    assert changed[0]["old"]["period"] == "year" and changed[0]["new"]["period"] == "quarter"
    assert [a["number"] for a in diff["articles"]] == [4]
    assert "~ 履职要求 第4条第4项" in run("regulation", "diff", "1", "2", "--town", "乌审召镇")

    listing = json.loads(run("regulation", "list", "--town", "乌审召镇", "--json"))
    assert [(r["version"], r["status"]) for r in listing] == [(1, "active"), (2, "draft")]

    lint = json.loads(run("regulation", "lint", "--town", "乌审召镇", "--json"))
    assert lint["pending_claims"] > 0  # activated without adopting its sectors table


def test_import_with_activate_adopts_the_sectors_and_lint_finds_the_overlaps(town: Any) -> None:
    run("regulation", "import", str(SEED), "--town", "乌审召镇", "--activate")
    lint = json.loads(run("regulation", "lint", "--town", "乌审召镇", "--json"))
    overlapping = {o["sector"] for o in lint["overlaps"]}
    assert {"道路交通", "消防", "危险化学品"} <= overlapping
    assert lint["pending_claims"] == 0
    # No posts exist yet, so every post's duties are unheld.
    assert {u["post"] for u in lint["unheld_duties"]} >= {"mayor", "party_secretary"}


def test_commands_name_unknown_towns_and_versions_clearly(town: Any) -> None:
    with pytest.raises(CommandError, match="没有代码或名称为“火星镇”的乡镇"):
        run("regulation", "lint", "--town", "火星镇")
    run("regulation", "import", str(SEED), "--town", "乌审召镇")
    with pytest.raises(CommandError, match="没有第 9 版"):
        run("regulation", "diff", "1", "9", "--town", "乌审召镇")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("regulation", "activate", "1", "--town", "乌审召镇", "--from", "2022/08/04")


def test_demo_is_idempotent_and_prints_the_accounts(db: Any) -> None:
    from django.contrib.auth import get_user_model

    from yigang.org.models import Post, Sector, Unit
    from yigang.towns.models import Membership, Town

    first = run("demo")
    counts = (
        Town.objects.count(),
        Regulation.objects.count(),
        Unit.objects.count(),
        Post.objects.count(),
        Sector.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
    )
    second = run("demo")
    assert counts == (
        Town.objects.count(),
        Regulation.objects.count(),
        Unit.objects.count(),
        Post.objects.count(),
        Sector.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
    )
    for username in ["anweiban", "zhenzhang", "pingan", "gacha", "county"]:
        assert username in first and username in second
    assert "Yigang@2022" in first
    reg = Regulation.objects.get(town__code="wushenzhao")  # the demo county's second town has its own
    assert reg.status == Status.ACTIVE
    assert Unit.objects.filter(kind="village").count() >= 8
    lint = json.loads(run("regulation", "lint", "--town", "wushenzhao", "--json"))
    assert lint["unheld_duties"] == []


def test_a_30_mb_file_is_refused_before_it_is_read(tmp_path: Path, db: Any) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(30 * 1024 * 1024)
    with pytest.raises(CommandError, match="文件过大"):
        run("regulation", "parse", str(big))


def test_a_docx_regulation_imports_like_the_text(town: Any, tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        doc.add_paragraph(line)
    path = tmp_path / "seed.docx"
    doc.save(str(path))
    out = json.loads(run("regulation", "import", str(path), "--town", "乌审召镇", "--json"))
    assert (out["articles"], out["duties"]) == (13, 12)
