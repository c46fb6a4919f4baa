"""Bulk people, posts and tenures: all rows or none, an error per bad row, export re-imports unchanged."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from yigang.audit.models import AuditEntry
from yigang.org import actions, bulk
from yigang.org.bulk import COLUMNS, ImportRefused, import_xlsx
from yigang.org.models import Person, Post, Tenure, Unit

pytestmark = pytest.mark.django_db
D = datetime.date


def xlsx(*rows: list[object], header: tuple[str, ...] = COLUMNS, title: bool = True) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.append(["人员任职导入表"])
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    [
        "镇人民政府",
        "镇人民政府",
        "镇长",
        "镇长",
        "张建华",
        "13900000001",
        D(2021, 9, 1),
        D(2024, 3, 31),
        "乌党任〔2021〕12号",
    ],
    ["镇人民政府", "", "镇长", "", "巴图", "13900000002", "2024-04-01", None, "乌党任〔2024〕5号"],
    [
        "镇党委",
        "镇党委",
        "镇党委副书记、政法委员",
        "镇党委副书记、政法委员",
        "刘志刚",
        "",
        "2021/9/1",
        None,
        "",
    ],
    ["镇党委", "", "镇党委书记", "镇党委书记", "刘志刚", "", "2021年9月1日", "2021年12月31日", "代理"],
    [
        "巴音敖包嘎查",
        "嘎查村（社区）",
        "巴音敖包嘎查党支部书记",
        "嘎查村（社区）党支部书记",
        "",
        "",
        None,
        None,
        "",
    ],
]


def test_a_good_file_creates_units_posts_people_and_tenures(town: Any, users: dict[str, Any]) -> None:
    result = import_xlsx(town, xlsx(*GOOD), actor=users["officer"], filename="people.xlsx")
    assert result.ok, result.errors
    assert (result.rows, result.units, result.posts, result.people, result.tenures) == (5, 3, 4, 3, 4)
    assert list(
        Tenure.objects.filter(post__title="镇长")
        .order_by("start")
        .values_list("person__name", "start", "end")
    ) == [("张建华", D(2021, 9, 1), D(2024, 3, 31)), ("巴图", D(2024, 4, 1), None)]
    # One person in two posts (党委副书记兼代理书记) is one person.
    assert Person.objects.filter(name="刘志刚").count() == 1
    assert Post.objects.get(title="巴音敖包嘎查党支部书记").kind == "village_secretary"
    assert not Post.objects.get(title="巴音敖包嘎查党支部书记").tenures.exists()
    assert AuditEntry.objects.filter(event="org.import", success=True).count() == 1
    assert AuditEntry.objects.filter(event="org.tenure.appoint").count() == 4


def test_export_then_reimport_changes_nothing(town: Any, users: dict[str, Any]) -> None:
    import_xlsx(town, xlsx(*GOOD), actor=users["officer"])
    exported = bulk.export_xlsx(town, actor=users["officer"])
    sheet = load_workbook(io.BytesIO(exported)).worksheets[0]
    assert [c.value for c in sheet[2]] == list(COLUMNS)
    assert sheet.max_row == 2 + 5  # four tenures and the never-held village seat
    tenures = Tenure.objects.count()
    again = import_xlsx(town, exported, actor=users["officer"])
    assert again.ok, again.errors
    assert (again.tenures, again.people, again.posts, again.unchanged) == (0, 0, 0, 4)
    assert Tenure.objects.count() == tenures


def test_an_open_tenure_is_ended_by_reimporting_it_with_an_end_date(town: Any, users: dict[str, Any]) -> None:
    import_xlsx(town, xlsx(*GOOD), actor=users["officer"])
    row = list(GOOD[1])
    row[7] = "2025-01-31"
    result = import_xlsx(town, xlsx(row), actor=users["officer"])
    assert (result.ok, result.ended) == (True, 1)
    assert Tenure.objects.get(person__name="巴图").end == D(2025, 1, 31)


def test_bad_rows_are_each_reported_and_nothing_is_saved(town: Any, users: dict[str, Any]) -> None:
    rows = [
        GOOD[0],
        ["", "", "镇长", "", "某人", "", "2024-01-01", None, ""],  # row 4: no unit
        [
            "镇人民政府",
            "",
            "副镇长",
            "副县长",
            "王五",
            "",
            "2024-01-01",
            None,
            "",
        ],  # row 5: unknown post kind
        ["镇人民政府", "", "副镇长", "", "王五", "", "2024-13-01", None, ""],  # row 6: bad date
        ["镇人民政府", "", "镇长", "", "巴图", "", "2022-01-01", None, ""],  # row 7: clashes with row 3
        ["新单位", "", "主任", "", "赵六", "", "2024-01-01", None, ""],  # row 8: new unit without kind
        ["镇人民政府", "", "副镇长", "", "", "", "2024-01-01", None, ""],  # row 9: date without a name
        [
            "镇人民政府",
            "",
            "副镇长",
            "",
            "孙七",
            "",
            "2024-05-01",
            "2024-04-01",
            "",
        ],  # row 10: end before start
    ]
    result = import_xlsx(town, xlsx(*rows), actor=users["officer"], filename="bad.xlsx")
    assert not result.ok
    assert [(e.row, e.column.split("（")[0]) for e in result.errors] == [
        (4, "单位"),
        (5, "制度岗位"),
        (6, "任职日期"),
        (7, "任职日期"),
        (8, "单位"),
        (9, "姓名"),
        (10, "离任日期"),
    ]
    by_row = {e.row: e for e in result.errors}
    assert by_row[4].column == "单位（A列）"
    assert "已由张建华担任" in by_row[7].message
    assert "须填写单位类别" in by_row[8].message
    assert "2024-13-01" in by_row[6].message
    assert str(by_row[10]) == "第10行【离任日期（H列）】：离任日期不能早于任职日期"
    # All or none: the good first row was rolled back too.
    assert not Unit.objects.exists() and not Person.objects.exists() and not Tenure.objects.exists()
    assert not AuditEntry.objects.filter(
        event__in=["org.unit.add", "org.person.add", "org.tenure.appoint"]
    ).exists()
    failed = AuditEntry.objects.get(event="org.import")
    assert (failed.success, failed.changes["errors"]) == (False, 7)


def test_a_failure_half_way_leaves_nothing(town: Any, users: dict[str, Any], monkeypatch: Any) -> None:
    real = actions.appoint
    calls = {"n": 0}

    def flaky(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(actions, "appoint", flaky)
    with pytest.raises(RuntimeError):
        import_xlsx(town, xlsx(*GOOD), actor=users["officer"])
    assert calls["n"] == 3
    assert not Person.objects.exists() and not Tenure.objects.exists() and not Unit.objects.exists()


def test_same_named_people_need_a_phone_to_tell_them_apart(town: Any, users: dict[str, Any]) -> None:
    actions.add_person(town=town, name="王芳", phone="1", actor=None)
    actions.add_person(town=town, name="王芳", phone="2", actor=None)
    gov = ["镇人民政府", "镇人民政府", "副镇长", "", "王芳"]
    result = import_xlsx(town, xlsx([*gov, "", "2024-01-01"]), actor=users["officer"])
    assert [(e.row, e.message) for e in result.errors] == [(3, "本镇有2名“王芳”，请填写电话以区分")]
    result = import_xlsx(town, xlsx([*gov, "2", "2024-01-01"]), actor=users["officer"])
    assert result.ok
    assert Tenure.objects.get().person.phone == "2"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not an excel file", "无法读取该文件"),
        (b"PK\x03\x04garbage", "无法读取该文件"),
        (None, "找不到表头"),
    ],
)
def test_an_unreadable_file_is_refused_whole(
    town: Any, users: dict[str, Any], data: bytes | None, message: str
) -> None:
    body = data if data is not None else xlsx(["a", "b"], header=("甲", "乙"))
    with pytest.raises(ImportRefused, match=message):
        import_xlsx(town, body, actor=users["officer"])


def test_columns_may_come_in_any_order_without_a_title_row(town: Any, users: dict[str, Any]) -> None:
    header = ("姓名", "任职日期", "岗位", "单位", "单位类别")
    result = import_xlsx(
        town,
        xlsx(["巴图", "2024-04-01", "镇长", "镇人民政府", "镇人民政府"], header=header, title=False),
        actor=None,
    )
    assert result.ok, result.errors
    assert Tenure.objects.get().person.name == "巴图"


def test_the_template_has_the_header_and_instructions(town: Any) -> None:
    wb = load_workbook(io.BytesIO(bulk.template_xlsx(town)))
    assert [c.value for c in wb.worksheets[0][2]] == list(COLUMNS)
    assert wb.sheetnames == ["人员任职", "填写说明"]
    assert "嘎查村（社区）党支部书记" in str(wb["填写说明"]["B5"].value)
