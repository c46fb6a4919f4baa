"""The .xlsx import writes in bulk: the same records and credits as hand entry, one audit entry per file, and
still every row or none."""

from __future__ import annotations

import datetime
import hashlib
import io
from typing import Any

import pytest
from openpyxl import Workbook

from yigang.audit.log import verify_chain
from yigang.audit.models import AuditEntry
from yigang.duties import access
from yigang.duties.actions import RecordData, create_record
from yigang.duties.importer import COLUMNS, import_records
from yigang.duties.models import Credit, DutyRecord, Source

pytestmark = pytest.mark.django_db
D = datetime.date


def _xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "履职记录"
    ws.append(list(COLUMNS))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# A late entry (补录), a joint inspection across the mayor's change of holder, a village's training, and a row
# whose text needs the same trimming hand entry does.
ROWS = [
    [D(2024, 3, 28), "09:30", "会议", "三月安全生产会议", "镇政府", "镇长", "各部门", "部署春季检查"],
    [D(2024, 4, 2), None, "检查", "联合检查", "加油站", "镇长、分管安全生产副镇长", "", "检查消防器材"],
    [
        D(2025, 4, 2),
        "14:00",
        "training",
        "  安全   培训 ",
        "嘎查活动室",
        "乌审召嘎查党支部书记",
        "",
        " 宣讲 ",
    ],
]


@pytest.fixture
def holders(posts: Any, appoint: Any) -> dict[str, Any]:
    return {
        "old_mayor": appoint(posts["mayor"], "张建华", D(2021, 9, 1), D(2024, 3, 31)),
        "mayor": appoint(posts["mayor"], "巴图", D(2024, 4, 1)),
        "safety": appoint(posts["safety"], "赵永军", D(2021, 9, 1)),
    }


def _fields(record: DutyRecord) -> dict[str, Any]:
    skip = {"id", "created_at", "entered_at", "source", "root", "amends"}
    values = {
        f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields if f.name not in skip
    }
    credits = sorted((c.post_id, c.person_id, c.led, c.town_id) for c in Credit.objects.filter(record=record))
    return {**values, "credits": credits}


def test_an_imported_row_is_stored_as_hand_entry_would_store_it(
    town: Any, seed: Any, posts: Any, holders: Any, users: Any
) -> None:
    from yigang.duties.importer import _parse, _PostIndex

    officer = users["officer"]
    result = import_records(town=town, data=_xlsx(ROWS), filename="records.xlsx", actor=officer)
    assert (result.created, result.errors) == (3, [])
    imported = list(DutyRecord.objects.filter(source=Source.IMPORT).order_by("occurred_at"))
    index = _PostIndex(town)
    by_hand = []
    for number, row in enumerate(ROWS, start=2):
        data, errors = _parse(number, dict(zip(COLUMNS, row, strict=True)), index)
        assert data is not None and not errors
        # One at a time through `create_record`, the path of the form and the API (the same source, so the
        # town's attachment requirements — for the form and the API only — do not apply to either).
        by_hand.append(create_record(town=town, data=data, source=Source.IMPORT, actor=officer))
    for mine, theirs in zip(imported, by_hand, strict=True):
        assert _fields(mine) == _fields(theirs)
        assert abs(mine.entered_at - theirs.entered_at) < datetime.timedelta(minutes=1)
        assert mine.created_by == officer
    # The evidence fields mean something: the 2024 rows are 补录, the joint one credits both holders of the day.
    assert [r.is_late for r in imported] == [True, True, True]
    joint = imported[1]
    assert sorted(joint.credits.values_list("person_id", flat=True)) == sorted(
        [holders["mayor"].pk, holders["safety"].pk]
    )
    assert imported[0].credits.get().person_id == holders["old_mayor"].pk
    assert imported[2].title == "安全 培训" and imported[2].summary == "宣讲"


def test_one_audit_entry_names_the_file_and_the_records(
    town: Any, seed: Any, posts: Any, holders: Any, users: Any
) -> None:
    data = _xlsx(ROWS)
    before = AuditEntry.objects.count()
    import_records(town=town, data=data, filename="三月.xlsx", actor=users["officer"])
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [e.event for e in entries] == ["duties.record.import"]
    entry = entries[0]
    ids = sorted(DutyRecord.objects.filter(source=Source.IMPORT).values_list("pk", flat=True))
    covered = [pk for first, last in entry.changes["ids"] for pk in range(first, last + 1)]
    assert covered == ids
    assert entry.changes["filename"] == "三月.xlsx"
    assert entry.changes["sha256"] == hashlib.sha256(data).hexdigest()
    assert (entry.changes["rows"], entry.changes["records"], entry.changes["late"]) == (3, 3, 3)
    assert entry.user == users["officer"] and entry.town == town and entry.success
    assert verify_chain().ok


def test_a_row_refused_by_the_rules_of_hand_entry_saves_nothing(
    town: Any, seed: Any, posts: Any, appoint: Any, users: Any
) -> None:
    from yigang.org.models import Person

    leader = users["leader"]
    person = appoint(posts["mayor"], "巴图", D(2024, 4, 1))
    Person.objects.filter(pk=person.pk).update(user=leader)
    # Every cell is fine, and the leader may credit the mayor's post — but not before they held it (row 3).
    mayor_only = [*ROWS[1][:5], "镇长", *ROWS[1][6:]]
    rows = [mayor_only, ROWS[0], mayor_only]
    before = AuditEntry.objects.count()
    result = import_records(town=town, data=_xlsx(rows), filename="x.xlsx", actor=leader)
    assert result.created == 0 and not result.refused
    assert [(e.row, e.column) for e in result.errors] == [(3, "整行")]
    assert "无权" in result.errors[0].reason and "该日期" in result.errors[0].reason
    assert not DutyRecord.objects.exists() and not Credit.objects.exists()
    assert AuditEntry.objects.count() == before


def test_a_bulk_import_of_many_rows_is_one_write(
    town: Any, seed: Any, posts: Any, holders: Any, users: Any, django_assert_max_num_queries: Any
) -> None:
    rows = [
        [D(2025, 1, 1) + datetime.timedelta(days=n % 300), "", "检查", f"检查{n}", "镇政府", "镇长", "", "x"]
        for n in range(600)
    ]
    data = _xlsx(rows)
    with django_assert_max_num_queries(40):  # not one query (or one audit entry) per row
        result = import_records(town=town, data=data, filename="big.xlsx", actor=users["officer"])
    assert result.created == 600 and Credit.objects.count() == 600
    assert AuditEntry.objects.filter(event="duties.record.import").count() == 1


def test_credit_rights_answer_as_creditable_posts_does(
    town: Any, seed: Any, posts: Any, appoint: Any, users: Any
) -> None:
    from yigang.org.models import Person
    from yigang.towns.models import Membership, Role

    person = appoint(posts["mayor"], "巴图", D(2024, 4, 1), D(2025, 6, 30))
    Person.objects.filter(pk=person.pk).update(user=users["leader"])
    Membership.objects.filter(user=users["body_staff"], role=Role.BODY_STAFF).update(
        unit=posts["village"].unit
    )
    days = [None, D(2024, 3, 31), D(2024, 4, 1), D(2025, 6, 30), D(2025, 7, 1)]
    every = list(posts.values())
    from django.contrib.auth.models import AnonymousUser

    for user in [*users.values(), AnonymousUser()]:
        rights = access.CreditRights.load(user, town)
        for day in days:
            expected = set(access.creditable_posts(user, town, day).values_list("pk", flat=True))
            assert {p.pk for p in every if rights.may_credit(p.pk, day)} == expected, (user, day)
        if getattr(user, "is_authenticated", False):
            assert rights.foreign(town, every) == access.foreign_posts(user, town, every), user


def test_the_demo_loader_cannot_bulk_enter(town: Any, seed: Any, posts: Any) -> None:
    from yigang.duties.actions import create_records

    moment = datetime.datetime(2025, 1, 2, 12, tzinfo=datetime.UTC)
    data = RecordData("meeting", moment, "会议", "镇政府", "纪要", "", [posts["mayor"]])
    with pytest.raises(ValueError, match="demo"):
        create_records(town=town, data=[data], source=Source.DEMO, actor=None)
