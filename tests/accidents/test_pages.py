"""The accident pages: the report form (bad input back with a message, nothing saved), the list and its filters,
an accident's page with clocks, tasks and the frozen chain, arrival by the holder, the figures and downloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from yigang.accidents import actions
from yigang.accidents.models import Accident, OnSiteTask, Report
from yigang.org.models import Sector, Unit

from .conftest import SH, Register, make_data

pytestmark = pytest.mark.django_db


def _form(register: Register, **given: str) -> dict[str, Any]:
    data = {
        "occurred_at": "2025-06-03T14:20",
        "learned_at": "2025-06-03T14:30",
        "reported_at": "2025-06-03T16:00",
        "unit_name": "个体运输户 张某",
        "sector": Sector.objects.get(town=register.town, name="道路交通").pk,
        "kind": "road_traffic",
        "village": Unit.objects.get(town=register.town, name="巴音敖包嘎查").pk,
        "address": "S215 线 38 公里处",
        "course": "货车与摩托车相撞。",
        "deaths": "1",
        "serious_injuries": "0",
        "missing": "0",
        "direct_loss": "12,000",
        "measures": "封闭现场。",
        "reporter": "王敏",
    }
    data.update(given)
    return data


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_officer_reports_an_accident_from_the_form(register: Register, officer: Any) -> None:
    response = _client(officer).post(reverse("accidents:new"), _form(register))
    accident = Accident.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "accidents:detail", args=[accident.pk]
    )
    report = accident.latest
    assert report is not None
    assert str(report.direct_loss) == "12000.00" and report.late_by is not None  # 90 minutes: 迟报 by 30
    page = _client(officer).get(response["Location"]).content.decode()
    assert "迟报：超过 1 小时时限 30分钟" in page
    assert "事故发生时的责任链（2025-06-03）" in page and "巴特尔" in page
    assert "伤亡人数补报期限（7日）" in page and "已截止" in page
    assert "事故调查报告（60日）" in page and "已逾期" in page
    assert "确认到场" in page


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"direct_loss": "1.2万"}, "不能用万元或亿元"),
        ({"direct_loss": "十二万"}, "以元为单位"),
        ({"deaths": "-1"}, "死亡人数不能为负数"),
        ({"occurred_at": "2099-01-01T10:00", "learned_at": "2099-01-01T10:10"}, "不能晚于当前时间"),
        ({"learned_at": "2025-06-03T14:00"}, "不能早于事故发生时间"),
        ({"unit_name": ""}, "请选择登记的生产经营单位或填写事故单位名称"),
    ],
)
def test_bad_input_comes_back_with_a_message_and_nothing_saved(
    register: Register, officer: Any, given: dict[str, str], message: str
) -> None:
    response = _client(officer).post(reverse("accidents:new"), _form(register, **given))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Accident.objects.exists() and not Report.objects.exists()


def test_a_leader_may_read_but_not_report(register: Register, users: dict[str, Any]) -> None:
    assert _client(users["leader"]).get(reverse("accidents:list")).status_code == 200
    assert _client(users["leader"]).post(reverse("accidents:new"), _form(register)).status_code == 403
    assert not Accident.objects.exists()


def test_the_list_filters_by_grade_sector_village_and_late(register: Register, officer: Any) -> None:
    actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    actions.report_accident(
        town=register.town,
        data=make_data(
            register, deaths=3, unit_name="某砖厂", sector="农机", kind="other", village="乌审召嘎查"
        ),
        actor=officer,
    )
    client = _client(officer)

    def names(**query: str) -> list[str]:
        page = client.get(reverse("accidents:list"), {"year": "2025", **query}).content.decode()
        return [n for n in ("个体运输户 张某", "某砖厂") if n in page]

    assert names() == ["个体运输户 张某", "某砖厂"]
    assert names(grade="较大") == ["某砖厂"]
    sector = Sector.objects.get(town=register.town, name="道路交通")
    assert names(sector=str(sector.pk)) == ["个体运输户 张某"]
    village = Unit.objects.get(town=register.town, name="乌审召嘎查")
    assert names(village=str(village.pk)) == ["某砖厂"]
    assert names(late="1") == []
    assert names(year="2024") == []


def test_the_holder_confirms_their_own_arrival_and_nobody_elses(
    register: Register, officer: Any, make_user: Any
) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    mayor_user = make_user("mayor", "leader", register.town)
    person = register.person("巴图")
    person.user = mayor_user
    person.save()
    mine = OnSiteTask.objects.get(accident=accident, person=person)
    other = OnSiteTask.objects.filter(accident=accident).exclude(person=person).first()
    assert other is not None
    client = _client(mayor_user)
    url = reverse("accidents:arrive", args=[mine.pk])
    assert client.post(url, {"arrived_at": "2025-06-03T15:10"}).status_code == 302
    mine.refresh_from_db()
    assert mine.arrived_at is not None and mine.confirmed_by == mayor_user
    assert "事故后 50分钟" in client.get(reverse("accidents:detail", args=[accident.pk])).content.decode()
    assert (
        client.post(
            reverse("accidents:arrive", args=[other.pk]), {"arrived_at": "2025-06-03T15:10"}
        ).status_code
        == 403
    )
    other.refresh_from_db()
    assert other.arrived_at is None


def test_a_change_from_the_page_is_a_new_version(register: Register, officer: Any) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    client = _client(officer)
    url = reverse("accidents:change", args=[accident.pk])
    assert client.get(url).status_code == 200
    form = _form(register, deaths="2", reported_at="2025-06-03T15:10", reason="伤者抢救无效死亡")
    assert client.post(url, form).status_code == 302
    assert list(Report.objects.filter(accident=accident).values_list("version", "deaths")) == [(1, 1), (2, 2)]
    page = client.get(reverse("accidents:detail", args=[accident.pk])).content.decode()
    assert "第 2 版：补报（一般）伤者抢救无效死亡，超出补报期限" in page


def test_the_change_form_keeps_when_the_supplement_was_phoned_in(register: Register, officer: Any) -> None:
    # A road accident on 2025-06-03: a death phoned in on 06-10 at 23:59 (day 7) is a 补报 in time and
    # re-grades; the page used to drop the typed time and date the change at its entry.
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    url = reverse("accidents:change", args=[accident.pk])
    form = _form(register, deaths="3", reason="两名伤者抢救无效死亡", made_at="2025-06-10T23:59")
    assert _client(officer).post(url, form).status_code == 302
    new = Report.objects.get(accident=accident, version=2)
    assert (new.grade, new.past_window) == ("较大", False)
    assert f"{new.made_at.astimezone(SH):%Y-%m-%d %H:%M}" == "2025-06-10 23:59"


def test_the_figures_and_the_downloads(register: Register, officer: Any, users: dict[str, Any]) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    actions.report_accident(
        town=register.town,
        data=make_data(register, deaths=3, unit_name="某砖厂", sector="农机"),
        actor=officer,
    )
    client = _client(users["leader"])
    page = client.get(reverse("accidents:figures"), {"year": "2025"}).content.decode()
    assert "共 2 起，死亡 4 人" in page and 'id="accident-figures"' in page
    assert "<script>" not in page.replace('<script src="', "")  # no inline script: CSP
    response = client.get(reverse("accidents:figures_xlsx"), {"year": "2025"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert ["事故等级", "一般", 1, 1, 0, 0, 120000] in rows
    assert ["事故等级", "较大", 1, 3, 0, 0, 120000] in rows
    assert rows[-1] == ["合计", None, 2, 4, 0, 0, 240000]
    docx = client.get(reverse("accidents:docx", args=[accident.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "乌审召镇生产安全事故报告" in text and "四、伤亡人数和初步估计的直接经济损失" in text
    assert "死亡1人，重伤（包括急性工业中毒）0人，失踪0人；初步估计直接经济损失120,000元。" in text
    home = client.get("/").content.decode()
    assert "年生产安全事故" in home


def test_photos_come_with_a_version_checked_by_content_and_served_after_the_scope_check(
    register: Register, officer: Any, settings: Any, tmp_path: Any, users: dict[str, Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.security.conftest import PNG

    settings.MEDIA_ROOT = tmp_path / "uploads"
    client = _client(officer)
    fake = SimpleUploadedFile("scene.jpg", b"MZ not a photo", content_type="image/jpeg")
    response = client.post(reverse("accidents:new"), {**_form(register), "attachments": [fake]})
    assert response.status_code == 200 and "内容不是允许的类型" in response.content.decode()
    assert not Accident.objects.exists()
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = client.post(reverse("accidents:new"), {**_form(register), "attachments": [photo]})
    accident = Accident.objects.get()
    item = accident.attachments.get()
    assert item.report == accident.latest and item.content_type == "image/png" and item.name == "现场.png"
    served = _client(users["leader"]).get(reverse("accidents:attachment", args=[item.pk]))
    from yigang.images import reencode

    # pages get the clean copy (issue 26.3); the original stays as uploaded
    assert served.status_code == 200 and served.content == reencode(PNG, "image/png").data
    assert served["X-Content-Type-Options"] == "nosniff"
    assert (
        _client(users["other_officer"]).get(reverse("accidents:attachment", args=[item.pk])).status_code
        == 404
    )


def test_the_list_and_figures_cost_the_same_queries_for_more_accidents(
    register: Register, officer: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(officer)

    def queries(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name), {"year": "2025"}).status_code == 200
        return len(captured)

    actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    queries("accidents:list")  # the first request renews the new session (IdleSessionMiddleware): not counted
    few = (queries("accidents:list"), queries("accidents:figures"))
    for n in range(4):
        actions.report_accident(
            town=register.town, data=make_data(register, unit_name=f"单位{n}"), actor=officer
        )
    assert (queries("accidents:list"), queries("accidents:figures")) == few


def test_a_missing_field_is_named_in_the_readers_language(register: Register, officer: Any) -> None:
    client = _client(officer)
    page = client.post(reverse("accidents:new"), {"deaths": ""}).content.decode()
    assert "请填写事故发生时间。" in page and "请填写死亡人数（没有请填 0）。" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.post(reverse("accidents:new"), {"deaths": ""}).content.decode()
    assert "Please fill in Time of the accident." in page
    assert not Accident.objects.exists()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})  # leave the thread in Chinese
    assert "请填写事故发生时间。" in client.post(reverse("accidents:new"), {"deaths": ""}).content.decode()


def test_the_list_shows_and_filters_the_clocks_running_past_their_deadline(
    register: Register, officer: Any
) -> None:
    import datetime

    from django.utils import timezone

    actions.report_accident(town=register.town, data=make_data(register, unit_name="甲单位"), actor=officer)
    done = actions.report_accident(
        town=register.town, data=make_data(register, unit_name="乙单位"), actor=officer
    )
    actions.submit_investigation(accident=done, submitted_on=datetime.date(2025, 7, 20), actor=officer)
    recent = timezone.now() - datetime.timedelta(days=10)
    actions.report_accident(
        town=register.town, data=make_data(register, unit_name="丙单位", occurred_at=recent), actor=officer
    )
    client = _client(officer)

    def names(year: int, **query: str) -> list[str]:
        page = client.get(reverse("accidents:list"), {"year": str(year), **query}).content.decode()
        return [n for n in ("甲单位", "乙单位", "丙单位") if n in page]

    assert names(2025) == ["甲单位", "乙单位"]
    # 甲's investigation report was due 60 days after 2025-06-03 and is not in; 乙's was submitted in time.
    assert names(2025, overdue="1") == ["甲单位"]
    page = client.get(reverse("accidents:list"), {"year": "2025"}).content.decode()
    assert page.count("已逾期") == 1 and "事故调查报告（60日）" in page
    assert names(recent.year, overdue="1") == []  # 丙's 60 days are still running


def test_the_form_shows_a_missing_field_and_the_times_order_together(
    register: Register, officer: Any
) -> None:
    # Two broken rules in one post: the address is missing AND the county was told (14:10) before the unit head
    # learned of it (14:30). Both come back in the one answer, nothing saved (issue 22.5).
    response = _client(officer).post(
        reverse("accidents:new"), _form(register, address="", reported_at="2025-06-03T14:10")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写事故地点。" in page
    assert "向县级部门报告时间不能早于单位负责人接到报告时间。" in page
    assert not Accident.objects.exists() and not Report.objects.exists()


def test_the_times_that_parsed_are_checked_when_another_does_not(register: Register, officer: Any) -> None:
    # The moment learned is not a time at all; the report time is in the future: both errors, at once.
    response = _client(officer).post(
        reverse("accidents:new"), _form(register, learned_at="昨天", reported_at="2099-01-01T10:00")
    )
    page = response.content.decode()
    assert "时间格式不正确。" in page and "向县级部门报告时间不能晚于当前时间。" in page
    assert not Accident.objects.exists()


def test_the_change_form_shows_a_missing_reason_and_a_time_before_the_accident_together(
    register: Register, officer: Any
) -> None:
    # No reason AND a 补报 time (06-03 14:00) before the accident (14:20): both errors in one answer, no version.
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    url = reverse("accidents:change", args=[accident.pk])
    response = _client(officer).post(url, _form(register, deaths="2", reason="", made_at="2025-06-03T14:00"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写变更说明。" in page and "变更（补报）时间不能早于事故发生时间。" in page
    assert Report.objects.filter(accident=accident).count() == 1
