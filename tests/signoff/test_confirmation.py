"""What a confirmation is: the holder, re-authenticated, the exact text's SHA-256, audited, never changed."""

from __future__ import annotations

import datetime
import hashlib
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD
from tests.security.conftest import PNG
from yigang.audit.models import AuditEntry
from yigang.regulations import actions as regs
from yigang.signoff.actions import attach_scan, confirm, sync_town
from yigang.signoff.models import Confirmation, Method, Task

D = datetime.date


@pytest.fixture
def tasks(register: Any, town: Any) -> dict[str, Task]:
    sync_town(town=town, actor=None, day=D(2024, 5, 1))
    return {
        f"{t.document.kind}:{t.person.name}": t for t in Task.objects.select_related("document", "person")
    }


def test_the_record_keeps_who_when_where_and_the_hash(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["duty_list:李强"]
    confirmation = confirm(
        task=task,
        actor=users["leader"],
        secret=PASSWORD,
        sha256=task.text_sha256,
        ip="10.1.2.3",
        user_agent="Mozilla/5.0 (iPhone)",
    )
    assert confirmation.person.name == "李强" and confirmation.user == users["leader"]
    assert confirmation.ip == "10.1.2.3" and confirmation.user_agent == "Mozilla/5.0 (iPhone)"
    assert confirmation.method == Method.PASSWORD
    # The hash is of the exact text the holder was shown: the 责任清单 of the deputy in charge of safety.
    assert confirmation.sha256 == hashlib.sha256(task.text.encode("utf-8")).hexdigest()
    assert "分管安全生产工作的副职领导" in task.text and "第九条" in task.text
    entry = AuditEntry.objects.get(event="signoff.confirm", success=True)
    assert entry.changes["sha256"] == confirmation.sha256 and entry.ip == "10.1.2.3"
    assert entry.changes["user_agent"] == "Mozilla/5.0 (iPhone)"


def test_a_confirmation_is_never_edited_or_deleted(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["regulation:李强"]
    confirmation = confirm(task=task, actor=users["leader"], secret=PASSWORD, sha256=task.text_sha256)
    confirmation.ip = "1.1.1.1"
    with pytest.raises(PermissionError):
        confirmation.save()
    with pytest.raises(PermissionError):
        confirmation.delete()
    with pytest.raises(PermissionError):
        Confirmation.objects.all().update(ip="1.1.1.1")
    with pytest.raises(PermissionError):
        Confirmation.objects.all().delete()
    with pytest.raises(ValidationError, match="无需重复确认"):
        confirm(task=task, actor=users["leader"], secret=PASSWORD, sha256=task.text_sha256)
    assert Confirmation.objects.count() == 1


def _refused(task: Task, actor: Any, secret: str, sha256: str | None = None) -> str:
    with pytest.raises(ValidationError) as exc:
        confirm(task=task, actor=actor, secret=secret, sha256=sha256 or task.text_sha256, ip="10.0.0.9")
    return exc.value.messages[0]


def test_a_wrong_password_is_refused_and_audited(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    message = _refused(tasks["duty_list:李强"], users["leader"], "not-my-password")
    assert message == "密码不正确，未确认。"
    entry = AuditEntry.objects.get(event="signoff.confirm")
    assert not entry.success and entry.changes["reason"] == message and entry.ip == "10.0.0.9"
    assert not Confirmation.objects.exists()


def test_confirming_for_someone_else_is_refused(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    # The officer knows their own password, but the list is 巴图's.
    message = _refused(tasks["duty_list:巴图"], users["officer"], PASSWORD)
    assert message == "只能由本人确认：这项签收属于巴图，不能代为确认。"
    # A holder without an account cannot be confirmed for either.
    assert "张建华" in _refused(tasks["duty_list:张建华"], users["leader"], PASSWORD)
    assert AuditEntry.objects.filter(event="signoff.confirm", success=False).count() == 2
    assert not Confirmation.objects.exists()


def test_a_superseded_version_is_refused(
    tasks: dict[str, Task], users: dict[str, Any], town: Any, seed_bytes: bytes
) -> None:
    v2 = regs.import_regulation(town=town, data=seed_bytes, filename="v2.txt", actor=None)
    regs.activate_regulation(regulation=v2, actor=None, effective_from=D(2024, 6, 1))
    message = _refused(tasks["regulation:李强"], users["leader"], PASSWORD)
    assert message == "该制度版本已被替代，不能再确认；请确认现行版本。"
    assert AuditEntry.objects.filter(event="signoff.confirm", success=False).exists()


def test_a_changed_text_or_an_ended_task_is_refused(
    tasks: dict[str, Task], users: dict[str, Any], register: Any, town: Any
) -> None:
    from yigang.org import actions as org

    task = tasks["duty_list:李强"]
    assert "文件已更新" in _refused(task, users["leader"], PASSWORD, sha256="0" * 64)
    org.end_tenure(tenure=register.tenures["deputy"], end=D(2024, 5, 31), actor=None)
    sync_town(town=town, actor=None, day=D(2024, 6, 1))
    task.refresh_from_db()
    assert (
        _refused(task, users["leader"], PASSWORD)
        == "该签收已失效（不再任职），不能再确认；请确认最新的文本。"
    )


def test_a_second_factor_replaces_the_password(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=users["leader"], name="TOTP", confirmed=True)
    task = tasks["duty_list:李强"]
    assert "动态验证码不正确" in _refused(task, users["leader"], PASSWORD)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    confirmation = confirm(task=task, actor=users["leader"], secret=code, sha256=task.text_sha256)
    assert confirmation.method == Method.OTP


def test_a_signed_paper_copy_can_be_attached(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["duty_list:李强"]
    confirmation = confirm(task=task, actor=users["leader"], secret=PASSWORD, sha256=task.text_sha256)
    scan = attach_scan(
        confirmation=confirmation, upload=io.BytesIO(PNG), name="签字页.png", actor=users["leader"]
    )
    assert scan.sha256 == hashlib.sha256(PNG).hexdigest() and scan.content_type == "image/png"
    with pytest.raises(ValidationError, match="不是允许的类型"):
        attach_scan(
            confirmation=confirmation,
            upload=io.BytesIO(b"MZ\x90\x00 not a scan"),
            name="a.png",
            actor=users["leader"],
        )
    assert AuditEntry.objects.filter(event="signoff.scan").count() == 1


def test_repeated_wrong_passwords_are_throttled(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["duty_list:李强"]
    for _ in range(5):
        assert _refused(task, users["leader"], "guess") == "密码不正确，未确认。"
    # Even the right password now waits: guessing through the confirmation form is no easier than logging in.
    assert _refused(task, users["leader"], PASSWORD) == "密码或验证码错误次数过多，请 15 分钟后再试。"
    assert not Confirmation.objects.exists()
    # Refusals for other reasons (someone else's task) do not count towards it.
    assert "只能由本人确认" in _refused(tasks["duty_list:巴图"], users["officer"], PASSWORD)
