"""Evidence that holds: entry time and 补录, what a record of each kind must carry, who chaired or organised it."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from yigang.duties.compliance import compute
from yigang.duties.models import DutyRecord

from .conftest import PDF, PNG, at

pytestmark = pytest.mark.django_db
D = datetime.date


def _days_ago(n: int) -> D:
    return timezone.localdate() - datetime.timedelta(days=n)


def test_a_record_keeps_its_entry_time_and_is_late_after_seven_days(
    town: Any, seed: Any, posts: Any, rec: Any
) -> None:
    before = timezone.now()
    on_time = rec(posts["safety"], "meeting", _days_ago(7))  # 7 days after: not yet 补录
    late = rec(posts["safety"], "meeting", _days_ago(8))  # 8 days after: more than 7 → 补录
    assert before <= on_time.entered_at <= timezone.now()
    assert (on_time.is_late, late.is_late) == (False, True)


def test_the_town_sets_the_days_and_an_amendment_keeps_the_first_entry(
    town: Any, seed: Any, posts: Any, rec: Any, users: Any
) -> None:
    from yigang.duties.actions import amend_record, record_data, set_record_rules

    set_record_rules(town=town, late_after_days=3, requirements={}, actor=users["officer"])
    record = rec(posts["safety"], "meeting", _days_ago(5))  # 5 > 3 → 补录
    assert record.is_late
    data = record_data(record)
    data.occurred_at = timezone.make_aware(datetime.datetime.combine(_days_ago(2), datetime.time(9)))
    fixed = amend_record(record=record, data=data, reason="日期记错", actor=None)
    # Entered 2 days after the corrected date (the first entry's time counts): no longer 补录.
    assert fixed.entered_at == record.entered_at and not fixed.is_late


def test_late_records_count_and_are_counted_apart(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any, users: Any, login: Any
) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    for day in [D(2025, 2, 1), D(2025, 5, 1), D(2025, 8, 1), D(2025, 11, 1)]:
        rec(posts["mayor"], "meeting", day)  # entered today, months after: all four 补录
    result = compute(town, 2025, today=D(2026, 1, 10))
    (row,) = [r for r in result.rows if r.post_id == posts["mayor"].pk and r.kind == "meeting"]
    # 4 done of 4 required: met, and all 4 of them 补录.
    assert (row.required, row.done, row.late, row.status) == (4, 4, 4, "met")
    assert row.as_json()["late"] == 4
    client = login(users["officer"])
    overview = client.get(reverse("duties:overview") + "?year=2025").content.decode()
    assert 'id="late-records"' in overview and "有 4 条为补录" in overview
    listing = client.get(reverse("duties:records") + "?year=2025").content.decode()
    assert listing.count('class="badge late"') == 4
    api = client.get("/api/duties/records", {"town": town.code, "year": 2025}).json()
    assert {r["is_late"] for r in api} == {True} and all(r["entered_at"] for r in api)


def test_a_meeting_entered_by_hand_must_carry_its_minutes(
    town: Any, seed: Any, posts: Any, users: Any
) -> None:
    from yigang.duties.actions import RecordData, Upload, create_record, set_record_rules

    def meeting(**extra: Any) -> Any:
        return RecordData(
            kind="meeting",
            occurred_at=timezone.now(),
            title="安全生产例会",
            place="会议室",
            summary="部署。",
            participants="",
            posts=[posts["safety"]],
            **extra,
        )

    with pytest.raises(ValidationError) as refused:
        create_record(town=town, data=meeting(), actor=users["officer"])
    assert refused.value.messages == ["该类记录须附会议纪要、签到表等附件。"]
    assert not DutyRecord.objects.exists()  # nothing half-saved
    create_record(town=town, data=meeting(), files=[Upload(io.BytesIO(PDF), "纪要.pdf")], actor=None)
    # An inspection: a photo or the findings.
    inspection = meeting(findings="")
    inspection.kind = "inspection"
    with pytest.raises(ValidationError):
        create_record(town=town, data=inspection, actor=None)
    create_record(town=town, data=inspection, files=[Upload(io.BytesIO(PNG), "现场.png")], actor=None)
    inspection.findings = "未发现问题。"
    create_record(town=town, data=inspection, actor=None)
    # The town may ask less (or more): with no requirement for meetings the bare meeting goes in.
    set_record_rules(town=town, late_after_days=7, requirements={"training": ["participants"]}, actor=None)
    create_record(town=town, data=meeting(), actor=None)
    # A ledger imported from a spreadsheet is not held to the file requirements.
    set_record_rules(town=town, late_after_days=7, requirements={"meeting": ["attachment"]}, actor=None)
    create_record(town=town, data=meeting(), source="import", actor=None)
    assert DutyRecord.objects.count() == 5


def test_the_officer_edits_the_rules_on_their_page(town: Any, users: Any, login: Any) -> None:
    from yigang.duties.models import RecordRules

    client = login(users["officer"])
    page = client.get(reverse("duties:rules")).content.decode()
    assert 'name="late_after_days"' in page and 'value="7"' in page
    response = client.post(
        reverse("duties:rules"), {"late_after_days": "10", "req_inspection": ["photo_or_findings"]}
    )
    assert response.status_code == 302
    rules = RecordRules.objects.get(town=town)
    assert (rules.late_after_days, rules.requirements) == (10, {"inspection": ["photo_or_findings"]})
    bad = client.post(reverse("duties:rules"), {"late_after_days": "-1"})
    assert bad.status_code == 200 and RecordRules.objects.get(town=town).late_after_days == 10


def test_a_duty_that_says_organise_counts_only_what_the_post_organised(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any
) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    appoint(posts["safety"], "李强", D(2020, 1, 1))
    # A joint inspection led by the deputy in charge of safety; the mayor took part.
    rec([posts["mayor"], posts["safety"]], "inspection", D(2025, 3, 18), led=[posts["safety"]])
    # One the mayor organised himself.
    rec([posts["mayor"]], "inspection", D(2025, 6, 18))
    result = compute(town, 2025, today=D(2026, 1, 10))
    # 镇长 第五条第四项 "适时组织开展……检查整治（每年至少4次）": only the June one is his → 1 of 4.
    (mayor,) = [r for r in result.rows if r.post_id == posts["mayor"].pk and r.kind == "inspection"]
    assert (mayor.required, mayor.done) == (4, 1)
    # 副镇长 第九条第四项 "组织开展专项检查（每月至少1次）": March is met by the one he led.
    march = [
        r
        for r in result.rows
        if r.post_id == posts["safety"].pk and r.kind == "inspection" and r.period_start == D(2025, 3, 1)
    ]
    assert [(r.required, r.done) for r in march] == [(1, 1)]


def test_led_posts_must_be_among_the_credited(town: Any, posts: Any) -> None:
    from yigang.duties.actions import RecordData, create_record

    with pytest.raises(ValidationError, match="主持或组织的岗位须是认定的岗位之一"):
        create_record(
            town=town,
            data=RecordData(
                kind="hearing",
                occurred_at=timezone.now(),
                title="听取汇报",
                place="会议室",
                summary="听取。",
                participants="",
                posts=[posts["mayor"]],
                led=[posts["safety"]],
            ),
            actor=None,
        )


def test_the_demo_alone_may_set_an_entry_time(town: Any, posts: Any) -> None:
    from yigang.duties.actions import RecordData, create_record

    data = RecordData("hearing", timezone.now(), "听取汇报", "会议室", "听取。", "", [posts["mayor"]])
    with pytest.raises(ValueError, match="demo"):
        create_record(town=town, data=data, entered_at=timezone.now(), actor=None)


def test_an_inspection_duty_is_met_by_the_kinds_the_town_counts_as_inspection(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any, users: Any
) -> None:
    from yigang.duties.actions import set_record_rules

    appoint(posts["safety"], "李强", D(2020, 1, 1))
    rec(posts["safety"], "guided_inspection", D(2025, 1, 10), title="督导检查")
    rec(posts["safety"], "rectification", D(2025, 2, 10), title="燃气专项整治")
    rec(posts["safety"], "survey_inspection", D(2025, 3, 10), title="调研检查")
    rec(posts["safety"], "meeting", D(2025, 4, 10), title="例会")  # a meeting is no inspection

    def months() -> list[int]:
        rows = compute(town, 2025, today=D(2026, 1, 10)).rows
        return [r.done for r in rows if r.post_id == posts["safety"].pk and r.kind == "inspection"][:4]

    # 副镇长 第九条第四项 检查 每月至少1次: January–March met by the three kinds, April not.
    assert months() == [1, 1, 1, 0]
    # The 安委办 narrows the table: only 检查 and 督导检查 count as inspection.
    set_record_rules(
        town=town,
        late_after_days=7,
        requirements={},
        matches={"inspection": ["guided_inspection"]},
        actor=users["officer"],
    )
    assert months() == [1, 0, 0, 0]


def test_the_rules_page_edits_the_table(town: Any, users: Any, login: Any) -> None:
    from yigang.duties.models import RecordRules

    client = login(users["officer"])
    page = client.get(reverse("duties:rules")).content.decode()
    # The defaults are ticked: an inspection duty is met by 督导检查, 专项整治, 调研检查.
    assert 'name="match_inspection" value="rectification"' in page
    response = client.post(
        reverse("duties:rules"),
        {"late_after_days": "7", "match_inspection": ["inspection", "rectification"], "match_meeting": []},
    )
    assert response.status_code == 302
    matches = RecordRules.objects.get(town=town).matches
    assert matches["inspection"] == ["inspection", "rectification"] and matches["meeting"] == ["meeting"]


def test_the_migration_dates_existing_records_by_their_creation(
    town: Any, seed: Any, posts: Any, rec: Any
) -> None:
    import importlib

    from django.apps import apps

    from yigang.duties.actions import amend_record, record_data
    from yigang.duties.models import Credit

    first = rec(posts["safety"], "meeting", D(2025, 3, 1))
    second = amend_record(record=first, data=record_data(first), reason="补充", actor=None)
    created = at(D(2025, 3, 5))  # 4 days after: not 补录
    DutyRecord.objects.filter(pk=first.pk).update(created_at=created)
    DutyRecord.objects.filter(pk=second.pk).update(created_at=timezone.now())
    DutyRecord.objects.update(entered_at=timezone.now(), is_late=True)
    Credit.objects.update(led=False)
    migration = importlib.import_module("yigang.duties.migrations.0002_evidence")
    migration.backfill(apps, None)
    # Both versions were entered when the first was created; 4 days after the day: not 补录. Every credited
    # post is taken as leading, as every credit counted before.
    assert {(r.entered_at, r.is_late) for r in DutyRecord.objects.all()} == {(created, False)}
    assert set(Credit.objects.values_list("led", flat=True)) == {True}
