"""Tracking counts, worked by hand, and the CLI's JSON contract."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

from django.core.management import call_command

from tests.conftest import PASSWORD
from yigang.signoff.actions import confirm, sync_town
from yigang.signoff.models import Kind, Task
from yigang.signoff.tracking import status

D = datetime.date


def test_it_counts_required_confirmed_and_missing(
    register: Any, users: dict[str, Any], town: Any, regulation: Any
) -> None:
    sync_town(town=town, actor=None, day=D(2024, 5, 1))
    reg_task = Task.objects.get(document__kind=Kind.REGULATION, person=register.deputy)
    confirm(task=reg_task, actor=users["leader"], secret=PASSWORD, sha256=reg_task.text_sha256)
    bat = register.head.user
    list_task = Task.objects.get(document__kind=Kind.DUTY_LIST, person=register.head)
    confirm(task=list_task, actor=bat, secret=PASSWORD, sha256=list_task.text_sha256)

    data = status(town, 2024)

    # Four holders each; the regulation: 李强 confirmed (1 of 4); the duty lists: 巴图 confirmed (1 of 4).
    assert data["town"] == "乌审召镇"
    by_kind = {d["kind"]: d for d in data["documents"]}
    assert set(by_kind) == {"regulation", "duty_list"}
    reg = by_kind["regulation"]
    assert (reg["version"], reg["required"], reg["confirmed"]) == (1, 4, 1)
    assert sorted(m["person"] for m in reg["missing"]) == ["其木格", "巴图", "张建华"]
    lists = by_kind["duty_list"]
    assert (lists["version"], lists["required"], lists["confirmed"]) == (1, 4, 1)
    assert {"person": "其木格", "post": "乌审召嘎查党支部书记", "unit": "乌审召嘎查"} in lists["missing"]
    assert lists["title"] == "乌审召镇2024年度安全生产责任清单确认"

    # Another year has its own round (none yet for 2023: nothing was distributed then).
    assert [d["kind"] for d in status(town, 2023)["documents"]] == ["regulation"]


def test_the_cli_prints_the_contract(register: Any, town: Any) -> None:
    sync_town(town=town, actor=None, day=D(2024, 5, 1))
    out = StringIO()
    call_command("signoff", "status", "--town", town.code, "--year", "2024", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"town", "documents"}
    for doc in data["documents"]:
        assert set(doc) == {"kind", "title", "version", "required", "confirmed", "missing"}
        assert doc["required"] == 4 and doc["confirmed"] == 0 and len(doc["missing"]) == 4
        assert all(set(m) == {"person", "post", "unit"} for m in doc["missing"])
    text = StringIO()
    call_command("signoff", "status", "--town", town.code, "--year", "2024", stdout=text)
    assert "未确认：其木格（乌审召嘎查 乌审召嘎查党支部书记）" in text.getvalue()


def test_the_cli_distributes(register: Any, town: Any) -> None:
    out = StringIO()
    call_command("signoff", "distribute", "--town", town.code, "--today", "2024-05-01", stdout=out)
    assert "新下发 8 项" in out.getvalue()


def test_units_without_a_holder_are_named(register: Any, town: Any, users: dict[str, Any]) -> None:
    from yigang.org import actions as org
    from yigang.signoff.tracking import unreached

    before = unreached(town, D(2024, 5, 1))
    # The bodies the seed's Art. 12 created have no head seat in this register; the two with holders are reached.
    assert "乌审召嘎查" not in before and register.body.name not in before and "乡村振兴办公室" in before
    org.end_tenure(tenure=register.tenures["secretary"], end=D(2024, 4, 30), actor=None)
    assert set(unreached(town, D(2024, 5, 1))) - set(before) == {"乌审召嘎查"}
