"""The .xlsx template import: all rows or none, an error per bad cell with row, column and reason."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from yigang.duties.importer import COLUMNS, import_records, template_xlsx
from yigang.duties.models import DutyRecord

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[Any]], header: tuple[str, ...] = COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "履职记录"
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    [
        datetime.date(2025, 3, 3),
        "09:30",
        "会议",
        "三月安全生产会议",
        "镇政府",
        "镇长",
        "各部门",
        "部署春季检查",
    ],
    ["2025/3/18", None, "检查", "联合检查", "加油站", "镇长、分管安全生产副镇长", "", "检查消防器材"],
    ["2025年4月2日", "14:00", "training", "安全培训", "嘎查活动室", "乌审召嘎查党支部书记", "", "宣讲"],
]


def test_the_template_lists_the_columns_kinds_and_posts(town: Any, posts: Any) -> None:
    wb = load_workbook(io.BytesIO(template_xlsx(town)))
    assert [c.value for c in wb["履职记录"][1]] == list(COLUMNS)
    help_text = "\n".join(str(c.value) for c in wb["填写说明"]["A"] if c.value)
    assert "镇人民政府/镇长" in help_text and "专项行动" in help_text


def test_a_good_sheet_is_imported_whole(town: Any, seed: Any, posts: Any, users: Any) -> None:
    result = import_records(town=town, data=_xlsx(GOOD), filename="records.xlsx", actor=users["officer"])
    assert (result.created, result.errors) == (3, [])
    joint = DutyRecord.objects.get(title="联合检查")
    assert joint.occurred_on == datetime.date(2025, 3, 18) and joint.source == "import"
    assert {c.post.title for c in joint.credits.all()} == {"镇长", "分管安全生产副镇长"}


def test_one_bad_row_and_nothing_is_saved(town: Any, seed: Any, posts: Any, users: Any) -> None:
    rows = [
        *GOOD,
        ["2025-13-01", "25:00", "喝茶", "", "镇政府", "县长", "", ""],
        [datetime.date(2099, 1, 1), None, "会议", "未来的会", "镇政府", "镇长", "", "x"],
    ]
    result = import_records(town=town, data=_xlsx(rows), filename="bad.xlsx", actor=users["officer"])
    assert result.created == 0 and not DutyRecord.objects.exists()
    found = {(e.row, e.column): e.reason for e in result.errors}
    assert found[(5, "履职日期")].startswith("日期格式不正确")
    assert found[(5, "时间")].startswith("时间格式不正确")
    assert found[(5, "履职方式")].startswith("履职方式须为")
    assert found[(5, "主题")] == "必填"
    assert found[(5, "认定岗位")] == "本镇没有名为“县长”的岗位"
    assert found[(5, "内容摘要")] == "必填"
    assert found[(6, "履职日期")] == "不能晚于今天"
    assert str(result.errors[0]).startswith("第 5 行「")


def test_rows_the_action_refuses_roll_back_the_whole_sheet(
    town: Any, seed: Any, posts: Any, appoint: Any, users: Any
) -> None:
    from yigang.org.models import Person

    person = appoint(posts["mayor"], "巴图", datetime.date(2020, 1, 1))
    Person.objects.filter(pk=person.pk).update(user=users["leader"])
    # The leader may credit the mayor's post but not the safety deputy's (row 3).
    result = import_records(town=town, data=_xlsx(GOOD[:2]), filename="x.xlsx", actor=users["leader"])
    assert result.created == 0 and not DutyRecord.objects.exists()
    assert [(e.row, e.column) for e in result.errors] == [(3, "认定岗位")]
    assert "无权" in result.errors[0].reason and result.refused  # the page answers 403 and audits it


def test_ambiguous_post_names_need_the_unit(town: Any, seed: Any, posts: Any, users: Any) -> None:
    from yigang.org import actions

    other = actions.add_unit(town=town, name="镇党委办", actor=None)
    actions.add_post(unit=other, title="镇长", kind="mayor", actor=None)
    result = import_records(town=town, data=_xlsx(GOOD[:1]), filename="x.xlsx", actor=None)
    assert "重名" in result.errors[0].reason
    row = [*GOOD[0][:5], "镇人民政府/镇长", *GOOD[0][6:]]
    assert import_records(town=town, data=_xlsx([row]), filename="x.xlsx", actor=None).created == 1


def test_the_page_shows_errors_per_row(town: Any, seed: Any, posts: Any, users: Any, login: Any) -> None:
    client = login(users["officer"])
    upload = io.BytesIO(_xlsx([["2025-03-03", "", "会议", "", "镇政府", "镇长", "", ""]]))
    upload.name = "bad.xlsx"
    html = client.post(reverse("duties:import"), {"file": upload}).content.decode()
    assert "未导入任何记录" in html and "<td>2</td><td>主题</td><td>必填</td>" in html
    not_excel = io.BytesIO(b"just text")
    not_excel.name = "x.xlsx"
    html = client.post(reverse("duties:import"), {"file": not_excel}).content.decode()
    assert "不是有效的 Excel" in html
    good = io.BytesIO(_xlsx(GOOD))
    good.name = "good.xlsx"
    response = client.post(reverse("duties:import"), {"file": good})
    assert response.status_code == 302 and DutyRecord.objects.count() == 3


def test_a_sheet_without_the_template_header_is_refused(town: Any, seed: Any, posts: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="表头缺少"):
        import_records(town=town, data=_xlsx(GOOD, header=("日期", "内容")), filename="x.xlsx", actor=None)
