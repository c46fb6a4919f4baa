"""A signature on paper: the 安委办 enters it for a holder (here one without an account) with the scan of the
signed copy and the date on it, re-entering their own password; refusals save nothing."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.security.conftest import PNG
from yigang.audit.models import AuditEntry
from yigang.signoff.actions import confirm, record_paper_signature, sync_town
from yigang.signoff.models import Confirmation, Document, Kind, Method, Scan, Task
from yigang.signoff.tracking import track, tracked_xlsx


@pytest.fixture
def mayor_task(register: Any, town: Any) -> Task:
    sync_town(town=town, actor=None)
    task = Task.objects.get(document__kind=Kind.DUTY_LIST, person=register.mayor)
    assert task.person.user_id is None  # 张建华 has no account: he cannot confirm himself
    return task


def _paper(task: Task, actor: Any, **given: Any) -> Confirmation:
    args: dict[str, Any] = {
        "task": task,
        "actor": actor,
        "secret": PASSWORD,
        "sha256": task.text_sha256,
        "signed_on": timezone.localdate(),
        "upload": io.BytesIO(PNG),
        "name": "签字页.png",
        "ip": "10.2.3.4",
    }
    args.update(given)
    return record_paper_signature(**args)


def test_the_officer_enters_a_paper_signature_with_its_scan(mayor_task: Task, users: dict[str, Any]) -> None:
    today = timezone.localdate()
    confirmation = _paper(mayor_task, users["officer"], signed_on=today)
    assert (confirmation.person.name, confirmation.user) == ("张建华", users["officer"])
    assert (confirmation.method, confirmation.signed_on) == (Method.PAPER, today)
    assert confirmation.sha256 == mayor_task.text_sha256
    scan = Scan.objects.get(confirmation=confirmation)
    assert scan.name == "签字页.png" and scan.uploaded_by == users["officer"]
    entry = AuditEntry.objects.get(event="signoff.paper", success=True)
    assert entry.changes["person"] == "张建华" and entry.changes["signed_on"] == today.isoformat()
    assert entry.changes["scan"]["sha256"] == scan.sha256 and entry.ip == "10.2.3.4"
    # Counted as confirmed, and the tracking sheet says it was on paper.
    document = Document.objects.get(pk=mayor_task.document_id)
    tracked = track([document])[0]
    assert [line.task.pk for line in tracked.lines if line.confirmed] == [mayor_task.pk]
    sheet = load_workbook(io.BytesIO(tracked_xlsx(tracked))).active
    assert sheet is not None
    states = [row[5] for row in sheet.iter_rows(min_row=3, values_only=True) if row[3] == "张建华"]
    assert states == [f"已确认（纸质签字 {today:%Y-%m-%d}）"]
    with pytest.raises(ValidationError, match="确认记录不可更改"):
        _paper(mayor_task, users["officer"])


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"upload": None}, "请上传签字纸质件的扫描件"),
        ({"signed_on": timezone.localdate() + datetime.timedelta(days=1)}, "签字日期不能晚于今天"),
        ({"signed_on": timezone.localdate() - datetime.timedelta(days=3)}, "签字日期早于下发日期"),
        ({"secret": "wrong-password"}, "密码不正确"),
        ({"upload": io.BytesIO(b"not a scan at all")}, "签字页.png"),
        ({"sha256": "0" * 64}, "文本不一致"),
    ],
)
def test_a_refused_entry_saves_nothing_and_is_audited(
    mayor_task: Task, users: dict[str, Any], given: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        _paper(mayor_task, users["officer"], **given)
    assert expected in exc.value.messages[0]
    assert not Confirmation.objects.exists() and not Scan.objects.exists()
    entry = AuditEntry.objects.get(event="signoff.paper")
    assert not entry.success and entry.changes["reason"] == exc.value.messages[0]


def test_only_the_officer_enters_paper_signatures(
    register: Any, mayor_task: Task, users: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="只有本镇安委办"):
        _paper(mayor_task, users["leader"])
    # A holder who confirmed online needs no paper entry, and one entered on paper cannot confirm again.
    deputy_task = Task.objects.get(document__kind=Kind.DUTY_LIST, person=register.deputy)
    _paper(deputy_task, users["officer"])
    with pytest.raises(ValidationError, match="无需重复确认"):
        confirm(task=deputy_task, actor=users["leader"], secret=PASSWORD, sha256=deputy_task.text_sha256)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_task_page_offers_the_entry_to_the_officer_and_keeps_errors_plain(
    mayor_task: Task, users: dict[str, Any]
) -> None:
    officer, leader = _client(users["officer"]), _client(users["leader"])
    page_url = reverse("signoff:task", args=[mayor_task.pk])
    url = reverse("signoff:paper", args=[mayor_task.pk])
    page = officer.get(page_url).content.decode()
    assert url in page and "此人尚无系统账号" in page
    assert url not in leader.get(page_url).content.decode()

    data = {
        "signed_on": timezone.localdate().isoformat(),
        "secret": PASSWORD,
        "sha256": mayor_task.text_sha256,
    }
    missing = officer.post(url, data)
    assert missing.status_code == 200 and "请上传签字纸质件的扫描件" in missing.content.decode()
    wrong = officer.post(url, {**data, "secret": "nope", "file": SimpleUploadedFile("s.png", PNG)})
    assert "密码不正确" in wrong.content.decode() and "请改正后重新选择扫描件" in wrong.content.decode()
    assert leader.post(url, {**data, "file": SimpleUploadedFile("s.png", PNG)}).status_code == 403
    assert not Confirmation.objects.exists()

    done = officer.post(url, {**data, "file": SimpleUploadedFile("s.png", PNG)})
    assert done.status_code == 302 and done["Location"] == page_url
    shown = officer.get(page_url).content.decode()
    assert "在纸质件上签字" in shown and "s.png" in shown and url not in shown
