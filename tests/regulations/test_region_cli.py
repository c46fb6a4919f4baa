"""`yigang regulation import|mark|activate|list|check --region CODE` (issue 25.5)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yigang.audit.models import AuditEntry
from yigang.regulations import actions
from yigang.regulations.models import Regulation, Status
from yigang.towns.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("regulation", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_county_imports_marks_activates_and_checks_its_towns(
    users: dict[str, Any], other_town: Any
) -> None:
    county = Region.objects.create(code="wushen", name="乌审旗", level=RegionLevel.COUNTY)
    tuke = actions.import_regulation(
        town=other_town, data=(FIXTURES / "town_against_model.txt").read_bytes(), filename="t.txt", actor=None
    )
    actions.activate_regulation(regulation=tuke, actor=None)
    out = run("import", "--region", "wushen", str(FIXTURES / "county_model.txt"), "--user", "county")
    assert "已导入 乌审旗 第 1 版" in out and "7 项频次要求" in out
    regulation = Regulation.objects.get(region=county)
    assert (
        AuditEntry.objects.get(event="regulation.import", object_id=str(regulation.pk)).username == "county"
    )
    assert "5 项示范条款" in run("mark", "1", "3.1", "4.1", "4.2", "5.2", "7", "--region", "wushen")
    run("activate", "1", "--region", "wushen")
    assert Regulation.objects.get(region=county).status == Status.ACTIVE
    assert "active" in run("list", "--region", "wushen")
    report = json.loads(run("check", "--region", "wushen", "--json"))
    assert report["models"] == 5
    (row,) = [t for t in report["towns"] if t["town"] == "图克镇"]
    assert [(f["model"], f["status"]) for f in row["findings"]] == [
        ("第四条第1项", "lower"),
        ("第五条第2项", "duty_missing"),
        ("第七条", "post_missing"),
    ]
    assert row["met"] == 2
    assert "频次偏低  第四条第1项 镇长 每月至少1次（本镇 第三条第1项 每季度至少1次）" in run(
        "check", "--region", "wushen"
    )


def test_it_refuses_an_unknown_region_or_both_owners(town: Any) -> None:
    with pytest.raises(CommandError, match="没有代码为“nowhere”"):
        run("import", "--region", "nowhere", str(FIXTURES / "county_model.txt"))
    Region.objects.create(code="wushen", name="乌审旗", level=RegionLevel.COUNTY)
    with pytest.raises(CommandError, match="只能选一个"):
        run("import", "--region", "wushen", "--town", town.code, str(FIXTURES / "county_model.txt"))
    run("import", "--region", "wushen", str(FIXTURES / "county_model.txt"))
    with pytest.raises(CommandError, match="没有履职要求"):
        run("mark", "1", "2", "--region", "wushen")
    assert not Regulation.objects.get(region__code="wushen").duties.filter(is_model=True).exists()
