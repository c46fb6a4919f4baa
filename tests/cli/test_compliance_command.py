"""`yigang compliance --json` prints exactly the JSON of the issue."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


@pytest.fixture
def mayor(town: Any, regulation: Any) -> Any:
    from yigang.duties.actions import RecordData, create_record
    from yigang.org import actions

    gov = actions.add_unit(town=town, name="镇人民政府", kind="government", actor=None)
    post = actions.add_post(unit=gov, title="镇长", kind="mayor", actor=None)
    actions.add_post(unit=gov, title="分管安全生产副镇长", kind="safety_deputy", actor=None)
    person = actions.add_person(town=town, name="巴图", actor=None)
    actions.appoint(post=post, person=person, start=datetime.date(2020, 1, 1), actor=None)
    create_record(
        town=town,
        data=RecordData(
            "meeting",
            datetime.datetime(2025, 2, 1, 9, tzinfo=datetime.UTC),
            "会议",
            "镇政府",
            "纪要",
            "",
            [post],
        ),
        source="import",  # a ledger imported without files (the requirements are the form's and the API's)
        actor=None,
    )
    return post


def _run(*args: str) -> Any:
    out = io.StringIO()
    call_command("compliance", *args, stdout=out)
    return out.getvalue()


def test_the_json_has_the_documented_shape(mayor: Any) -> None:
    data = json.loads(_run("--town", "wushenzhao", "--year", "2025", "--today", "2026-01-05", "--json"))
    assert set(data) == {"town", "year", "rows", "post_rows"} and (data["town"], data["year"]) == (
        "乌审召镇",
        2025,
    )
    keys = {
        "post",
        "person",
        "article",
        "item",
        "kind",
        "period",
        "period_start",
        "required",
        "done",
        "status",
        "level",
        "late",
        "source",
    }
    assert all(set(r) == keys for r in data["rows"] + data["post_rows"])
    meeting = next(r for r in data["rows"] if r["post"] == "镇长" and r["kind"] == "meeting")
    assert meeting == {
        "post": "镇长",
        "person": "巴图",
        "article": 5,
        "item": 3,
        "kind": "meeting",
        "period": "year",
        "period_start": "2025-01-01",
        "required": 4,
        "done": 1,
        "status": "missed",
        "level": "holder",
        "late": 1,  # entered now for a day of 2025: 补录
        "source": "regulation",
    }
    vacant = [r for r in data["rows"] if r["post"] == "分管安全生产副镇长"]
    assert len(vacant) == 24 and {(r["person"], r["status"]) for r in vacant} == {(None, "vacant")}


def test_post_filter_and_text_output(mayor: Any) -> None:
    data = json.loads(_run("--town", "wushenzhao", "--year", "2025", "--post", "镇长", "--json"))
    assert {r["post"] for r in data["rows"]} == {"镇长"}
    text = _run("--town", "wushenzhao", "--year", "2025", "--post", str(mayor.pk), "--today", "2026-01-05")
    assert "镇长" in text and "未完成" in text and "合计" in text and "（岗位整体）" in text


def test_bad_arguments_are_chinese_errors(mayor: Any) -> None:
    with pytest.raises(CommandError, match="没有名称或编号"):
        _run("--town", "wushenzhao", "--year", "2025", "--post", "县长")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--town", "wushenzhao", "--year", "2025", "--today", "yesterday")
    with pytest.raises(CommandError, match="没有代码或名称"):
        _run("--town", "nowhere", "--year", "2025")
