"""The annual duty file of a person, on the page and exported to Word and Excel."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from yigang.audit.models import AuditEntry
from yigang.duties.duty_file import build_duty_file

pytestmark = pytest.mark.django_db


def test_the_file_holds_every_duty_period_and_the_records_behind_each(
    world: Any, rec: Any, posts: Any
) -> None:
    rec(posts["mayor"], "meeting", datetime.date(2025, 2, 10), title="二月安全生产会议")
    file = build_duty_file(world["mayor"], 2025, today=datetime.date(2026, 1, 5))
    kinds = {(r.kind, r.period) for r in file.rows}
    assert {
        ("meeting", "year"),
        ("inspection", "year"),
        ("training", "week"),
        ("research", "quarter"),
    } <= kinds
    meeting = next(r for r in file.rows if r.kind == "meeting" and r.period == "year")
    assert [ref.title for ref in meeting.records] == ["二月安全生产会议"]
    assert [r.title for r in file.records] == ["二月安全生产会议", "春季安全生产联合检查"]
    assert file.tenure_lines() == ["镇人民政府镇长：2020年01月01日至今"]


def test_word_and_excel_exports_are_ready_to_sign(world: Any, users: Any, login: Any) -> None:
    client = login(users["leader"])
    url = reverse("duties:person_year_docx", args=[world["mayor"].pk, 2025])
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "乌审召镇2025年度安全生产履职档案" in text and "巴图" in text and "本人签字" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "春季安全生产联合检查" in " ".join(cells)
    assert "每年至少4次" in " ".join(cells)
    xlsx = client.get(reverse("duties:person_year_xlsx", args=[world["mayor"].pk, 2025]))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert any("春季安全生产联合检查" in v for v in values) and "本人签字：" in values
    assert AuditEntry.objects.filter(event="export.duty_file").count() == 2


def test_the_page_lists_the_persons_rows(world: Any, users: Any, login: Any) -> None:
    html = (
        login(users["county_viewer"])
        .get(reverse("duties:person_year", args=[world["safety"].pk, 2025]))
        .content.decode()
    )
    assert "李强" in html and "每月至少1次" in html and "春季安全生产联合检查" in html
