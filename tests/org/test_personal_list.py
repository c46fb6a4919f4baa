"""A personal 责任清单: the person's name, posts, 分管 range and only their own body's Art. 12 item; the person
page exports that list (Word and Excel), not the generic one with every body."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from yigang.audit.models import AuditEntry
from yigang.org.personal_list import build_personal_list
from yigang.org.profile import build_profile

from .conftest import Register

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2024, 6, 1)


def _text_of_docx(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_a_department_head_gets_their_name_posts_sectors_and_only_their_own_item(register: Register) -> None:
    personal = build_personal_list(build_profile(register.person("交警中队主任"), DAY))
    assert personal.title == "乌审召镇安全生产责任清单（交警中队主任）"
    header = "\n".join(personal.header)
    assert "责任人：交警中队主任" in header
    assert "现任岗位：交警中队负责人（全面领导责任，2022-01-01起）" in header
    assert "分管范围：无" in header
    assert "本单位监管的行业领域：" in header and "道路交通" in header and "危险化学品（运输）" in header
    [duty_list] = personal.lists
    places = [line.place for line in duty_list.lines]
    texts = "".join(line.text for line in duty_list.lines)
    assert "第十二条第12项" in places  # their own body's item
    assert "第十二条第7项" not in places and "烟花鞭炮" not in texts  # not 平安建设办公室's
    assert any(p.startswith("第十一条") for p in places)  # the duties every body head carries


def test_a_leader_gets_the_bodies_and_sectors_in_their_charge(register: Register) -> None:
    personal = build_personal_list(build_profile(register.person("赵永军"), DAY))
    header = "\n".join(personal.header)
    assert "现任岗位：镇人民政府·分管安全生产副镇长（第二责任人，2022-01-01起）" in header
    in_charge = {line.split("（")[0]: line for line in personal.in_charge}
    assert set(in_charge) == {"平安建设办公室", "交警中队", "镇安全生产委员会及其办公室"}
    assert "烟花爆竹" in in_charge["平安建设办公室"] and "道路交通" in in_charge["交警中队"]
    assert [d.post for d in personal.lists] == ["safety_deputy"]


def test_the_page_exports_the_personal_list(register: Register, users: dict[str, Any], login: Any) -> None:
    person = register.person("交警中队主任")
    client = login(users["leader"])
    page = client.get(reverse("org:person", args=[person.pk])).content.decode()
    docx_url = reverse("org:person_duty_list_docx", args=[person.pk])
    xlsx_url = reverse("org:person_duty_list_xlsx", args=[person.pk])
    assert docx_url in page and xlsx_url in page
    assert "/posts/department_head/" not in page  # the generic list (every body) is no longer the export
    assert "本单位监管的行业领域" in page

    word = client.get(docx_url)
    assert word.status_code == 200
    assert "filename*=UTF-8''" in word["Content-Disposition"]
    text = _text_of_docx(word.content)
    assert "安全生产责任清单（交警中队主任）" in text
    assert "分管范围：无" in text and "查超治违" in text
    assert "烟花鞭炮" not in text and "民爆器材" not in text  # other bodies' Art. 12 items
    assert "责任人（签字）：交警中队主任" in text

    sheet = load_workbook(io.BytesIO(client.get(xlsx_url).content)).active
    assert sheet is not None
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    joined = "\n".join(cells)
    assert "责任人：交警中队主任" in joined and "查超治违" in joined and "烟花鞭炮" not in joined
    numbered = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]]
    assert [int(str(row[0])) for row in numbered] == list(range(1, len(numbered) + 1))
    assert all(row[1] == "各部门及驻镇单位负责人（交警中队）" for row in numbered)

    events = AuditEntry.objects.filter(event="export.person_duty_list").order_by("id")
    assert [e.changes["format"] for e in events] == ["docx", "xlsx"]


def test_someone_without_posts_gets_a_list_that_says_so(register: Register, login: Any) -> None:
    from yigang.org import actions

    nobody = actions.add_person(town=register.town, name="新同志", actor=None)
    client = login(register.officer)
    text = _text_of_docx(client.get(reverse("org:person_duty_list_docx", args=[nobody.pk])).content)
    assert "现任岗位：无" in text and "现任岗位未对应制度岗位" in text


@pytest.mark.parametrize("role", ["other_officer", "nobody"])
def test_outsiders_cannot_export_a_person(
    role: str, register: Register, users: dict[str, Any], login: Any
) -> None:
    url = reverse("org:person_duty_list_xlsx", args=[register.person("巴图").pk])
    assert login(users[role]).get(url).status_code == 404


def test_the_towns_own_duties_on_the_persons_posts_are_on_their_list(
    register: Register, users: dict[str, Any], login: Any
) -> None:
    from yigang.duties.actions import add_town_duty, end_town_duty
    from yigang.org.models import Tenure

    person = register.person("交警中队主任")
    post = Tenure.objects.filter(person=person).select_related("post").get().post
    add_town_duty(
        post=post,
        kind="inspection",
        period="month",
        min_count=1,
        text="每月检查一次辖区道路交通隐患点",
        valid_from=D(2024, 1, 1),
        actor=register.officer,
    )
    ended = add_town_duty(
        post=post,
        kind="meeting",
        period="quarter",
        min_count=2,
        text="已终止的季度会议要求",
        valid_from=D(2023, 1, 1),
        actor=register.officer,
    )
    end_town_duty(duty=ended, last_day=D(2024, 3, 31), actor=register.officer)

    personal = build_personal_list(build_profile(person, DAY))
    assert [(d.post, d.text, d.frequency, d.since) for d in personal.town_duties] == [
        ("交警中队负责人", "每月检查一次辖区道路交通隐患点", "每月至少1次", D(2024, 1, 1))
    ]
    # Still in force on 2024-03-31, not after it.
    assert len(build_personal_list(build_profile(person, D(2024, 3, 31))).town_duties) == 2

    client = login(users["leader"])
    page = client.get(reverse("org:person", args=[person.pk])).content.decode()
    assert (
        "本镇要求" in page and "每月检查一次辖区道路交通隐患点" in page and "已终止的季度会议要求" not in page
    )
    text = _text_of_docx(client.get(reverse("org:person_duty_list_docx", args=[person.pk])).content)
    assert "本镇要求" in text and "每月检查一次辖区道路交通隐患点" in text and "每月至少1次" in text
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("org:person_duty_list_xlsx", args=[person.pk])).content)
    ).active
    assert sheet is not None
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]]
    assert rows[-1][2:5] == ("本镇要求（2024-01-01起）", "每月检查一次辖区道路交通隐患点", "每月至少1次")
    assert [int(str(row[0])) for row in rows] == list(range(1, len(rows) + 1))
