"""The pages: distribute from the version page, read and confirm (a refusal shown in Chinese), tracking .xlsx."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from yigang.audit.models import AuditEntry
from yigang.signoff.models import Confirmation, Document, Kind, Task

DISTRIBUTE = {"secret": PASSWORD, "confirm": "1"}


def _client(user: Any) -> Client:
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Android)")
    client.force_login(user)
    return client


def test_the_officer_distributes_from_the_version_page(
    register: Any, users: dict[str, Any], regulation: Any
) -> None:
    officer = _client(users["officer"])
    page = officer.get(reverse("regulations:detail", args=[regulation.pk]))
    assert reverse("signoff:distribute").encode() in page.content
    leader_page = _client(users["leader"]).get(reverse("regulations:detail", args=[regulation.pk]))
    assert reverse("signoff:distribute").encode() not in leader_page.content

    response = officer.post(reverse("signoff:distribute"), DISTRIBUTE, follow=True)
    assert "已下发 8 项签收任务" in response.content.decode()
    assert Task.objects.count() == 8
    # The leader denied: 403, audited, nothing opened.
    assert _client(users["leader"]).post(reverse("signoff:distribute"), DISTRIBUTE).status_code == 403
    assert AuditEntry.objects.filter(event="auth.permission_denied").exists()


def test_the_holder_reads_and_confirms(register: Any, users: dict[str, Any]) -> None:
    _client(users["officer"]).post(reverse("signoff:distribute"), DISTRIBUTE)
    leader = _client(users["leader"])
    mine = leader.get(reverse("signoff:mine")).content.decode()
    task = Task.objects.get(document__kind=Kind.DUTY_LIST, person=register.deputy)
    assert reverse("signoff:task", args=[task.pk]) in mine

    page = leader.get(reverse("signoff:task", args=[task.pk])).content.decode()
    assert task.text_sha256 in page and "第九条" in page
    url = reverse("signoff:confirm", args=[task.pk])
    wrong = leader.post(url, {"secret": "nope", "sha256": task.text_sha256})
    assert wrong.status_code == 200 and "密码不正确，未确认。" in wrong.content.decode()
    # Someone else — here the officer — cannot confirm it for him.
    other = _client(users["officer"]).post(url, {"secret": PASSWORD, "sha256": task.text_sha256})
    assert "只能由本人确认" in other.content.decode()
    assert not Confirmation.objects.exists()

    done = leader.post(url, {"secret": PASSWORD, "sha256": task.text_sha256}, REMOTE_ADDR="10.9.8.7")
    assert done.status_code == 302
    confirmation = Confirmation.objects.get()
    assert (confirmation.ip, confirmation.user_agent) == ("10.9.8.7", "Mozilla/5.0 (Android)")
    assert "确认记录" in leader.get(reverse("signoff:task", args=[task.pk])).content.decode()


def test_tracking_page_and_xlsx_name_the_missing(register: Any, users: dict[str, Any]) -> None:
    _client(users["officer"]).post(reverse("signoff:distribute"), DISTRIBUTE)
    document = Document.objects.get(kind=Kind.REGULATION)
    reader = _client(users["county_viewer"])
    page = reader.get(reverse("signoff:document", args=[document.pk])).content.decode()
    assert "其木格" in page and "应确认 4，已确认 0，未确认 4" in page
    overview = reader.get(reverse("signoff:overview")).content.decode()
    assert document.title in overview
    response = reader.get(reverse("signoff:document_xlsx", args=[document.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    names = {row[3] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert names == {"李强", "张建华", "巴图", "其木格"}
    assert AuditEntry.objects.filter(event="export.signoff").count() == 1


def test_the_target_template_pages(register: Any, users: dict[str, Any]) -> None:
    officer = _client(users["officer"])
    officer.post(reverse("signoff:target_create"), {"year": "2026"})
    document = Document.objects.get(kind=Kind.TARGET_LETTER)
    officer.post(
        reverse("signoff:target_item_add", args=[document.pk]),
        {"text": "开展应急演练", "indicator": "trainings_held", "target": "两次"},
    )
    page = officer.get(reverse("signoff:targets") + "?year=2026", follow=True).content.decode()
    assert "选择了考核指标的，目标值须为数字。" in page
    officer.post(reverse("signoff:target_issue", args=[document.pk]), DISTRIBUTE)
    letter = document.letters.get(unit=register.village)
    response = officer.get(reverse("signoff:letter_docx", args=[letter.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_a_new_version_is_shown_with_what_it_changed(
    register: Any, users: dict[str, Any], town: Any, seed_bytes: bytes
) -> None:
    import datetime

    from yigang.regulations import actions as regs
    from yigang.signoff.actions import sync_town

    text = seed_bytes.decode("utf-8").replace("组织研究制定本辖区", "每年组织研究制定本辖区")
    v2 = regs.import_regulation(town=town, data=text.encode("utf-8"), filename="v2.txt", actor=None)
    regs.activate_regulation(regulation=v2, actor=None, effective_from=datetime.date(2024, 6, 1))
    sync_town(town=town, actor=None, day=datetime.date(2024, 6, 1))
    task = Task.objects.get(document__regulation=v2, person=register.secretary)
    page = _client(register.secretary.user).get(reverse("signoff:task", args=[task.pk])).content.decode()
    assert "与所替代的第 1 版相比的修订内容" in page and "<ins>每年</ins>" in page


def test_tracking_pages_do_not_grow_queries_with_holders(
    register: Any, users: dict[str, Any], town: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yigang.org import actions as org
    from yigang.signoff.actions import sync_town

    sync_town(town=town, actor=None)
    reader = _client(users["leader"])
    document = Document.objects.get(kind=Kind.DUTY_LIST)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as overview:
            assert reader.get(reverse("signoff:overview")).status_code == 200
        with CaptureQueriesContext(connection) as detail:
            assert reader.get(reverse("signoff:document", args=[document.pk])).status_code == 200
        return len(overview), len(detail)

    count()  # the first request renews the new session (IdleSessionMiddleware): not counted
    before = count()
    for n in range(3):
        unit = org.add_unit(town=town, name=f"测试嘎查{n}", kind="village", actor=None)
        post = org.add_post(unit=unit, title=f"测试嘎查{n}党支部书记", kind="village_secretary", actor=None)
        person = org.add_person(town=town, name=f"测试{n}", actor=None)
        org.appoint(post=post, person=person, start=register.tenures["head"].start, actor=None)
    sync_town(town=town, actor=None)
    assert Task.objects.filter(document=document, ended_at__isnull=True).count() == 7
    assert count() == before
