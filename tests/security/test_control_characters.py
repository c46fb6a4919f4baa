"""Control characters (issue 9.4) and formula injection (9.7).

Text with NUL, \\x01, ESC, U+FFFE … is refused at the edge — forms, the API (form, multipart and JSON bodies,
query strings, file names), the imports and account creation — with a message naming the field and the
character. What is already stored cannot break an export: every cell and paragraph written goes through one
guard (yigang/exports/sanitise.py), which also keeps text that looks like a formula from running. A test walks
every export route and checks every cell and paragraph it writes.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from yigang import inputs
from yigang.duties.models import DutyRecord

from .expected import PAGES
from .expected._files import xlsx

pytestmark = pytest.mark.django_db

NASTY = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\ud800", "\ufffe", "\uffff", "\U0010ffff"]
FINE = ["", "巴图", "第一行\r\n第二行\t缩进", "emoji 🚒", "全角：＝号", "=1+1"]


@pytest.mark.parametrize("char", NASTY)
def test_refused_characters_are_found_and_named(char: str) -> None:
    found = inputs.control_character(f"检查{char}记录")
    assert found == (3, f"U+{ord(char):04X}")
    assert inputs.strip_control_characters(f"检查{char}记录") == "检查记录"
    with pytest.raises(
        ValidationError, match=f"“主题”含有不可见的控制字符（U\\+{ord(char):04X}，第 3 个字符）"
    ):
        inputs.check_text(f"检查{char}记录", "主题")


@pytest.mark.parametrize("text", FINE)
def test_ordinary_text_passes(text: str) -> None:
    assert inputs.control_character(text) is None
    inputs.check_text(text, "主题")


def _record_form(world: Any, **change: str) -> dict[str, Any]:
    data = {
        "kind": "meeting",
        "date": "2025-03-20",
        "time": "09:00",
        "title": "分管领域安全生产例会",
        "place": "镇政府三楼会议室",
        "posts": [world.leader_post.pk],
        "summary": "部署春季安全检查。",
    }
    return data | change


def test_a_form_refuses_a_control_character_with_a_message(world: Any) -> None:
    before = DutyRecord.objects.count()
    response = world.client("officer").post(
        reverse("duties:record_new"), _record_form(world, title="例会\x01")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "title" in page and "U+0001" in page and "控制字符" in page
    assert DutyRecord.objects.count() == before


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\ufffe"])
def test_the_api_refuses_control_characters_in_every_kind_of_body(world: Any, char: str) -> None:
    client = world.client("officer")
    before = DutyRecord.objects.count()
    fields = {
        "town": world.town.code,
        "kind": "inspection",
        "occurred_at": "2025-05-06T10:00:00+08:00",
        "title": "汛前安全检查",
        "place": "党群服务中心",
        "summary": f"检查{char}消防通道。",
        "posts": [world.body_post.pk],
    }
    multipart = client.post("/api/duties/records", fields)
    assert multipart.status_code == 400 and "summary" in multipart.json()["detail"]
    as_json = client.post(
        f"/api/duties/records/{world.record.pk}/amendments",
        json.dumps({"reason": f"更正{char}"}),
        content_type="application/json",
    )
    assert as_json.status_code == 400 and "reason" in as_json.json()["detail"]
    query = client.get("/api/duties/records", {"town": f"x{char}"})
    assert query.status_code == 400 and f"U+{ord(char):04X}" in query.json()["detail"]
    assert DutyRecord.objects.count() == before


def test_a_file_name_never_brings_a_control_character_in(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yigang.duties.models import Attachment

    from .conftest import PNG

    # Django's multipart parser keeps only printable characters of an uploaded file's name.
    photo = SimpleUploadedFile("现场\x1b照片.png", PNG, content_type="image/png")
    response = world.client("officer").post(
        reverse("duties:record_new"), _record_form(world) | {"attachments": photo}
    )
    assert response.status_code == 302
    assert Attachment.objects.order_by("-pk").values_list("name", flat=True)[0] == "现场照片.png"


def test_the_imports_refuse_control_characters_per_cell(world: Any) -> None:
    from yigang.duties.importer import import_records
    from yigang.org.bulk import import_xlsx

    header = ["履职日期", "时间", "履职方式", "主题", "地点", "认定岗位", "参加人员", "内容摘要"]
    # Excel writes a control character as _xHHHH_ in the file; openpyxl passes that on verbatim.
    row = [
        "2025-04-02",
        "14:00",
        "培训宣传",
        "安全_x0001_培训",
        "活动室",
        world.village_post.title,
        "",
        "宣讲\x85",
    ]
    sheet = xlsx("r.xlsx", header, row, sheet="履职记录").read()
    result = import_records(town=world.town, data=sheet, filename="r.xlsx", actor=world.users["officer"])
    assert result.created == 0
    assert {(e.row, e.column) for e in result.errors} == {(2, "主题"), (2, "内容摘要")}
    assert "U+0001" in str(result.errors[0]) or "U+0001" in str(result.errors[1])
    people = ["单位", "单位类别", "岗位", "制度岗位", "姓名", "电话", "任职日期", "离任日期", "任免依据"]
    bad = [world.village.name, "", world.village_post.title, "", "其木格\x7f", "", "2024-01-01", "", ""]
    imported = import_xlsx(world.town, xlsx("p.xlsx", people, bad).read(), actor=world.users["officer"])
    assert len(imported.errors) == 1 and "U+007F" in str(imported.errors[0])
    assert "姓名" in imported.errors[0].column


def test_an_account_name_with_a_control_character_is_refused(world: Any) -> None:
    from yigang.towns import actions

    with pytest.raises(ValidationError, match="U\\+0007"):
        actions.create_account(username="bell", full_name="响\x07铃", actor=world.users["sysadmin"])


def test_a_regulation_source_loses_what_no_document_may_hold() -> None:
    from yigang.regulations.parser import read_source

    text = read_source("第一条\ufffe 乡镇安全生产\x0c第二条 职责\x01".encode(), "r.txt")
    assert inputs.control_character(text) is None and "第二条" in text


# ---------------------------------------------------------------- every export

OOXML = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
# Routes known to answer with a workbook or a document: a new export is found and checked by the walk itself;
# this list makes sure none of these silently stops being walked.
EXPORTS = {
    "duties:import_template",
    "duties:person_year_docx",
    "duties:person_year_xlsx",
    "org:bulk_export",
    "org:bulk_template",
    "regulations:duty_list_docx",
    "regulations:duty_list_xlsx",
}


def _hostile(world: Any) -> None:
    """What forms now refuse but older databases may hold, and names that look like formulas."""
    from yigang.org.models import Person, Post, Unit

    nul = "" if connection.vendor == "postgresql" else "\x00"  # PostgreSQL cannot store NUL at all
    Unit.objects.filter(pk=world.body.pk).update(name='=HYPERLINK("http://evil.example","点我")\x01应急站')
    Post.objects.filter(pk=world.body_post.pk).update(title="@SUM(A1)\x1b负责人")
    Post.objects.filter(pk=world.leader_post.pk).update(title="+分管安全生产副镇长\ufffe")
    Person.objects.filter(pk=world.person.pk).update(name="-巴图\x0b")
    DutyRecord.objects.filter(pk=world.record.pk).update(
        title=f"春季检查{nul}\x01", summary="\x1b[31m检查\x08记录\ufffe", participants="\tcmd|' /C calc'!A0"
    )


def _cells(data: bytes) -> list[Any]:
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _document_text(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return [*texts, document.core_properties.title or ""]


def test_every_export_writes_guarded_cells_and_clean_text(world: Any) -> None:
    _hostile(world)
    client = world.client("officer")
    walked = set()
    for name, expect in sorted(PAGES.items()):
        if expect.method != "GET":
            continue
        response = client.get(reverse(name, kwargs=expect.kwargs(world) or None), expect.data(world))
        kind = OOXML.get(response.get("Content-Type", "").split(";")[0])
        if kind is None:
            continue
        assert response.status_code == 200, name
        walked.add(name)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            xml = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
        if kind == "xlsx":
            for cell in _cells(body):
                assert cell.data_type != "f", f"{name}: {cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert inputs.control_character(cell.value) is None, (name, cell.coordinate, cell.value)
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell.value)
        else:
            for text in _document_text(body):
                assert inputs.control_character(text) is None, (name, text)
        assert b"HYPERLINK" not in xml or b"'=HYPERLINK" in xml or kind == "docx", name
    assert walked >= EXPORTS  # and any new export is walked and checked as well


def test_a_person_year_with_control_characters_still_exports(world: Any) -> None:
    _hostile(world)
    client = world.client("officer")
    for fmt in ("docx", "xlsx"):
        url = reverse(f"duties:person_year_{fmt}", kwargs={"pk": world.person.pk, "year": 2025})
        response = client.get(url)
        assert response.status_code == 200, fmt


def test_the_api_and_pages_still_answer_for_stored_control_characters(world: Any) -> None:
    _hostile(world)
    client: Client = world.client("officer")
    assert client.get(reverse("duties:record", kwargs={"pk": world.record.pk})).status_code == 200
    assert client.get(f"/api/duties/records/{world.record.pk}").status_code == 200
