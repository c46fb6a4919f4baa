"""The accountability file: one holder who did every duty (尽职) and one who did not (未尽职, gaps named)."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from yigang.accidents.actions import confirm_arrival, report_accident
from yigang.accidents.models import OnSiteTask
from yigang.assessment.accountability import for_accident
from yigang.duties.actions import RecordData, create_record
from yigang.duties.compliance import Status, compute
from yigang.duties.models import Source

from .conftest import SH, Register, make_data

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 3)
START, BEFORE = DAY - datetime.timedelta(days=365), DAY - datetime.timedelta(days=1)


def _do_every_duty(register: Register, person: str, post: str) -> int:
    """Records for every frequency duty of `post` whose period ended in the twelve months before DAY."""
    holder = register.person(person)
    made = 0
    for year in (2024, 2025):
        for row in compute(register.town, year, today=BEFORE).rows:
            if row.person_id != holder.pk or row.status not in (Status.MET, Status.MISSED):
                continue
            if not START <= row.period_end <= BEFORE:
                continue
            for i in range(row.required - row.done):
                at = datetime.datetime.combine(
                    row.period_start + datetime.timedelta(days=i), datetime.time(10), SH
                )
                create_record(
                    town=register.town,
                    data=RecordData(
                        kind=row.kind,
                        occurred_at=at,
                        title=f"{row.kind_label} {row.period_label} 第{i + 1}次",
                        place="镇政府",
                        summary="按制度履职。",
                        participants="班子成员",
                        findings="未发现问题",
                        posts=[register.posts[post]],
                    ),
                    actor=register.officer,
                    # The year's records entered from the 台账 spreadsheet: what a record must carry is asked of
                    # entries by hand (tests/duties/test_evidence.py), not of this history.
                    source=Source.IMPORT,
                )
                made += 1
    return made


def test_file_for_a_holder_who_did_every_duty_and_one_who_did_not(register: Register) -> None:
    made = _do_every_duty(register, "乌力吉", "镇党委书记")
    assert made > 0
    accident = report_accident(town=register.town, data=make_data(register, deaths=1), actor=register.officer)
    for task in OnSiteTask.objects.filter(accident=accident, person=register.person("乌力吉")):
        confirm_arrival(
            task=task,
            arrived_at=accident.latest.occurred_at + datetime.timedelta(hours=1),
            actor=register.officer,
        )
    file = for_accident(accident)
    data = file.as_json()
    assert data["subject"].startswith("事故：2025-06-03")
    assert {c["person"] for c in data["chain"]} >= {"乌力吉", "巴图", "巴特尔"}
    secretary = next(p for p in data["persons"] if p["person"] == "乌力吉")
    assert secretary["finding"] == "尽职" and secretary["gaps"] == []
    assert secretary["compliance"]["required"] == secretary["compliance"]["done"] > 0
    entry = next(e for e in file.entries if e.person == "乌力吉")
    assert len(entry.records) == made  # every figure links back to its records

    mayor = next(p for p in data["persons"] if p["person"] == "巴图")
    assert mayor["finding"] == "未尽职"
    assert mayor["compliance"]["done"] < mayor["compliance"]["required"]
    assert any("会议" in gap and "应" in gap for gap in mayor["gaps"])


def test_unconfirmed_arrival_is_a_gap_and_cli_contract(register: Register) -> None:
    accident = report_accident(town=register.town, data=make_data(register, deaths=1), actor=register.officer)
    task = OnSiteTask.objects.filter(accident=accident, person__isnull=False).select_related("person").first()
    assert task is not None
    out = io.StringIO()
    call_command(
        "accountability", "--town", register.town.code, "--accident", str(accident.pk), "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert set(data) == {"subject", "at", "chain", "persons"}
    assert data["at"].startswith("2025-06-03T14:20")
    person = next(p for p in data["persons"] if p["person"] == task.person.name)
    assert set(person) == {"person", "post", "level", "compliance", "gaps", "finding"}
    assert any("未确认到达事故现场" in g for g in person["gaps"]) and person["finding"] == "未尽职"


def test_file_exports_docx_and_pdf_from_the_same_content(register: Register, users: dict[str, Any]) -> None:
    import docx
    from django.test import Client

    accident = report_accident(town=register.town, data=make_data(register, deaths=1), actor=register.officer)
    client = Client()
    client.force_login(users["officer"])
    page = client.get(f"/assessment/accidents/{accident.pk}/").content.decode()
    assert "乌力吉" in page and "未尽职" in page
    word = client.get(f"/assessment/accidents/{accident.pk}/docx/")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "巴图（镇长）" in text and "认定：未尽职" in text
    pdf = client.get(f"/assessment/accidents/{accident.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"STSong-Light" in pdf.content
