"""`yigang accident grade`: the JSON contract, and bad numbers refused with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def _grade(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("accident", "grade", *args, "--json", stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_it_prints_the_grade_and_the_reasons_as_json() -> None:
    assert _grade("--deaths", "3", "--serious-injuries", "0", "--direct-loss", "0") == {
        "grade": "较大",
        "reasons": ["死亡3人，达到较大事故“3人以上”"],
    }
    data = _grade("--deaths", "1", "--serious-injuries", "100", "--direct-loss", "100,000,000")
    assert data["grade"] == "特别重大"
    assert data["reasons"] == [
        "重伤（包括急性工业中毒）100人，达到特别重大事故“100人以上”",
        "直接经济损失100,000,000元，达到特别重大事故“1亿元以上”",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--deaths", "-1"), "死亡人数不能为负数"),
        (("--serious-injuries", "x"), "重伤人数须为"),
        (("--direct-loss", "1.2万"), "万元"),
        (("--direct-loss", "lots"), "以元为单位"),
    ],
)
def test_bad_numbers_are_a_clear_error_with_status_2(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        call_command("accident", "grade", *args, "--json")
    assert caught.value.returncode == 2


def test_the_console_command_exits_with_status_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "yigang", "accident", "grade", "--deaths", "abc", "--json"],
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "YIGANG_VAR_DIR": "/tmp/yigang-accident-grade-test"},
        check=False,
    )
    assert done.returncode == 2
    assert "死亡人数须为不小于 0 的整数" in done.stderr
    assert done.stdout == ""
