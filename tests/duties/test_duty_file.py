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


def _record_table(doc: Any) -> Any:
    return next(t for t in doc.tables if t.rows[0].cells[0].text == "日期")


def test_the_word_file_shows_each_records_summary_participants_attachments_entry_time_and_marks(
    world: Any, rec: Any, posts: Any
) -> None:
    from django.utils import timezone

    from yigang.duties.actions import amend_record, record_data
    from yigang.duties.duty_file import LATE_ATTRIBUTE, duty_file_docx, duty_file_xlsx
    from yigang.duties.models import DutyRecord

    from .conftest import at

    # The world's inspection (2025-03-18) is created today, so under the rule it is 补录 (entered more than
    # the town's days after the day it reports): enter it on its own day here, so it carries no mark.
    on_time = at(datetime.date(2025, 3, 18), 18, 0)
    DutyRecord.objects.filter(pk=world["record"].pk).update(entered_at=on_time, is_late=False)
    wrong = rec(posts["mayor"], "meeting", datetime.date(2025, 2, 10), title="误录的会议")
    amend_record(record=wrong, data=record_data(wrong), reason="并未召开", withdraw=True, actor=None)
    file = build_duty_file(world["mayor"], 2025, today=datetime.date(2026, 1, 5))
    inspection = next(r for r in file.records if r.title == "春季安全生产联合检查")
    entered = f"{timezone.localtime(inspection.entered_at):%Y-%m-%d %H:%M}"
    assert entered == "2025-03-18 18:00"  # the entry time, not when the row was written (created_at)
    doc = Document(io.BytesIO(duty_file_docx(file)))
    table = _record_table(doc)
    assert [c.text for c in table.rows[0].cells] == [
        "日期",
        "方式",
        "主题及内容摘要",
        "参加人员",
        "附件",
        "填报时间",
        "标记",
    ]
    rows = {r.cells[2].text.split("\n")[0]: [c.text for c in r.cells] for r in table.rows[1:]}
    spring = rows["春季安全生产联合检查"]
    assert "检查加油站消防器材和应急预案。" in spring[2] and "地点：乌审召嘎查加油站" in spring[2]
    assert spring[3] == "应急办、派出所"
    assert spring[4] == "现场照片.png"
    assert spring[5] == entered
    assert spring[6] == ""
    # Entered today for 2025-02-10, so really 补录 (the amendment keeps the first entry's time), then withdrawn.
    assert rows["误录的会议"][6] == "补录、已撤销、第2版"
    assert rows["误录的会议"][4] == "—"

    # 补录 shows wherever the record model says the entry was late; without the field nothing is marked.
    setattr(inspection, LATE_ATTRIBUTE, True)
    doc = Document(io.BytesIO(duty_file_docx(file)))
    marks = {r.cells[2].text.split("\n")[0]: r.cells[6].text for r in _record_table(doc).rows[1:]}
    assert marks["春季安全生产联合检查"] == "补录"

    wb = load_workbook(io.BytesIO(duty_file_xlsx(file)))
    assert wb.sheetnames == ["履职档案", "履职记录"]
    sheet = wb["履职记录"]
    header = [c.value for c in sheet[2]]
    found = {
        row[2]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)
    }
    spring_row = found["春季安全生产联合检查"]
    assert spring_row["内容摘要或会议纪要"] == "检查加油站消防器材和应急预案。"
    assert spring_row["参加人员"] == "应急办、派出所"
    assert spring_row["附件"] == "现场照片.png"
    assert spring_row["填报时间"] == entered
    assert spring_row["标记"] == "补录"
    assert set(spring_row["认定岗位"].split("、")) == {"镇长", "分管安全生产副镇长"}
    assert found["误录的会议"]["标记"] == "补录、已撤销、第2版"


def test_the_excel_duty_sheet_keeps_counts_as_numbers_under_their_headers(
    world: Any, rec: Any, posts: Any
) -> None:
    from yigang.duties.duty_file import duty_file_xlsx

    rec(posts["mayor"], "meeting", datetime.date(2025, 2, 10), title="二月安全生产会议")
    file = build_duty_file(world["mayor"], 2025, today=datetime.date(2026, 1, 5))
    ws = load_workbook(io.BytesIO(duty_file_xlsx(file)))["履职档案"]
    header = [c.value for c in ws[2]]
    assert header[3:5] == ["应完成", "已完成"]
    meeting = next(r for r in file.rows if r.kind == "meeting" and r.period == "year")
    row = next(r for r in ws.iter_rows(min_row=3) if r[6].value and "二月安全生产会议" in str(r[6].value))
    assert (row[3].value, row[4].value) == (meeting.required, meeting.done)
    assert row[3].data_type == row[4].data_type == "n"
    assert all(len(r) == len(header) for r in ws.iter_rows(min_row=3))


def test_the_file_computes_only_the_persons_posts_and_gets_the_whole_towns_rows(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    """build_duty_file computes the posts the person held, not the whole town (a page needs one person): its
    rows are exactly the whole town-year's rows for that person, whatever their tenures look like — a post
    that changed holder mid-year, two posts at once, a tenure that ended in the days ISO week 1 borrows from
    the previous year, a person with no post this year."""
    from yigang.duties.compliance import compute
    from yigang.org import actions

    D = datetime.date
    # 2025's ISO week 1 starts on 2024-12-30: a mayor whose tenure ended on 2024-12-31 still has two days of
    # the weekly duty's first 2025 period.
    edge = appoint(posts["mayor"], "其其格", D(2024, 1, 1), D(2024, 12, 31))
    first = appoint(posts["mayor"], "巴图", D(2025, 1, 1), D(2025, 6, 14))
    second = appoint(posts["mayor"], "乌力吉", D(2025, 6, 15))
    both = appoint(posts["safety"], "李强", D(2025, 2, 1))
    actions.appoint(post=posts["secretary"], person=both, start=D(2025, 3, 1), end=D(2025, 9, 30), actor=None)
    idle = appoint(posts["secretary"], "额尔敦", D(2019, 1, 1), D(2020, 12, 31))
    rec(posts["mayor"], "meeting", D(2025, 3, 3))
    rec([posts["mayor"], posts["safety"]], "inspection", D(2025, 7, 1))
    rec(posts["secretary"], "inspection", D(2025, 4, 9))
    rec(posts["mayor"], "training", D(2024, 12, 31))
    today = D(2025, 10, 20)
    whole = compute(town, 2025, today=today)
    for person in (first, second, both, edge, idle):
        file = build_duty_file(person, 2025, today=today)
        assert file.rows == whole.for_person(person.pk), person.name
    assert {r.post_id for r in whole.for_person(both.pk)} == {posts["safety"].pk, posts["secretary"].pk}
    assert whole.for_person(edge.pk), "the ISO week spill-over gives the 2024 holder rows in 2025"
