"""The pages: list filters and pagination (a fixed number of queries), the phone form refusing bad input with
nothing saved, the steps through the timeline page, and who may take them."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.hazards.conftest import PNG
from yigang.hazards.models import Hazard, Status
from yigang.towns.middleware import SESSION_KEY

pytestmark = pytest.mark.django_db
D = datetime.date


def _client(user: Any, town: Any) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = town.pk
    session.save()
    return client


def test_the_list_filters_and_paginates_in_a_fixed_number_of_queries(
    report: Any, register: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(35):
        report(found_on=D(2025, 3, 1 + n % 28), description=f"隐患{n:02d}", deadline=D(2025, 4, 30))
    report(sector="镇区商业", description="商业街电线", deadline=D(2025, 4, 30))
    client = _client(register.officer, register.town)
    with django_assert_max_num_queries(16):
        page = client.get("/hazards/")
    assert page.status_code == 200 and "共 36 条" in page.content.decode()
    second = client.get("/hazards/?page=2").content.decode()
    assert second.count('href="/hazards/') >= 6
    sector = register.units["城市管理办公室"]
    body = client.get("/hazards/", {"status": "assigned", "overdue": "on"}).content.decode()
    assert "共 36 条" in body  # all past their deadline of 2025-04-30
    from yigang.org.models import Sector

    only = client.get("/hazards/", {"sector": Sector.objects.get(town=register.town, name="镇区商业").pk})
    assert "商业街电线" in only.content.decode() and "隐患01" not in only.content.decode()
    assert sector.name in only.content.decode()


def test_the_phone_form_refuses_a_file_that_is_not_a_photo(register: Any, media: Any, users: Any) -> None:
    from yigang.org.models import Sector

    client = _client(register.officer, register.town)
    fields = {
        "sector": Sector.objects.get(town=register.town, name="烟花爆竹").pk,
        "address": "商店",
        "description": "超量存放",
        "grade": "general",
        "source": "inspection",
        "found_on": "2025-03-10",
        "found_by": "其其格",
        "working_days": "5",
    }
    fake = io.BytesIO(b"MZ\x90\x00 not a photo")
    fake.name = "照片.jpg"
    response = client.post("/hazards/new/", {**fields, "photos": fake})
    assert response.status_code == 200 and "不是允许的类型" in response.content.decode()
    assert not Hazard.objects.exists()
    ok = io.BytesIO(PNG)
    ok.name = "现场.png"
    response = client.post("/hazards/new/", {**fields, "address": "", "photos": ok})  # an error elsewhere
    assert "请改正后重新选择照片再上报" in response.content.decode()  # the photo is asked for again, not lost
    assert not Hazard.objects.exists()
    good = io.BytesIO(PNG)
    good.name = "现场.png"
    response = client.post("/hazards/new/", {**fields, "photos": good})
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert hazard.photos.count() == 1 and hazard.deadline == D(2025, 3, 17)


def test_steps_through_the_page_and_who_may_take_them(report: Any, register: Any, make_user: Any) -> None:
    from yigang.towns.models import Role

    hazard = report()
    owner_staff = make_user("pingan", Role.BODY_STAFF, register.town, unit=hazard.owner_unit)
    other_staff = make_user("city", Role.BODY_STAFF, register.town, unit=register.units["城市管理办公室"])
    url = f"/hazards/{hazard.pk}/step/"
    # Another body's staff cannot even see it (it is not in their sector): 404.
    assert _client(other_staff, register.town).post(url, {"step": "rectify"}).status_code == 404
    staff = _client(owner_staff, register.town)
    assert staff.post(url, {"step": "accept"}).status_code == 403  # acceptance is the 安委办's
    staff.post(url, {"step": "rectify"})
    hazard.refresh_from_db()
    assert hazard.status == Status.RECTIFYING
    response = staff.post(url, {"step": "submit", "note": "已整改"}, follow=True)
    assert "整改后的照片" in response.content.decode()
    photo = io.BytesIO(PNG)
    photo.name = "after.png"
    staff.post(url, {"step": "submit", "note": "已整改", "photos": photo})
    officer = _client(register.officer, register.town)
    officer.post(url, {"step": "accept", "note": "合格", "confirm": "on", "secret": PASSWORD})
    hazard.refresh_from_db()
    assert hazard.status == Status.CLOSED
    timeline = officer.get(f"/hazards/{hazard.pk}/").content.decode()
    for label in ("上报", "交办", "开始整改", "提请验收", "验收销号"):
        assert label in timeline


def test_statistics_export_as_xlsx(report: Any, register: Any) -> None:
    import openpyxl

    report(grade="major")
    response = _client(register.officer, register.town).get("/hazards/stats/xlsx/", {"year": 2025})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0][:3] == ("全年", 2025, 1) and rows[0][7] == 1  # found 1, major 1
    assert ("行业领域", "烟花爆竹", 1, 0, 0, 1, 1, 1, 0, 0) in rows


def test_an_inspection_record_lists_what_it_found_and_reports_more(register: Any, media: Any) -> None:
    from zoneinfo import ZoneInfo

    from yigang.duties.actions import RecordData, create_record
    from yigang.org.models import Sector

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
    client = _client(register.officer, register.town)
    page = client.get(f"/duties/records/{record.pk}/").content.decode()
    assert "未登记发现的隐患" in page and f"/hazards/new/?record={record.pk}" in page
    form = client.get(f"/hazards/new/?record={record.pk}").content.decode()
    assert f'name="duty_record" value="{record.pk}"' in form
    client.post(
        "/hazards/new/",
        {
            "sector": Sector.objects.get(town=register.town, name="烟花爆竹").pk,
            "address": "仓库",
            "description": "仓库灭火器过期",
            "grade": "general",
            "source": "inspection",
            "found_on": "2025-03-10",
            "found_by": "检查组",
            "working_days": "5",
            "duty_record": record.pk,
        },
    )
    hazard = Hazard.objects.get()
    assert hazard.duty_record == record
    assert hazard.number in client.get(f"/duties/records/{record.pk}/").content.decode()


def test_leaders_read_their_portfolios_and_the_town_leaders_read_all(
    report: Any, register: Any, make_user: Any
) -> None:
    from yigang.towns.models import Role

    fireworks = report()  # 平安建设办公室: in the safety deputy's portfolio
    commerce = report(sector="镇区商业")  # 城市管理办公室: in 额尔敦's portfolio
    deputy = make_user("erdun", Role.LEADER, register.town)
    safety = make_user("zhao", Role.LEADER, register.town)
    for user, name in ((deputy, "额尔敦"), (safety, "赵永军")):
        person = register.person(name)
        person.user = user
        person.save()
    unlinked = make_user("nolink", Role.LEADER, register.town)
    assert list(Hazard.objects.for_user(deputy)) == [commerce]
    assert set(Hazard.objects.for_user(safety)) == {fireworks, commerce}
    assert not Hazard.objects.for_user(unlinked).exists()  # a leader account with no post leads nothing
    assert _client(deputy, register.town).get(f"/hazards/{fireworks.pk}/").status_code == 404
    page = _client(deputy, register.town).get("/hazards/").content.decode()
    assert commerce.number in page and fireworks.number not in page


def test_the_officer_sets_the_escalation_interval_on_a_page(register: Any) -> None:
    from yigang.audit.models import AuditEntry
    from yigang.hazards.models import Policy

    officer = _client(register.officer, register.town)
    page = officer.get("/hazards/settings/").content.decode()
    assert 'value="3"' in page and "逐级督办间隔" in page  # the default, shown as it stands
    assert "/hazards/settings/" in officer.get("/hazards/").content.decode()  # linked for the officer
    refused = officer.post("/hazards/settings/", {"escalation_days": "0"})
    assert refused.status_code == 200 and Policy.interval(register.town) == 3
    assert (
        "errorlist" in refused.content.decode()
        and not AuditEntry.objects.filter(event="hazards.policy").exists()
    )
    saved = officer.post("/hazards/settings/", {"escalation_days": "5"})
    assert saved.status_code == 302 and Policy.interval(register.town) == 5
    entry = AuditEntry.objects.get(event="hazards.policy")
    assert entry.changes["escalation_days"] == [3, 5]


def _at(page: str, name: str) -> str:
    """The markup of the report form's field `name`: from its input to the next field's label."""
    start = page.index(f'name="{name}"')
    end = page.find("<label", start)
    return page[start : end if end != -1 else len(page)]


def test_the_save_steps_errors_sit_at_their_fields(register: Any, media: Any, users: Any) -> None:
    from django.contrib.messages import get_messages

    from yigang.org.models import Sector

    client = _client(register.officer, register.town)
    fields = {
        "sector": Sector.objects.get(town=register.town, name="烟花爆竹").pk,
        "address": "商店",
        "description": "超量存放",
        "grade": "general",
        "source": "inspection",
        "found_on": "2099-03-10",  # the form takes any date; saving refuses one after today
        "found_by": "其其格",
        "working_days": "5",
    }
    fake = io.BytesIO(b"MZ\x90\x00 not a photo")
    fake.name = "照片.jpg"
    response = client.post("/hazards/new/", {**fields, "photos": fake})
    page = response.content.decode()
    assert response.status_code == 200 and not Hazard.objects.exists()
    assert "发现日期不能晚于今天" in _at(page, "found_on") and 'aria-invalid="true"' in _at(page, "found_on")
    assert "不是允许的类型" in _at(page, "photos")  # the photo's problem too, in the same answer
    assert "请改正后重新选择照片再上报" in _at(page, "photos")
    assert "没有上报：请按下面标红的提示改正" in page
    assert list(get_messages(response.wsgi_request)) == []  # at the fields, not only in a banner
    # A deadline before the day found: under the deadline field, its folded section opened to show it.
    response = client.post(
        "/hazards/new/", {**fields, "found_on": "2025-03-10", "working_days": "", "deadline": "2025-03-01"}
    )
    page = response.content.decode()
    assert "整改期限不能早于发现日期" in _at(page, "deadline") and "<details open>" in page


def test_a_village_reporting_outside_its_village_is_told_at_the_village(
    register: Any, media: Any, make_user: Any
) -> None:
    from yigang.org.models import Sector
    from yigang.towns.models import Role

    secretary = make_user("qiqige", Role.VILLAGE_STAFF, register.town, unit=register.units["乌审召嘎查"])
    client = _client(secretary, register.town)
    response = client.post(
        "/hazards/new/",
        {
            "sector": Sector.objects.get(town=register.town, name="镇区商业").pk,
            "village": register.units["巴音敖包嘎查"].pk,
            "address": "路口",
            "description": "护栏缺失",
            "grade": "general",
            "source": "inspection",
            "found_on": "2025-03-10",
            "found_by": "其其格",
            "working_days": "5",
        },
    )
    page = response.content.decode()
    assert "您只能上报本单位监管行业领域或本嘎查村（社区）的隐患" in _at(page, "village")
    assert not Hazard.objects.exists()


def test_a_refused_step_keeps_what_was_typed_and_says_why_above_that_form(
    register: Any, media: Any, report: Any
) -> None:
    from yigang.hazards import actions
    from yigang.hazards.models import Status

    hazard = report(grade="major")
    client = _client(register.officer, register.town)
    url = f"/hazards/{hazard.pk}/step/"
    typed = {
        "step": "rectify",
        "responsible": "王五（站长）",
        "measures": "更换过期灭火器，清理通道",
        "funds": "",
        "plan_deadline": "2025-03-18",
        "emergency_plan": "火灾应急处置卡",
        "note": "今日起整改",
    }
    response = client.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 200  # the page again, not a redirect that drops the plan
    assert "还缺：整改资金" in page and "没有办理" not in page
    assert "王五（站长）" in page and "更换过期灭火器，清理通道" in page and "今日起整改" in page
    hazard.refresh_from_db()
    assert hazard.status == Status.ASSIGNED and not hazard.plans.exists()

    actions.start_rectifying(
        hazard=hazard,
        actor=register.officer,
        plan=actions.PlanData("王五", "更换", "500元", D(2025, 3, 18), "处置卡"),
    )
    fake = io.BytesIO(b"MZ\x90\x00 not a photo")
    fake.name = "整改后.jpg"
    response = client.post(url, {"step": "submit", "note": "已更换灭火器", "photos": fake})
    page = response.content.decode()
    assert response.status_code == 200 and "不是允许的类型" in page
    assert "已更换灭火器" in page and "请改正后重新选择" in page
    hazard.refresh_from_db()
    assert hazard.status == Status.RECTIFYING


def test_a_step_the_form_cannot_read_is_answered_at_the_field(register: Any, media: Any, report: Any) -> None:
    hazard = report(grade="major")
    client = _client(register.officer, register.town)
    response = client.post(
        f"/hazards/{hazard.pk}/step/", {"step": "rectify", "plan_deadline": "明天", "responsible": "王五"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "没有办理" in page and "王五" in page
    assert (
        page.index("明天") > page.index('name="plan_deadline"') - 200
    )  # the typed value is back in its field


def test_a_missing_field_and_the_dates_order_show_together(register: Any, media: Any) -> None:
    from yigang.org.models import Sector

    # No description AND a deadline before the day found: both in the one answer, nothing saved (issue 22.5).
    response = _client(register.officer, register.town).post(
        "/hazards/new/",
        {
            "sector": Sector.objects.get(town=register.town, name="烟花爆竹").pk,
            "address": "商店",
            "description": "",
            "grade": "general",
            "source": "inspection",
            "found_on": "2025-03-10",
            "found_by": "其其格",
            "deadline": "2025-03-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Hazard.objects.exists()
    assert "整改期限不能早于发现日期" in _at(page, "deadline")
    assert 'aria-invalid="true"' in _at(page, "description")


def test_a_filter_that_does_not_hold_shows_nothing_and_says_why(
    report: Any, register: Any, make_user: Any
) -> None:
    """A 负责人 outside the reader's range (a crafted or stale link) is no filter at all: the page lists nothing
    and says the filter was refused, rather than the reader's whole list under that person's heading."""
    from yigang.org.models import Person
    from yigang.towns.models import Role

    report(village=register.units["乌审召嘎查"], description="嘎查草场电线", deadline=D(2025, 4, 30))
    secretary = make_user("qiqige", Role.VILLAGE_STAFF, register.town, unit=register.units["乌审召嘎查"])
    client = _client(secretary, register.town)
    assert "嘎查草场电线" in client.get("/hazards/").content.decode()
    from yigang.towns.models import Town

    elsewhere = Town.objects.create(name="另一镇", code="other-town", county=register.town.county)
    outside = Person.objects.create(town=elsewhere, name="外镇人员")
    assert not Person.objects.for_user(secretary).filter(pk=outside.pk).exists()
    page = client.get("/hazards/", {"person": outside.pk}).content.decode()
    assert "筛选条件无效" in page and "嘎查草场电线" not in page and "共 0 条" in page
    bad_year = client.get("/hazards/", {"year": "1900"}).content.decode()
    assert "筛选条件无效" in bad_year and "嘎查草场电线" not in bad_year
