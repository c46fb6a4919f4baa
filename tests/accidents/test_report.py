"""Recording an accident: graded, versioned (never edited), 迟报 flagged with its delay, bad input refused whole."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yigang.accidents import actions
from yigang.accidents.models import Accident, Report
from yigang.audit.models import AuditEntry

from .conftest import SH, Register, make_data

pytestmark = pytest.mark.django_db


def test_it_records_the_report_graded_with_its_reasons(register: Register, officer: Any) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    report = accident.latest
    assert report is not None and report.version == 1
    assert (report.grade, report.deaths, report.direct_loss) == ("一般", 1, Decimal("120000.00"))
    assert report.occurred_on == datetime.date(2025, 6, 3)
    assert report.late_by is None  # told the county 40 minutes after the unit head learned of it
    assert report.unit_label == "个体运输户 张某"
    entry = AuditEntry.objects.get(event="accidents.report")
    assert entry.changes["grade"] == "一般" and entry.changes["direct_loss"] == "120000.00"


def test_a_report_to_the_county_more_than_an_hour_late_is_flagged_with_the_delay(
    register: Register, officer: Any
) -> None:
    learned = datetime.datetime(2025, 6, 3, 14, 30, tzinfo=SH)
    in_time = actions.report_accident(
        town=register.town,
        data=make_data(register, learned_at=learned, reported_at=learned + datetime.timedelta(hours=1)),
        actor=officer,
    )
    assert in_time.latest is not None and in_time.latest.late_by is None
    late = actions.report_accident(
        town=register.town,
        data=make_data(
            register, learned_at=learned, reported_at=learned + datetime.timedelta(hours=3, minutes=5)
        ),
        actor=officer,
    )
    assert late.latest is not None and late.latest.is_late
    assert late.latest.late_by == datetime.timedelta(hours=2, minutes=5)


def test_a_change_is_a_new_version_and_the_grade_history_is_kept(register: Register, officer: Any) -> None:
    accident = actions.report_accident(
        town=register.town,
        data=make_data(
            register,
            deaths=2,
            kind="other",
            sector="农机",
            occurred_at=timezone.now() - datetime.timedelta(days=2),
        ),
        actor=officer,
    )
    first = accident.latest
    assert first is not None and first.grade == "一般"
    data = actions.report_data(first)
    data.deaths = 3
    second = actions.change_report(
        accident=accident, data=data, reason="一名重伤者抢救无效死亡", actor=officer
    )
    data.direct_loss = Decimal("50000000")
    third = actions.change_report(accident=accident, data=data, reason="核定直接经济损失", actor=officer)
    versions = list(Report.objects.filter(accident=accident).order_by("version"))
    assert [(v.version, v.deaths, v.grade) for v in versions] == [
        (1, 2, "一般"),
        (2, 3, "较大"),
        (3, 3, "重大"),
    ]
    assert second.casualties_changed and not second.past_window and second.changed == ["deaths"]
    assert not third.casualties_changed and third.changed == ["direct_loss"]
    first.refresh_from_db()
    assert (first.deaths, first.grade) == (2, "一般")  # the earlier version is untouched
    accident.refresh_from_db()
    assert accident.latest_id == third.pk
    entry = AuditEntry.objects.filter(event="accidents.change").order_by("id").first()
    assert entry is not None and entry.changes["fields"] == {"deaths": [2, 3]}
    assert entry.changes["grade"] == ["一般", "较大"]


def test_a_change_needs_a_reason_and_a_difference(register: Register, officer: Any) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    assert accident.latest is not None
    data = actions.report_data(accident.latest)
    with pytest.raises(ValidationError, match="变更说明"):
        actions.change_report(accident=accident, data=data, reason=" ", actor=officer)
    with pytest.raises(ValidationError, match="没有任何变化"):
        actions.change_report(accident=accident, data=data, reason="核实", actor=officer)
    assert Report.objects.filter(accident=accident).count() == 1


def _recent(register: Register, officer: Any, days: float, kind: str) -> Accident:
    occurred = timezone.now() - datetime.timedelta(days=days)
    return actions.report_accident(
        town=register.town, data=make_data(register, occurred_at=occurred, kind=kind), actor=officer
    )


@pytest.mark.parametrize(
    ("kind", "days", "past"),
    [
        # The accident N days ago (same time of day): today is day N of the window, which holds until 24:00.
        ("road_traffic", 6, False),
        ("road_traffic", 7, False),  # day 7: the last day, still in
        ("road_traffic", 8, True),  # day 8: out
        ("fire", 7, False),
        ("fire", 8, True),
        ("other", 8, False),
        ("other", 30, False),
        ("other", 31, True),
    ],
)
def test_a_casualty_change_past_its_window_is_recorded_but_flagged(
    register: Register, officer: Any, kind: str, days: float, past: bool
) -> None:
    accident = _recent(register, officer, days, kind)
    assert accident.latest is not None
    data = actions.report_data(accident.latest)
    data.serious_injuries = 1
    report = actions.change_report(accident=accident, data=data, reason="补报重伤 1 人", actor=officer)
    assert report.casualties_changed
    assert report.past_window is past


def test_a_correction_of_other_fields_past_the_window_is_not_a_late_supplement(
    register: Register, officer: Any
) -> None:
    accident = _recent(register, officer, 20, "road_traffic")
    assert accident.latest is not None
    data = actions.report_data(accident.latest)
    data.address = "S215 线 39 公里处"
    report = actions.change_report(accident=accident, data=data, reason="地点更正", actor=officer)
    assert not report.casualties_changed and not report.past_window


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"occurred_at": timezone.now() + datetime.timedelta(days=1)}, "发生时间不能晚于当前时间"),
        (
            {"learned_at": datetime.datetime(2025, 6, 3, 14, 0, tzinfo=SH)},
            "接到报告时间不能早于事故发生时间",
        ),
        (
            {"reported_at": datetime.datetime(2025, 6, 3, 14, 25, tzinfo=SH)},
            "报告时间不能早于单位负责人接到报告时间",
        ),
        ({"deaths": -1}, "死亡人数不能为负数"),
        ({"serious_injuries": "两"}, "重伤人数须为"),
        ({"direct_loss": "1.2万"}, "万元"),
        ({"direct_loss": "abc"}, "以元为单位"),
        ({"unit_name": ""}, "事故单位"),
        ({"course": " "}, "简要经过"),
        ({"kind": "flood"}, "事故类型无效"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    register: Register, officer: Any, given: dict[str, Any], message: str
) -> None:
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match=message):
        actions.report_accident(town=register.town, data=make_data(register, **given), actor=officer)
    assert not Accident.objects.exists() and not Report.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_loss_with_thousands_separators_is_accepted(register: Register, officer: Any) -> None:
    accident = actions.report_accident(
        town=register.town, data=make_data(register, direct_loss="12,000"), actor=officer
    )
    assert accident.latest is not None and accident.latest.direct_loss == Decimal("12000.00")


def test_the_investigation_may_be_extended_once_by_at_most_60_days_with_a_reason(
    register: Register, officer: Any
) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    with pytest.raises(ValidationError, match="1 到 60"):
        actions.extend_investigation(accident=accident, days=61, reason="技术鉴定", actor=officer)
    with pytest.raises(ValidationError, match="延长理由"):
        actions.extend_investigation(accident=accident, days=30, reason="", actor=officer)
    actions.extend_investigation(accident=accident, days=60, reason="等待车辆技术鉴定", actor=officer)
    with pytest.raises(ValidationError, match="只能延长一次"):
        actions.extend_investigation(accident=accident, days=10, reason="再延", actor=officer)


def test_the_officer_records_a_finding_of_concealment(register: Register, officer: Any) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    finding = actions.record_finding(
        accident=accident, kind="concealed", reason="经查，事故单位未按规定上报。", actor=officer
    )
    assert finding.get_kind_display() == "瞒报"
    with pytest.raises(ValidationError, match="认定理由"):
        actions.record_finding(accident=accident, kind="false", reason="", actor=officer)
    with pytest.raises(ValidationError, match="认定类型"):
        actions.record_finding(accident=accident, kind="late", reason="x", actor=officer)


def test_a_supplement_entered_later_counts_from_when_it_was_reported(
    register: Register, officer: Any
) -> None:
    occurred = datetime.datetime(2025, 6, 3, 14, 20, tzinfo=SH)
    accident = actions.report_accident(
        town=register.town, data=make_data(register, occurred_at=occurred), actor=officer
    )
    assert accident.latest is not None
    data = actions.report_data(accident.latest)
    data.deaths = 2
    with pytest.raises(ValidationError, match="不能晚于当前时间"):
        actions.change_report(
            accident=accident,
            data=data,
            reason="x",
            made_at=timezone.now() + datetime.timedelta(days=1),
            actor=officer,
        )
    with pytest.raises(ValidationError, match="不能早于事故发生时间"):
        actions.change_report(
            accident=accident,
            data=data,
            reason="x",
            made_at=occurred - datetime.timedelta(hours=1),
            actor=officer,
        )
    # Accident 2025-06-03 14:20 (road traffic, 7 days): days 1..7 are 06-04..06-10, the window closes at
    # 06-10 24:00 = 06-11 00:00. 23:59:59 on 06-10 is inside.
    last_moment = datetime.datetime(2025, 6, 10, 23, 59, 59, tzinfo=SH)
    in_time = actions.change_report(
        accident=accident,
        data=data,
        reason="伤者抢救无效死亡，当日电话补报",
        made_at=last_moment,
        actor=officer,
    )
    assert in_time.casualties_changed and not in_time.past_window
    assert in_time.made_at == last_moment and in_time.created_at > in_time.made_at
    assert in_time.grade == "一般"  # 2 deaths: below 较大's "3人以上"
    data.deaths = 3
    with pytest.raises(ValidationError, match="不能早于上一版本"):
        actions.change_report(
            accident=accident,
            data=data,
            reason="x",
            made_at=occurred + datetime.timedelta(days=6),
            actor=officer,
        )
    late = actions.change_report(
        accident=accident,
        data=data,
        reason="又一名伤者死亡",
        made_at=datetime.datetime(2025, 6, 11, 0, 0, tzinfo=SH),  # 24:00 of day 7: the window has closed
        actor=officer,
    )
    # Kept (3 deaths on the version) and flagged, but graded on the 2 deaths the window closed with.
    assert late.past_window and late.deaths == 3 and late.grade == "一般"
    assert any("不改变事故等级" in r for r in late.grade_reasons)


def test_the_accidents_clocks(register: Register, officer: Any) -> None:
    from yigang.accidents import clocks

    occurred = datetime.datetime(2025, 6, 3, 14, 20, tzinfo=SH)
    accident = actions.report_accident(
        town=register.town, data=make_data(register, occurred_at=occurred, reported_at=None), actor=officer
    )
    now = datetime.datetime(2025, 6, 3, 14, 50, tzinfo=SH)
    report, supplement, investigation = clocks.for_accident(accident, now)
    assert (report.state, report.text) == ("open", "剩余40分钟")  # learned 14:30, due 15:30
    # 补报 window: last day 06-10, closes 06-11 00:00; from 06-03 14:50 that is 7 days 9 hours 10 minutes.
    assert (supplement.state, supplement.text) == ("open", "剩余7天9小时10分钟")
    assert supplement.deadline_text == "2025-06-10 24:00"
    # Investigation: day 60 after 06-03 is 08-02 (June 27 days + July 31 = 58, + 2 in August).
    assert investigation.deadline_text == "2025-08-02 24:00"
    later = datetime.datetime(2025, 8, 3, 9, 0, tzinfo=SH)
    assert clocks.for_accident(accident, later)[0].text == "已逾期60天17小时30分钟"
    assert clocks.for_accident(accident, later)[2].state == "overdue"
    actions.extend_investigation(accident=accident, days=30, reason="等待技术鉴定", actor=officer)
    accident = Accident.objects.get(pk=accident.pk)
    extended = clocks.for_accident(accident, later)[2]
    assert extended.deadline_text == "2025-09-01 24:00" and extended.state == "open"
    actions.submit_investigation(
        accident=accident, submitted_on=datetime.date(2025, 8, 25), note="调查报告已报旗政府", actor=officer
    )
    accident = Accident.objects.get(pk=accident.pk)
    assert clocks.for_accident(accident, later)[2].state == "met"
    with pytest.raises(ValidationError, match="已提交"):
        actions.extend_investigation(accident=accident, days=10, reason="再延", actor=officer)


@pytest.mark.parametrize(
    ("made_at", "grade", "past"),
    [
        # An "other" accident on 2025-06-03: day 30 is 07-03 (06-04..06-30 is 27 days, + 3), day 31 is 07-04.
        (datetime.datetime(2025, 7, 3, 23, 59, tzinfo=SH), "较大", False),  # 3 deaths on day 30: 较大
        (datetime.datetime(2025, 7, 4, 0, 0, tzinfo=SH), "一般", True),  # on day 31: kept, grade stays 一般
    ],
)
def test_a_death_on_day_30_regrades_an_accident_and_on_day_31_does_not(
    register: Register, officer: Any, made_at: datetime.datetime, grade: str, past: bool
) -> None:
    occurred = datetime.datetime(2025, 6, 3, 14, 20, tzinfo=SH)
    accident = actions.report_accident(
        town=register.town,
        data=make_data(register, occurred_at=occurred, kind="other"),
        actor=officer,
    )
    assert accident.latest is not None and accident.latest.grade == "一般"
    data = actions.report_data(accident.latest)
    data.deaths = 3
    report = actions.change_report(
        accident=accident, data=data, reason="补报死亡", made_at=made_at, actor=officer
    )
    assert (report.grade, report.past_window, report.deaths) == (grade, past, 3)
    # A later correction that leaves the casualties alone keeps the grade the window closed with.
    data.address = "更正后的地点"
    again = actions.change_report(accident=accident, data=data, reason="地点更正", actor=officer)
    assert again.grade == grade and not again.past_window
    entry = AuditEntry.objects.filter(event="accidents.change").order_by("-id").first()
    assert entry is not None
    assert entry.changes["graded_on"] == {"deaths": 3 if grade == "较大" else 1, "serious_injuries": 0}
