"""`yigang calendar import FILE [--dry-run] [--json]`, `yigang calendar show --year Y --json`, `recount`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.workcalendar.conftest import NOTICE_2027
from yigang.workcalendar.models import CalendarYear

pytestmark = pytest.mark.django_db
NOTICES = Path(__file__).parent / "notices"


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_days_and_saves_nothing(town: Any) -> None:
    data = json.loads(run("import", str(NOTICES / "2019.txt"), "--dry-run", "--json"))
    assert data["year"] == 2019 and data["ok"] and data["saved"] is False
    # 元旦 "2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。"
    assert data["holidays"][:3] == [
        {"date": "2018-12-30", "name": "元旦"},
        {"date": "2018-12-31", "name": "元旦"},
        {"date": "2019-01-01", "name": "元旦"},
    ]
    assert data["workdays"][0] == {"date": "2018-12-29", "name": "元旦"}
    assert not CalendarYear.objects.exists()
    text = run("import", str(NOTICES / "2019.txt"), "--dry-run")
    assert "第11行 三、清明节" not in text and "清明节：放假 2019-04-05；上班 —" in text


def test_import_saves_and_show_says_notice(town: Any, tmp_path: Path) -> None:
    path = tmp_path / "2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    assert "已保存" in run("import", str(path), "--town", town.code)
    shown = json.loads(run("show", "--year", "2027", "--town", town.code, "--json"))
    assert shown["source"] == "notice"
    assert shown["workdays"] == ["2027-02-14", "2027-02-20"]
    assert (
        shown["holidays"][:3] == ["2027-01-01", "2027-01-02", "2027-01-03"] and len(shown["holidays"]) == 11
    )
    # Entered twice: the difference, status 2, nothing replaced without --replace.
    path.write_text(NOTICE_2027.replace("2月20日（周六）", "2月13日（周六）"), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("calendar", "import", str(path), stdout=out)
    assert exc.value.returncode == 2 and "新增调休上班：2027-02-13" in out.getvalue()
    assert CalendarYear.objects.count() == 1
    run("import", str(path), "--replace")
    assert CalendarYear.objects.count() == 2


def test_show_says_package_and_statutory(town: Any) -> None:
    package = json.loads(run("show", "--year", "2026", "--json"))
    assert package["source"] == "package" and "2026-02-14" in package["workdays"]
    statutory = json.loads(run("show", "--year", "2027", "--json"))
    assert set(statutory) == {"year", "source", "holidays", "workdays"}
    assert statutory["year"] == 2027 and statutory["source"] == "statutory" and statutory["workdays"] == []
    # The 19 days worked out by hand in test_statutory.py: 元旦, 除夕 Fri 5 Feb, …
    assert len(statutory["holidays"]) == 19 and statutory["holidays"][:2] == ["2027-01-01", "2027-02-05"]


def test_an_unreadable_notice_exits_2_with_the_line_marked(town: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(NOTICE_2027.replace("共8天", "共9天"), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("calendar", "import", str(path), stdout=out)
    assert exc.value.returncode == 2
    assert "✗ 第5行读不懂" in out.getvalue()
    assert not CalendarYear.objects.exists()
