"""The calendar pages: the banner for a year on the fallback, reading a pasted or uploaded notice for review
with the unread lines marked, saving on confirmation, the difference before a replacement, the deadline's
calendar on the hazard page."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.workcalendar.conftest import NOTICE_2027
from yigang.towns.middleware import SESSION_KEY
from yigang.workcalendar.models import CalendarYear

pytestmark = pytest.mark.django_db
D = datetime.date
NOTICES = Path(__file__).parent / "notices"


def _client(user: Any, town: Any) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = town.pk
    session.save()
    return client


@pytest.fixture
def december(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is 7 December 2026: 2027's notice is due and neither entered nor in the package."""
    from yigang.workcalendar import views
    from yigang.workcalendar.templatetags import workcalendar as tags

    class Clock:
        @staticmethod
        def localdate() -> datetime.date:
            return D(2026, 12, 7)

    monkeypatch.setattr(tags, "timezone", Clock)
    monkeypatch.setattr(views, "timezone", Clock)


def test_the_officer_sees_the_banner_with_a_link_to_enter_the_year(
    town: Any, users: dict[str, Any], december: None
) -> None:
    officer = _client(users["officer"], town)
    page = officer.get("/calendar/").content.decode()
    assert "2027 年的国务院放假安排通知尚未录入" in page and 'href="/calendar/enter/"' in page
    assert "法定节日推算（未录入通知）" in page  # 2027's row
    home = officer.get("/").content.decode()
    assert "2027 年的国务院放假安排通知尚未录入" in home
    # A reader who cannot enter the year is not told to.
    leader = _client(users["leader"], town).get("/calendar/").content.decode()
    assert "尚未录入：整改期限" not in leader and 'href="/calendar/enter/"' not in leader


def test_a_notice_with_an_unread_line_is_shown_marked_and_saves_nothing(
    town: Any, users: dict[str, Any]
) -> None:
    bad = (NOTICES / "2026.txt").read_text().replace("共5天", "共6天")
    page = _client(users["officer"], town).post("/calendar/enter/", {"text": bad, "confirm": "1"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "<mark>四、劳动节" in body and "共6天" in body and "有 1 行读不懂" in body
    assert "确认保存" not in body
    assert not CalendarYear.objects.exists()


def test_paste_review_confirm_and_see_the_year(town: Any, users: dict[str, Any]) -> None:
    officer = _client(users["officer"], town)
    review = officer.post("/calendar/enter/", {"text": NOTICE_2027}).content.decode()
    assert (
        "读到的 2027 年安排" in review and "共放假 11 天，调休上班 2 天。" in review and "确认保存" in review
    )
    assert not CalendarYear.objects.exists()  # reviewing saves nothing
    saved = officer.post("/calendar/enter/", {"text": NOTICE_2027, "confirm": "1"})
    assert saved.status_code == 302 and saved["Location"] == "/calendar/2027/"
    year = officer.get("/calendar/2027/").content.decode()
    assert "国务院放假安排通知（已录入）" in year and "2027-02-14 春节" in year
    # Entered again with a change: the difference is shown before it replaces the first.
    changed = NOTICE_2027.replace("2月20日（周六）", "2月13日（周六）")
    again = officer.post("/calendar/enter/", {"text": changed}).content.decode()
    assert "新增调休上班：2027-02-13" in again and "不再调休上班：2027-02-20" in again and "确认替换" in again
    officer.post("/calendar/enter/", {"text": changed, "confirm": "1", "replace": "1"})
    assert CalendarYear.objects.filter(year=2027).count() == 2
    assert CalendarYear.objects.get(replaced_at__isnull=True).workdays == {
        "2027-02-13": "春节",
        "2027-02-14": "春节",
    }


def test_an_uploaded_gbk_text_file_is_read(town: Any, users: dict[str, Any]) -> None:
    upload = SimpleUploadedFile("2025年放假安排.txt", (NOTICES / "2025.txt").read_text().encode("gb18030"))
    body = _client(users["officer"], town).post("/calendar/enter/", {"file": upload}).content.decode()
    assert "读到的 2025 年安排" in body and "确认保存" in body


def test_an_upload_that_is_not_text_is_refused(town: Any, users: dict[str, Any]) -> None:
    upload = SimpleUploadedFile("通知.pdf", b"%PDF-1.7 ...")
    body = _client(users["officer"], town).post("/calendar/enter/", {"file": upload}).content.decode()
    assert "请上传 .txt 文本文件或 .docx Word 文档" in body


def test_a_county_viewer_enters_for_the_whole_county(town: Any, users: dict[str, Any]) -> None:
    viewer = _client(users["county_viewer"], town)
    assert "乌审旗（全旗县各乡镇）" in viewer.get("/calendar/enter/").content.decode()
    viewer.post("/calendar/enter/", {"text": NOTICE_2027, "confirm": "1"})
    entry = CalendarYear.objects.get()
    assert entry.town is None and entry.county == town.county


def test_the_hazard_page_says_which_calendar_its_deadline_rests_on(register: Any, report: Any) -> None:
    hazard = report(found_on=D(2026, 12, 1), working_days=3)
    page = _client(register.officer, register.town).get(f"/hazards/{hazard.pk}/").content.decode()
    assert "3 个工作日，按内置节假日数据" in page
