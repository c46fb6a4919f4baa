"""On-site duties: the leaders the regulation sends to the scene, as held on the accident's date; the chain of
responsibility frozen on the record; arrival kept; each notice sent once and again when the grade rises."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yigang.accidents import actions
from yigang.accidents.models import OnSiteTask
from yigang.notify.models import Delivery, Notification
from yigang.org import actions as org
from yigang.org.models import Tenure

from .conftest import MAYOR_CHANGE, SH, Register, make_data

pytestmark = pytest.mark.django_db


def _tasks(accident: Any) -> list[tuple[str, str, str | None]]:
    return [
        (t.role, t.post.title, t.person.name if t.person else None)
        for t in OnSiteTask.objects.filter(accident=accident).select_related("post", "person").order_by("id")
    ]


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=SH)


def test_a_death_sends_the_mayor_the_safety_deputy_the_leader_in_charge_and_the_village_secretary(
    register: Register, officer: Any
) -> None:
    # 农机 is supervised by 乡村振兴办公室, whose leader in charge is the other deputy (额尔敦).
    accident = actions.report_accident(
        town=register.town, data=make_data(register, sector="农机", kind="other"), actor=officer
    )
    assert _tasks(accident) == [
        ("territory", "巴音敖包嘎查党支部书记", "巴特尔"),
        ("portfolio", "副镇长", "额尔敦"),
        ("safety", "分管安全生产副镇长", "赵永军"),
        ("leadership", "镇长", "巴图"),
    ]


def test_the_tasks_go_to_the_holders_on_the_accidents_date_across_a_change_of_mayor(
    register: Register, officer: Any
) -> None:
    before = actions.report_accident(
        town=register.town,
        data=make_data(register, occurred_at=_at(MAYOR_CHANGE - datetime.timedelta(days=1))),
        actor=officer,
    )
    after = actions.report_accident(
        town=register.town, data=make_data(register, occurred_at=_at(MAYOR_CHANGE)), actor=officer
    )
    assert ("leadership", "镇长", "张建华") in _tasks(before)
    assert ("leadership", "镇长", "巴图") in _tasks(after)
    # The safety deputy also leads 道路交通's bodies: one task for the post, not two.
    assert [t[1] for t in _tasks(after)].count("分管安全生产副镇长") == 1


def test_no_casualties_no_tasks_until_a_supplement_reports_one(register: Register, officer: Any) -> None:
    occurred = timezone.now() - datetime.timedelta(days=1)
    accident = actions.report_accident(
        town=register.town,
        data=make_data(register, occurred_at=occurred, deaths=0, serious_injuries=0),
        actor=officer,
    )
    assert _tasks(accident) == []
    assert accident.latest is not None
    data = actions.report_data(accident.latest)
    data.serious_injuries = 1
    actions.change_report(accident=accident, data=data, reason="补报重伤 1 人", actor=officer)
    assert (
        len(_tasks(accident)) == 3
    )  # village secretary, the safety deputy (in charge and safety), the mayor


def test_the_chain_at_the_accident_is_frozen_and_does_not_follow_later_changes(
    register: Register, officer: Any
) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    frozen = accident.chain
    assert (
        frozen["sector"] == "道路交通" and frozen["place"] == "巴音敖包嘎查" and frozen["at"] == "2025-06-03"
    )
    mayor = next(link for link in frozen["chain"] if link["post"] == "镇长")
    # The link as `yigang who --json` gives it (which also names the link's role and scope).
    assert {k: mayor[k] for k in ("level", "post", "unit", "person")} == {
        "level": "第一责任人",
        "post": "镇长",
        "unit": "镇人民政府",
        "person": "巴图",
    }
    # The mayor leaves and someone new takes over: the record still says who answered on the day.
    tenure = Tenure.objects.get(post=register.posts["镇长"], end__isnull=True)
    org.end_tenure(tenure=tenure, end=datetime.date(2025, 12, 31), actor=officer)
    newcomer = org.add_person(town=register.town, name="新镇长", actor=officer)
    org.appoint(post=register.posts["镇长"], person=newcomer, start=datetime.date(2026, 1, 1), actor=officer)
    accident.refresh_from_db()
    assert accident.chain == frozen


def test_arrival_is_confirmed_once_and_its_time_kept(register: Register, officer: Any) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    task = OnSiteTask.objects.filter(accident=accident).first()
    assert task is not None
    with pytest.raises(ValidationError, match="不能早于事故发生时间"):
        actions.confirm_arrival(
            task=task, arrived_at=datetime.datetime(2025, 6, 3, 14, 0, tzinfo=SH), actor=officer
        )
    arrived = datetime.datetime(2025, 6, 3, 15, 5, tzinfo=SH)
    actions.confirm_arrival(task=task, arrived_at=arrived, actor=officer)
    task.refresh_from_db()
    assert task.arrived_at == arrived and task.arrival_after == datetime.timedelta(minutes=45)
    with pytest.raises(ValidationError, match="不能更改"):
        actions.confirm_arrival(task=task, arrived_at=arrived, actor=officer)


def test_leaders_are_told_once_and_again_when_the_grade_rises(
    register: Register, officer: Any, make_user: Any
) -> None:
    mayor_user = make_user("mayor", "leader", register.town)
    person = register.person("巴图")
    person.user = mayor_user
    person.save()
    occurred = timezone.now() - datetime.timedelta(days=1)
    accident = actions.report_accident(
        town=register.town, data=make_data(register, occurred_at=occurred), actor=officer
    )
    assert Notification.objects.filter(user=mayor_user).count() == 1
    assert Notification.objects.filter(user=officer).count() == 1
    assert accident.latest is not None
    data = actions.report_data(accident.latest)
    data.missing = 1  # no change of grade: nobody is told again
    actions.change_report(accident=accident, data=data, reason="补报失踪 1 人", actor=officer)
    assert Notification.objects.filter(user=mayor_user).count() == 1
    data.deaths = 3
    actions.change_report(
        accident=accident, data=data, reason="失踪者遇难，另 1 人抢救无效死亡", actor=officer
    )
    titles = list(Notification.objects.filter(user=mayor_user).order_by("id").values_list("title", flat=True))
    assert titles == ["乌审召镇一般事故：个体运输户 张某", "乌审召镇较大事故：个体运输户 张某"]
    # Sending the same grade's notices again delivers nothing new (one key per accident, grade and person).
    from yigang.accidents.notices import notify_leaders

    accident.refresh_from_db()
    assert accident.latest is not None
    notify_leaders(accident, accident.latest)
    assert Notification.objects.filter(user=mayor_user).count() == 2
    assert (
        Delivery.objects.filter(key__startswith=f"accident:{accident.pk}|grade:较大|channel:in_app").count()
        == 2
    )


def test_the_notice_goes_by_e_mail_and_to_the_towns_robots_once(
    register: Register, officer: Any, monkeypatch: Any, mailoutbox: Any
) -> None:
    from yigang.notify import channels
    from yigang.notify.actions import add_robot

    officer.email = "anweiban@example.org"
    officer.save()
    posted: list[str] = []
    monkeypatch.setattr(channels, "post_robot", lambda robot, text: posted.append(text) or "ok")
    add_robot(
        town=register.town,
        name="安委办工作群",
        kind="wecom",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K",
        actor=officer,
    )
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    assert len(posted) == 1 and "【事故快报】乌审召镇" in posted[0] and "一般" in posted[0]
    assert [m.to for m in mailoutbox] == [["anweiban@example.org"]]
    assert "个体运输户 张某" in mailoutbox[0].subject
    from yigang.accidents.notices import notify_leaders

    assert accident.latest is not None
    notify_leaders(accident, accident.latest)
    assert len(posted) == 1 and len(mailoutbox) == 1
