"""The accountability file as the evidence stood (issue 21, point 5), worked by hand against the test register.

The accident: 2025-06-03 14:20 on the S215 in 巴音敖包嘎查 (道路交通). The window is the 12 months before it,
2024-06-03 to 2025-06-02, so the only periods of the leaders' yearly duties that ended in it are those of 2024.
From the seed regulation:
- 镇党委书记 乌力吉 (in post since 2022): 检查 每年至少4次 → 4, 会议 每年至少2次 → 2; required 4 + 2 = 6.
- 镇长: 会议 and 检查 每年至少4次. 张建华 held 2024-01-01..03-31 (91 days), 巴图 from 04-01 (275 days):
  4 × 275 / 366 = 3.005 → 巴图 owes 3 of each, 4 × 91 / 366 = 0.995 → the remainder goes to 张建华, 1 of each.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from yigang.accidents.actions import confirm_arrival, report_accident
from yigang.accidents.models import OnSiteTask
from yigang.assessment import actions
from yigang.assessment.accountability import for_accident
from yigang.assessment.dates import cn_datetime
from yigang.assessment.entries import FAIR, NOT_DONE, UNKNOWN_ENTRY
from yigang.assessment.models import FileFinding, IssuedFile, LateAdmission
from yigang.audit.models import AuditEntry
from yigang.duties.actions import RecordData, create_record
from yigang.duties.models import Source
from yigang.org import actions as org
from yigang.org.models import Tenure

from ..conftest import PASSWORD
from .conftest import SH, Register, make_data

pytestmark = pytest.mark.django_db

DONE = "尽职"
ISO = re.compile(r"\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}")


def rec(
    register: Register, post: str, on: datetime.date, kind: str, title: str, *, before: bool = True
) -> int:
    """One duty record crediting `post`: entered two hours after it happened (before=True), or now — after the
    accident, i.e. 事后补录 (before=False)."""
    at = datetime.datetime.combine(on, datetime.time(10), SH)
    made = create_record(
        town=register.town,
        data=RecordData(
            kind=kind,
            occurred_at=at,
            title=title,
            place="巴音敖包嘎查",
            summary="按制度履职。",
            participants="班子成员",
            findings="未发现问题",
            posts=[register.posts[post]],
        ),
        actor=register.officer,
        source=Source.DEMO if before else Source.IMPORT,
        entered_at=at + datetime.timedelta(hours=2) if before else None,
    )
    return made.pk


def secretary_year(register: Register, *, meetings_before: bool = True) -> list[int]:
    """乌力吉's 2024: four inspections of the S215 road (道路交通) and two meetings."""
    for month in (3, 6, 9, 11):
        rec(
            register,
            "镇党委书记",
            datetime.date(2024, month, 10),
            "inspection",
            f"道路交通安全检查 {month}月",
        )
    return [
        rec(
            register,
            "镇党委书记",
            datetime.date(2024, m, 15),
            "meeting",
            f"安全生产会议 {m}月",
            before=meetings_before,
        )
        for m in (7, 12)
    ]


def accident_with(register: Register, *arrived: str) -> Any:
    accident = report_accident(town=register.town, data=make_data(register, deaths=1), actor=register.officer)
    for name in arrived:
        for task in OnSiteTask.objects.filter(accident=accident, person=register.person(name)):
            confirm_arrival(
                task=task,
                arrived_at=accident.latest.occurred_at + datetime.timedelta(hours=1),
                actor=register.officer,
            )
    return accident


def person(data: dict[str, Any], name: str, post: str | None = None) -> dict[str, Any]:
    return next(p for p in data["persons"] if p["person"] == name and (post is None or p["post"] == post))


def test_a_holder_who_did_every_duty_on_record_is_fully_performed(register: Register) -> None:
    secretary_year(register)
    data = for_accident(accident_with(register, "乌力吉")).as_json()
    assert data["window"] == {"start": "2024-06-03", "end": "2025-06-02", "months": 12}
    p = person(data, "乌力吉")
    # 4 inspections + 2 meetings, all entered before the accident: 6 of 6 on record.
    assert p["compliance"] == {"required": 6, "done": 6, "done_with_late": 6}
    assert p["finding"] == DONE and p["gaps"] == [] and data["late_records"] == []
    # Every record shows when it was entered.
    assert all(r["entered_at"] and not r["late"] for r in p["records"]) and len(p["records"]) == 6
    inspection = next(c for c in p["checklist"] if c["key"] == "inspection")
    assert inspection["applies"] and inspection["status"] == "met" and len(inspection["records"]) == 4

    # The mayor did nothing: 0 of 3 + 3, two periods missed and below 80 % → 未尽职, the line says so.
    mayor = person(data, "巴图")
    assert mayor["compliance"]["required"] == 6 and mayor["compliance"]["done"] == 0
    assert mayor["finding"] == NOT_DONE
    assert any(line["weight"] == "serious" and "0/6" in line["text"] for line in mayor["reading"]["lines"])


def test_records_typed_in_after_the_accident_are_listed_apart_and_count_only_when_admitted(
    register: Register,
) -> None:
    late_ids = secretary_year(register, meetings_before=False)
    accident = accident_with(register, "乌力吉")
    data = for_accident(accident).as_json()
    p = person(data, "乌力吉")
    # On record at the accident: 4 inspections; the 2 meetings were typed in afterwards.
    # 4 of 6 = 67 %, but only one period (2024's meetings, 0 of 2) is missed: one missed period does not alone
    # decide it → 基本尽职, not 尽职 (and not 未尽职).
    assert p["compliance"] == {"required": 6, "done": 4, "done_with_late": 6}
    assert p["finding"] == FAIR
    assert [r["id"] for r in data["late_records"]] == late_ids
    assert all(not r["admitted"] and r["persons"] == ["乌力吉（镇党委书记）"] for r in data["late_records"])

    # Admitting one without a reason: refused in Chinese, nothing saved.
    with pytest.raises(ValidationError, match="请填写采信理由"):
        actions.admit_late_record(
            kind="accident",
            subject_id=accident.pk,
            record_id=late_ids[0],
            reason="  ",
            actor=register.officer,
        )
    assert not LateAdmission.objects.exists()

    actions.admit_late_record(
        kind="accident",
        subject_id=accident.pk,
        record_id=late_ids[0],
        reason="7月会议纪要原件经核实，系事故前形成",
        actor=register.officer,
    )
    p = person(for_accident(accident).as_json(), "乌力吉")
    assert p["compliance"]["done"] == 5 and p["finding"] == FAIR  # 5 of 6: the meetings' period still 1 of 2
    actions.admit_late_record(
        kind="accident",
        subject_id=accident.pk,
        record_id=late_ids[1],
        reason="12月会议签到表",
        actor=register.officer,
    )
    data = for_accident(accident).as_json()
    assert person(data, "乌力吉")["compliance"]["done"] == 6 and person(data, "乌力吉")["finding"] == DONE
    admitted = data["late_records"][1]
    assert admitted["admitted"] and admitted["admission"]["reason"] == "12月会议签到表"
    assert AuditEntry.objects.filter(event="assessment.file.admit_late").count() == 2
    with pytest.raises(ValidationError, match="已采信"):
        actions.admit_late_record(
            kind="accident",
            subject_id=accident.pk,
            record_id=late_ids[1],
            reason="再次",
            actor=register.officer,
        )


def test_a_register_changed_after_the_accident_is_flagged_beside_the_chain(register: Register) -> None:
    accident = accident_with(register)
    # The register is put back in time after the accident was entered: 巴图 "left" on 2025-05-31 and a
    # successor is entered from 2025-06-02, leaving 2025-06-01 vacant.
    tenure = Tenure.objects.get(person=register.person("巴图"))
    org.end_tenure(tenure=tenure, end=datetime.date(2025, 5, 31), actor=register.officer)
    successor = org.add_person(town=register.town, name="孟和", actor=register.officer)
    org.appoint(
        post=register.posts["镇长"], person=successor, start=datetime.date(2025, 6, 2), actor=register.officer
    )
    data = for_accident(accident).as_json()
    # The chain is the one on record at the accident: it still names 巴图 ...
    assert next(c for c in data["chain"] if c["post"] == "镇长")["person"] == "巴图"
    # ... and the later changes are shown beside it, flagged.
    kinds = {c["kind"] for c in data["register_changes"]}
    assert {"tenure_ended", "tenure_entered", "holder_differs"} <= kinds
    ended = next(c for c in data["register_changes"] if c["kind"] == "tenure_ended")
    assert "巴图" in ended["text"] and "2025年5月31日" in ended["text"]
    differs = next(c for c in data["register_changes"] if c["kind"] == "holder_differs")
    assert "孟和" in differs["text"] and "巴图" in differs["text"]
    # The whole window: both holders of the post, and the day between them as a vacancy.
    mayor = next(p for p in data["posts"] if p["post"] == "镇长")
    assert [(h["person"], h["from"], h["until"]) for h in mayor["holders"]] == [
        ("巴图", "2024-06-03", "2025-05-31"),
        ("孟和", "2025-06-02", "2025-06-02"),
    ]
    assert mayor["vacancies"] == [{"from": "2025-06-01", "until": "2025-06-01"}]
    assert {p["person"] for p in data["persons"] if p["post"] == "镇长"} == {"巴图", "孟和"}
    assert not person(data, "孟和")["in_chain"]


def test_the_window_lists_predecessors_and_rows_without_entry_times(register: Register) -> None:
    Tenure.objects.filter(person=register.person("乌力吉")).update(recorded_at=None)
    accident = accident_with(register)
    data = for_accident(accident, months=18).as_json()
    # 18 months before 2025-06-03: from 2023-12-03. 张建华 (mayor to 2024-03-31) is in it, as a predecessor:
    # 2023's 会议 4 + 检查 4 (he held the whole year) and 2024's share, 1 + 1 (see the module's docstring).
    assert data["window"]["start"] == "2023-12-03"
    zhang = person(data, "张建华", "镇长")
    assert not zhang["in_chain"] and zhang["held"] == {"from": "2023-12-03", "until": "2024-03-31"}
    assert zhang["compliance"]["required"] == 4 + 4 + 1 + 1
    # A tenure recorded before entry times were kept: no time is invented for it.
    secretary = next(c for c in data["chain"] if c["person"] == "乌力吉")
    assert secretary["entered_at"] is None and secretary["entered_note"] == UNKNOWN_ENTRY
    assert not any("乌力吉" in c["text"] for c in data["register_changes"])


def test_the_officers_finding_needs_reasons_and_the_password(
    register: Register, users: dict[str, Any]
) -> None:
    accident = accident_with(register)
    officer = users["officer"]
    given = {
        "kind": "accident",
        "subject_id": accident.pk,
        "person_id": register.person("巴图").pk,
        "post_id": register.posts["镇长"].pk,
        "verdict": "accountable",
        "reasons": "2024年会议、检查均未履行",
        "actor": officer,
    }
    with pytest.raises(ValidationError, match="请输入您的登录密码"):
        actions.record_finding(**given, secret="")
    with pytest.raises(ValidationError, match="请填写意见的理由"):
        actions.record_finding(**{**given, "reasons": " "}, secret=PASSWORD)
    with pytest.raises(ValidationError, match="密码不正确，意见未保存"):
        actions.record_finding(**given, secret="wrong")
    assert not FileFinding.objects.exists()
    assert AuditEntry.objects.filter(event="assessment.file.finding", success=False).count() == 1
    actions.record_finding(**given, secret=PASSWORD)
    data = for_accident(accident).as_json()
    [finding] = data["findings"]
    assert finding["verdict_label"] == "追责建议" and finding["person"] == "巴图"
    assert "不是责任认定结论" in data["notice"]
    # The reading is the rule's; the finding is recorded beside it, not over it.
    assert person(data, "巴图")["finding"] == NOT_DONE
    assert AuditEntry.objects.filter(event="assessment.file.finding", success=True).count() == 1


def test_an_issued_file_is_frozen_and_reissuing_keeps_the_old_version(register: Register) -> None:
    late_ids = secretary_year(register, meetings_before=False)
    accident = accident_with(register)
    first = actions.issue_file(kind="accident", subject_id=accident.pk, actor=register.officer)
    assert first.version == 1 and first.sha256 == actions.file_sha256(first.content)
    assert person(first.content, "乌力吉")["compliance"]["done"] == 4
    actions.admit_late_record(
        kind="accident",
        subject_id=accident.pk,
        record_id=late_ids[0],
        reason="纪要原件",
        actor=register.officer,
    )
    second = actions.issue_file(kind="accident", subject_id=accident.pk, actor=register.officer)
    first.refresh_from_db()
    assert second.version == 2 and person(second.content, "乌力吉")["compliance"]["done"] == 5
    # Version 1 is as it was issued: same content, same checksum.
    assert person(first.content, "乌力吉")["compliance"]["done"] == 4
    assert first.sha256 == actions.file_sha256(first.content) != second.sha256
    assert IssuedFile.objects.filter(subject_id=accident.pk).count() == 2


def test_the_cli_carries_entry_times_late_records_flags_and_the_reading(register: Register) -> None:
    late_ids = secretary_year(register, meetings_before=False)
    accident = accident_with(register)
    out = io.StringIO()
    call_command(
        "accountability", "--town", register.town.code, "--accident", str(accident.pk), "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert {
        "subject",
        "at",
        "chain",
        "persons",
        "late_records",
        "register_changes",
        "window",
        "findings",
    } <= set(data)
    assert data["at"].startswith("2025-06-03T14:20")
    assert [r["id"] for r in data["late_records"]] == late_ids
    p = person(data, "乌力吉")
    assert p["reading"]["grade"] == FAIR and all(r["entered_at"] for r in p["records"])
    assert {"person", "post", "level", "compliance", "gaps", "finding"} <= set(p)
    # An unconfirmed arrival at the scene is a line of the reading (a minor one).
    assert any("未确认到达事故现场" in g for g in person(data, "巴图")["gaps"])
    plain = io.StringIO()
    call_command("accountability", "--town", register.town.code, "--accident", str(accident.pk), stdout=plain)
    assert "2025年6月3日14:20" in plain.getvalue() and "补录" in plain.getvalue()


def test_times_are_printed_for_people() -> None:
    assert cn_datetime("2026-12-06T23:58:00+08:00") == "2026年12月6日23:58"
    assert cn_datetime("2026-12-06T15:58:00+00:00") == "2026年12月6日23:58"  # UTC → Asia/Shanghai
    assert cn_datetime("2026-12-06") == "2026年12月6日"


def test_page_word_and_pdf_carry_no_iso_times(register: Register, users: dict[str, Any]) -> None:
    import docx
    import pypdfium2
    from django.test import Client

    secretary_year(register, meetings_before=False)
    accident = accident_with(register)
    actions.issue_file(kind="accident", subject_id=accident.pk, actor=register.officer)
    client = Client()
    client.force_login(users["officer"])
    for query in ("", "?version=1"):
        page = client.get(f"/assessment/accidents/{accident.pk}/{query}").content.decode()
        main = page[page.index("<main") :] if "<main" in page else page
        body = re.sub(r"<[^>]+>", " ", main)
        assert "2025年6月3日14:20" in body and "事后补录" in body and "基本尽职" in body
        assert not ISO.search(body), ISO.search(body)
    word = client.get(f"/assessment/accidents/{accident.pk}/docx/")
    document = docx.Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "巴图（镇长）" in text and "履职评定：未尽职" in text and "2025年6月3日14:20" in text
    assert not ISO.search(text)
    response = client.get(f"/assessment/accidents/{accident.pk}/pdf/?version=1")
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    words = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "安全生产责任追究履职情况材料" in words and not ISO.search(words)
    assert "第1版" in words
    pdf.close()


def test_the_pdf_embeds_its_cjk_font_and_draws_the_heading(register: Register, users: dict[str, Any]) -> None:
    import pypdfium2
    from django.test import Client

    accident = accident_with(register)
    client = Client()
    client.force_login(users["officer"])
    body = client.get(f"/assessment/accidents/{accident.pk}/pdf/").content
    # The font travels in the file (a TrueType subset: FontFile2), not ReportLab's unembedded STSong-Light.
    assert b"/FontFile2" in body and b"STSong" not in body
    pdf = pypdfium2.PdfDocument(body)
    image = pdf[0].render(scale=1).to_pil().convert("L")
    width, _height = image.size
    # The title sits 25 mm (71 pt) below the top edge, 26 pt high: glyphs drawn there darken pixels.
    heading = image.crop((0, 60, width, 110))
    dark = sum(heading.histogram()[:128])
    assert dark > 500, dark
    # A blank band of the page (below the last line of a short first page would vary): the margin stays white.
    margin = image.crop((0, 0, width, 40))
    assert sum(margin.histogram()[:128]) == 0
    pdf.close()


def test_a_leader_reads_only_their_own_entry_and_cannot_write(
    register: Register, users: dict[str, Any], make_user: Any
) -> None:
    from django.test import Client

    from yigang.towns.actions import link_person
    from yigang.towns.models import Role

    late_ids = secretary_year(register, meetings_before=False)
    accident = accident_with(register)
    leader = make_user("wuliji", Role.LEADER, register.town)
    link_person(person=register.person("乌力吉"), user=leader, actor=register.officer)
    client = Client()
    client.force_login(leader)
    page = client.get(f"/assessment/accidents/{accident.pk}/").content.decode()
    assert (
        "五、乌力吉（镇党委书记）" in page
        and "巴图（镇长）" not in page
        and "出具（固定为新版本）" not in page
    )
    refused = client.post(
        f"/assessment/files/accident/{accident.pk}/admit/", {"record": late_ids[0], "reason": "本人补录"}
    )
    assert refused.status_code == 403 and not LateAdmission.objects.exists()
