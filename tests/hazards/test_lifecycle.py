"""The lifecycle: reported → assigned → rectifying → submitted → closed or sent back; the decline path; the major-
hazard gate; bad input leaves nothing changed; every step is a dated, attributed event."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD
from tests.hazards.conftest import png
from yigang.audit.models import AuditEntry
from yigang.hazards import actions
from yigang.hazards.models import Hazard, HazardEvent, Photo, Status

pytestmark = pytest.mark.django_db
D = datetime.date

FIVE = actions.PlanData(
    responsible="平安建设办公室主任",
    measures="停业整改，更换储存仓库",
    funds="企业自筹 5 万元",
    deadline=D(2025, 4, 30),
    emergency_plan="停业期间设专人值守，配备灭火器 10 具",
)


def _kinds(hazard: Any) -> list[str]:
    # In the order written (a test dates some steps back to the days they speak of).
    return list(hazard.events.order_by("id").values_list("kind", flat=True))


def test_it_walks_the_whole_lifecycle_with_an_event_for_every_step(
    report: Any, register: Any, checker: Any
) -> None:
    hazard = report(photos=[png()], village=register.units["乌审召嘎查"])
    assert hazard.status == Status.ASSIGNED and hazard.owner_unit.name == "平安建设办公室"
    assert hazard.number == "YH2025-0001"
    assert hazard.photos.get().stage == "before"
    officer = register.officer
    actions.start_rectifying(hazard=hazard, actor=officer)
    with pytest.raises(ValidationError, match="整改后的照片"):
        actions.submit(hazard=hazard, note="已更换灭火器", photos=[], actor=officer)
    with actions.backdated(datetime.datetime(2025, 3, 15, 9, tzinfo=datetime.UTC)):
        actions.submit(hazard=hazard, note="已更换灭火器", photos=[png("整改后.png")], actor=officer)
    with actions.backdated(datetime.datetime(2025, 3, 16, 9, tzinfo=datetime.UTC)):
        actions.send_back(hazard=hazard, reason="照片看不清", actor=checker)
    with actions.backdated(datetime.datetime(2025, 3, 17, 9, tzinfo=datetime.UTC)):
        actions.submit(hazard=hazard, note="重新拍照", photos=[png("整改后2.png")], actor=officer)
    # Accepted on a day before it was submitted: refused (it used to count as closed on time).
    with pytest.raises(ValidationError, match="不能早于提请验收的日期（2025-03-17）"):
        actions.accept(hazard=hazard, note="", actor=checker, secret=PASSWORD, on=D(2025, 3, 16))
    hazard = actions.accept(hazard=hazard, note="验收合格", actor=checker, secret=PASSWORD, on=D(2025, 3, 18))
    assert hazard.status == Status.CLOSED and hazard.closed_on == D(2025, 3, 18) and hazard.closed_on_time
    assert _kinds(hazard) == [
        "reported", "assigned", "rectifying", "submitted", "sent_back", "submitted", "closed",
    ]  # fmt: skip
    # The unit's side (here the 安委办 on its behalf) rectifies and submits; another officer judges it.
    judged = {"sent_back", "closed"}
    assert all(
        e.actor_id == (checker if e.kind in judged else officer).pk and e.at for e in hazard.events.all()
    )
    assert Photo.objects.filter(hazard=hazard, stage="after").count() == 2
    assert (
        AuditEntry.objects.filter(event__startswith="hazards.").count() == 6
    )  # report, rectify, submit, send back, submit, close


def test_it_refuses_transitions_that_are_not_allowed_and_changes_nothing(report: Any, register: Any) -> None:
    hazard = report()
    events = HazardEvent.objects.count()
    with pytest.raises(ValidationError, match="验收销号"):
        actions.accept(hazard=hazard, note="", actor=register.officer)
    with pytest.raises(ValidationError, match="提请验收"):
        actions.submit(hazard=hazard, note="x", photos=[png()], actor=register.officer)
    with pytest.raises(ValidationError, match="裁定"):
        actions.decide(hazard=hazard, owner=None, reason="x", actor=register.officer)
    hazard.refresh_from_db()
    assert hazard.status == Status.ASSIGNED and HazardEvent.objects.count() == events


def test_the_decline_path_keeps_the_decision(report: Any, register: Any) -> None:
    hazard = report()
    with pytest.raises(ValidationError, match="退回理由"):
        actions.decline(hazard=hazard, reason="  ", actor=register.officer)
    actions.decline(hazard=hazard, reason="属于城管办职责", actor=register.officer)
    hazard.refresh_from_db()
    assert hazard.status == Status.DECLINED
    with pytest.raises(ValidationError, match="开始整改"):
        actions.start_rectifying(hazard=hazard, actor=register.officer)
    city = register.units["城市管理办公室"]
    actions.decide(hazard=hazard, owner=city, reason="经核实属镇区商业", actor=register.officer)
    hazard.refresh_from_db()
    assert hazard.status == Status.ASSIGNED and hazard.owner_unit == city
    decided = hazard.events.get(kind="decided")
    assert decided.details == {
        "decision": "reassigned",
        "previous": "平安建设办公室",
        "owner": "城市管理办公室",
    }
    assert decided.note == "经核实属镇区商业"
    assert hazard.routing["owner"]["unit"] == "平安建设办公室"  # who was told first stays on record
    # A second decline may be kept with the owner.
    actions.decline(hazard=hazard, reason="不是我们的", actor=register.officer)
    actions.decide(hazard=hazard, owner=None, reason="维持交办", actor=register.officer)
    hazard.refresh_from_db()
    assert hazard.owner_unit == city
    assert hazard.events.filter(kind="decided").last().details["decision"] == "kept"


def test_a_major_hazard_needs_all_five_in_place_before_rectifying(report: Any, register: Any) -> None:
    hazard = report(grade="major")
    assert hazard.listed
    with pytest.raises(ValidationError, match="五落实"):
        actions.start_rectifying(hazard=hazard, actor=register.officer)
    missing_funds = actions.PlanData(FIVE.responsible, FIVE.measures, " ", FIVE.deadline, FIVE.emergency_plan)
    with pytest.raises(ValidationError, match="整改资金"):
        actions.start_rectifying(hazard=hazard, actor=register.officer, plan=missing_funds)
    hazard.refresh_from_db()
    assert hazard.status == Status.ASSIGNED and not hazard.plans.exists()
    actions.start_rectifying(hazard=hazard, actor=register.officer, plan=FIVE)
    hazard.refresh_from_db()
    assert hazard.status == Status.RECTIFYING and hazard.plans.count() == 1
    assert _kinds(hazard)[-2:] == ["plan", "rectifying"]


def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(report: Any, register: Any) -> None:
    with pytest.raises(ValidationError, match="整改期限不能早于发现日期"):
        report(deadline=D(2025, 3, 1))
    with pytest.raises(ValidationError, match="不是允许的类型"):
        report(photos=[actions.Upload(io.BytesIO(b"not an image at all"), "x.jpg")])
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    with pytest.raises(ValidationError, match="不是照片"):
        report(photos=[actions.Upload(io.BytesIO(pdf), "检查表.pdf")])
    with pytest.raises(ValidationError, match="不能晚于今天"):
        report(found_on=D(2099, 1, 1), deadline=D(2099, 2, 1))
    assert not Hazard.objects.exists() and not Photo.objects.exists()


def test_an_oversize_photo_is_refused(report: Any, settings: Any) -> None:
    settings.DUTY_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="过大"):
        report(photos=[png()] if False else [actions.Upload(io.BytesIO(b"\x89PNG" + b"0" * 200), "大.png")])
    assert not Hazard.objects.exists()


def test_the_same_client_key_twice_is_one_hazard(report: Any, register: Any, users: Any) -> None:
    first = report(key="phone-7f3a")
    again = report(key="phone-7f3a", description="重试时内容不变")
    assert again.pk == first.pk and Hazard.objects.count() == 1
    assert again.description == "仓库灭火器过期"
    with pytest.raises(ValidationError, match="幂等键"):
        report(key="phone-7f3a", actor=users["leader"])


def test_working_days_set_the_deadline(report: Any) -> None:
    hazard = report(found_on=D(2025, 9, 30), working_days=3)
    # 1–8 Oct 2025 are holidays; Sat 11 Oct 2025 is a 调休 working day: Thu 9, Fri 10, Sat 11.
    assert hazard.deadline == D(2025, 10, 11) and hazard.working_days == 3


def test_a_duty_record_lists_the_hazards_its_inspection_found(report: Any, register: Any) -> None:
    from zoneinfo import ZoneInfo

    from yigang.duties.actions import RecordData, create_record

    record = create_record(
        town=register.town,
        data=RecordData(
            kind="inspection",
            occurred_at=datetime.datetime(2025, 3, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
            title="烟花爆竹专项检查",
            place="乌审召嘎查",
            summary="检查烟花爆竹仓库",
            participants="",
            findings="仓库灭火器过期，已登记隐患",
            posts=[register.posts["平安建设办公室负责人"]],
        ),
        actor=register.officer,
    )
    hazard = report(source="inspection", duty_record=record)
    assert list(record.hazards.all()) == [hazard]
    with pytest.raises(ValidationError, match="检查发现"):
        report(source="public", duty_record=record)


def test_pages_show_the_hazards_that_concern_them(report: Any, register: Any, client: Any) -> None:
    hazard = report(grade="major", village=register.units["乌审召嘎查"])
    client.force_login(register.officer)
    from yigang.towns.middleware import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = register.town.pk
    session.save()
    assert hazard.number in client.get("/").content.decode()
    # The village secretary (属地 only) is not the owner; the body's head is; the mayor sees every major hazard.
    head = register.person("平安建设办公室主任")
    mayor = register.person("巴图")
    other = register.person("额尔敦")
    assert hazard.number in client.get(f"/register/people/{head.pk}/").content.decode()
    assert hazard.number in client.get(f"/register/people/{mayor.pk}/").content.decode()
    assert hazard.number not in client.get(f"/register/people/{other.pk}/").content.decode()


def test_narrow_reporters_report_inside_their_part(report: Any, register: Any, make_user: Any) -> None:
    from yigang.towns.models import Role

    village = register.units["乌审召嘎查"]
    secretary = make_user("qiqige", Role.VILLAGE_STAFF, register.town, unit=village)
    assert report(actor=secretary, village=village).village == village
    with pytest.raises(ValidationError, match="只能上报"):
        report(actor=secretary, village=register.units["巴音敖包嘎查"])
    city = make_user("city", Role.BODY_STAFF, register.town, unit=register.units["城市管理办公室"])
    assert report(actor=city, sector="镇区商业").sector.name == "镇区商业"
    with pytest.raises(ValidationError, match="只能上报"):
        report(actor=city, sector="烟花爆竹")
    with pytest.raises(ValidationError, match="无效字符"):
        report(description="灭火器\x00过期")
