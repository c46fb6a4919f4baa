"""Confirmations: the holder's own, the paper signature the 安委办 records, scans, and the re-entered secret."""

from __future__ import annotations

import datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record
from yigang.evidence import uploads
from yigang.regulations.models import Status
from yigang.towns.models import MANAGE_ROLES, has_role
from yigang.towns.reauth import BAD_CREDENTIAL, check_secret, refuse, too_many_wrong

from ..models import Confirmation, Method, Scan, Task


def _refusal(task: Task, actor: Any, sha256: str) -> str | None:
    person = task.person
    if not getattr(actor, "is_authenticated", False) or person.user_id != actor.pk:
        return f"只能由本人确认：这项签收属于{person.name}，不能代为确认。"
    return _task_refusal(task, sha256)


def _task_refusal(task: Task, sha256: str) -> str | None:
    """Why this task can no longer be confirmed by anyone (or None)."""
    if hasattr(task, "confirmation"):
        return f"已于{timezone.localtime(task.confirmation.at):%Y-%m-%d %H:%M}确认，确认记录不可更改，无需重复确认。"
    regulation = task.document.regulation
    if regulation is not None and regulation.status != Status.ACTIVE:
        return "该制度版本已被替代，不能再确认；请确认现行版本。"
    if task.ended_at is not None:
        return f"该签收已失效（{task.end_reason}），不能再确认；请确认最新的文本。"
    if sha256 != task.text_sha256:
        return "所确认的文本与当前文本不一致（文件已更新），请重新阅读后确认。"
    return None


def _new_confirmation(
    task: Task,
    actor: Any,
    method: str,
    ip: str | None,
    user_agent: str,
    signed_on: datetime.date | None = None,
) -> Confirmation:
    """The confirmation row of a locked task, as `confirm` and `record_paper_signature` write it."""
    return Confirmation.objects.create(
        task=task,
        person=task.person,
        user=actor,
        at=timezone.now(),
        ip=ip or None,
        user_agent=user_agent[:300],
        method=method,
        sha256=task.text_sha256,
        signed_on=signed_on,
    )


def _new_scan(confirmation: Confirmation, path: str, checked: uploads.CheckedFile, actor: Any) -> Scan:
    return Scan.objects.create(
        confirmation=confirmation,
        uploaded_by=actor,
        **checked.fields(path),
    )


def confirm(
    *,
    task: Task,
    actor: Any,
    secret: str,
    sha256: str,
    ip: str | None = None,
    user_agent: str = "",
) -> Confirmation:
    """Record that the holder read and confirmed the exact text of `task` (已阅知/已签署).

    The holder re-enters their password (their TOTP code when they have a second factor). Confirming for
    someone else, a superseded version or an ended task, a text that changed, or with a wrong secret is refused
    with a Chinese `ValidationError` and recorded as a failed `signoff.confirm`.
    """
    problem = _refusal(task, actor, sha256)
    method: str = Method.PASSWORD
    kind = "rule"
    if problem is None and too_many_wrong(actor):
        problem = "密码或验证码错误次数过多，请 15 分钟后再试。"
    elif problem is None:
        problem, method = check_secret(actor, secret)
        kind = BAD_CREDENTIAL
    if problem is not None:
        refuse("signoff.confirm", problem, kind, actor=actor, ip=ip, obj=task, town=task.document.town)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if Confirmation.objects.filter(task=locked).exists():
            raise ValidationError("已确认，确认记录不可更改，无需重复确认。")
        confirmation = _new_confirmation(locked, actor, method, ip, user_agent)
        record(
            "signoff.confirm",
            actor=actor,
            obj=locked,
            town=task.document.town,
            ip=ip,
            changes={
                "document": task.document.title,
                "person": locked.person.name,
                "post": locked.post.title,
                "sha256": confirmation.sha256,
                "method": method,
                "user_agent": confirmation.user_agent,
            },
        )
    return confirmation


def record_paper_signature(
    *,
    task: Task,
    actor: Any,
    secret: str,
    sha256: str,
    signed_on: datetime.date,
    upload: IO[bytes] | None,
    name: str,
    ip: str | None = None,
    user_agent: str = "",
) -> Confirmation:
    """The 安委办 records that the holder signed the printed text on paper — a holder without an account, or one
    who signs on paper — with the scan of the signed copy (required) and the date on it. The officer re-enters
    their own password (or TOTP code); the confirmation names the holder and the officer who entered it, is
    audited as `signoff.paper` and, like any confirmation, is never edited. Refusals are Chinese
    `ValidationError`s, audited as failed, and save nothing (neither the confirmation nor the scan)."""
    town = task.document.town
    problem = None if has_role(actor, town, MANAGE_ROLES) else "只有本镇安委办可以录入纸质签字。"
    kind = "rule"
    today = timezone.localdate()
    issued = timezone.localdate(task.created_at) if task.created_at else today
    problem = problem or _task_refusal(task, sha256)
    if problem is None and signed_on > today:
        problem = "签字日期不能晚于今天，请核对纸质件上的日期。"
    elif problem is None and signed_on < issued:
        problem = f"签字日期早于下发日期（{issued:%Y-%m-%d}），请核对纸质件上的日期。"
    elif problem is None and upload is None:
        problem = "请上传签字纸质件的扫描件（PDF 或照片）：纸质签字以扫描件为凭。"
    checked = None
    if problem is None:
        try:
            checked = uploads.check(upload, name, kinds=uploads.SCAN_KINDS)  # type: ignore[arg-type]
        except ValidationError as exc:
            problem = exc.messages[0]
    method: str = Method.PAPER
    if problem is None and too_many_wrong(actor):
        problem = "密码或验证码错误次数过多，请 15 分钟后再试。"
    elif problem is None:
        problem, _how = check_secret(actor, secret)
        kind = BAD_CREDENTIAL
    if problem is not None or checked is None:
        refuse("signoff.paper", problem or "", kind, actor=actor, ip=ip, obj=task, town=town)
    path = uploads.store(town.pk, checked)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if Confirmation.objects.filter(task=locked).exists():
            raise ValidationError("已确认，确认记录不可更改，无需重复录入。")
        confirmation = _new_confirmation(locked, actor, method, ip, user_agent, signed_on)
        scan = _new_scan(confirmation, path, checked, actor)
        record(
            "signoff.paper",
            actor=actor,
            obj=locked,
            town=town,
            ip=ip,
            changes={
                "document": task.document.title,
                "person": locked.person.name,
                "post": locked.post.title,
                "signed_on": signed_on.isoformat(),
                "sha256": confirmation.sha256,
                "scan": {"name": scan.name, "sha256": scan.sha256, "size": scan.size},
            },
        )
    return confirmation


def attach_scan(*, confirmation: Confirmation, upload: IO[bytes], name: str, actor: Any) -> Scan:
    """Attach the scan of the paper copy signed by hand (type read from the content, SHA-256 kept)."""
    checked = uploads.check(upload, name, kinds=uploads.SCAN_KINDS)
    town = confirmation.task.document.town
    if confirmation.scans.count() >= uploads.MAX_FILES:
        raise ValidationError(f"每项确认最多 {uploads.MAX_FILES} 个扫描件。")
    path = uploads.store(town.pk, checked)
    with transaction.atomic():
        scan = _new_scan(confirmation, path, checked, actor)
        record(
            "signoff.scan",
            actor=actor,
            obj=confirmation.task,
            town=town,
            changes={"name": scan.name, "sha256": scan.sha256, "size": scan.size},
        )
    return scan
