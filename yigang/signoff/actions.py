"""Every write of sign-off: distribution, the yearly rounds, the target template and letters, confirmations.

Distribution is idempotent: `sync_town` (run by the officer's "distribute" button and by every `yigang remind`
run) makes the tasks match the register on the day — a new holder gets a task, a holder who left loses their open
one, a new year opens a new round of duty lists, and a new regulation version re-opens only the lists whose text
it changed. Regulation activation itself does not call in here (imports point one way: sign-off builds on the
regulation, never the reverse); the next run after activation distributes the new version.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yigang.audit.log import record
from yigang.evidence import uploads
from yigang.org.chain import regulation_at
from yigang.org.models import Post, Unit, UnitKind, in_force
from yigang.regulations.choices import PostKind
from yigang.regulations.models import Regulation, Status
from yigang.towns.models import MANAGE_ROLES, Town, has_role

from . import slots as slotting
from . import texts
from .indicators import DEFAULT_ITEMS, INDICATORS
from .models import (
    Confirmation,
    Document,
    Kind,
    Method,
    Policy,
    Scan,
    TargetItem,
    TargetLetter,
    Task,
    sha256_text,
)


@dataclass
class SyncResult:
    created: list[Task] = field(default_factory=list)
    ended: int = 0
    warnings: list[str] = field(default_factory=list)

    def add(self, other: SyncResult) -> None:
        self.created.extend(other.created)
        self.ended += other.ended
        self.warnings.extend(other.warnings)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.ended)


def _sync(document: Document, wanted: Sequence[slotting.Slot], reason_changed: str) -> SyncResult:
    """Make the open tasks of `document` match `wanted`: keep identical ones, end the rest, open the new."""
    result = SyncResult()
    now = timezone.now()
    open_tasks = {
        (t.post_id, t.person_id, t.letter_id, t.side): t
        for t in Task.objects.select_for_update().filter(document=document, ended_at__isnull=True)
    }
    wanted_by_key = {slot.key: slot for slot in wanted}
    # End first, then open: a letter's side has one open task, so the old holder's must end before the new one's.
    for key, task in open_tasks.items():
        slot = wanted_by_key.get(key)
        if slot is None:
            _end(task, now, "不再任职")
        elif task.text_sha256 != slot.sha256:
            _end(task, now, reason_changed)
        else:
            continue
        result.ended += 1
    for key, slot in wanted_by_key.items():
        task = open_tasks.get(key)
        if task is not None and task.ended_at is None:
            continue
        result.created.append(
            Task.objects.create(
                document=document,
                post=slot.post,
                person_id=slot.person_id,
                letter=slot.letter,
                side=slot.side,
                regulation=slot.regulation,
                title=slot.title[:300],
                text=slot.text,
                text_sha256=slot.sha256,
            )
        )
    return result


def _end(task: Task, now: datetime.datetime, reason: str) -> None:
    task.ended_at = now
    task.end_reason = reason
    task.save(update_fields=["ended_at", "end_reason"])


def _end_superseded(town: Town, regulation: Regulation) -> int:
    """Close what is still open for an earlier version: it can no longer be confirmed, and keeping it open would
    count its holders as missing for ever. Their confirmation of the version in force is asked anew."""
    now = timezone.now()
    stale = (
        Task.objects.select_for_update(of=("self",))  # PostgreSQL locks no row across the outer join
        .filter(
            document__town=town,
            document__kind=Kind.REGULATION,
            ended_at__isnull=True,
            confirmation__isnull=True,  # a confirmation given stays the record it is
        )
        .exclude(document__regulation=regulation)
    )
    ended = 0
    for task in stale:
        _end(task, now, "制度已修订，请确认现行版本")
        ended += 1
    return ended


def _regulation_document(regulation: Regulation, actor: Any) -> Document:
    document = Document.objects.filter(kind=Kind.REGULATION, regulation=regulation).first()
    if document is None:
        document = Document.objects.create(
            town=regulation.town,
            kind=Kind.REGULATION,
            regulation=regulation,
            year=regulation.effective_from.year if regulation.effective_from else None,
            title=f"{regulation.title}（第{regulation.version}版）"[:300],
            issued_at=timezone.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return document


def _duty_list_document(town: Town, year: int, actor: Any) -> Document:
    document = Document.objects.filter(town=town, kind=Kind.DUTY_LIST, year=year).first()
    if document is None:
        document = Document.objects.create(
            town=town,
            kind=Kind.DUTY_LIST,
            year=year,
            title=f"{town.name}{year}年度安全生产责任清单确认",
            issued_at=timezone.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return document


def _sync_unlocked(town: Town, day: datetime.date, actor: Any) -> SyncResult:
    result = SyncResult()
    regulation = Regulation.objects.filter(town=town, status=Status.ACTIVE).first()
    if regulation is not None:
        result.ended += _end_superseded(town, regulation)
    if regulation is not None and regulation.effective_from and regulation.effective_from <= day:
        document = _regulation_document(regulation, actor)
        result.add(_sync(document, slotting.regulation_slots(document, day), "制度修订"))
    in_force_today = regulation_at(town, day)
    if in_force_today is not None:
        document = _duty_list_document(town, day.year, actor)
        result.add(
            _sync(document, slotting.duty_list_slots(document, in_force_today, day), "制度修订，清单变化")
        )
    for letters in Document.objects.filter(
        town=town, kind=Kind.TARGET_LETTER, year=day.year, issued_at__isnull=False
    ):
        result.add(_sync(letters, slotting.letter_slots(letters, day), "责任书变化"))
    return result


def sync_town(*, town: Town, actor: Any, day: datetime.date | None = None) -> SyncResult:
    """Distribute what is due on `day`: the version in force, the year's duty lists, the year's issued letters.

    Safe to run any number of times; writes (and audits) only when a task opens or ends.
    """
    day = day or timezone.localdate()
    with transaction.atomic():
        Town.objects.select_for_update().filter(pk=town.pk).first()  # one sync of a town at a time
        result = _sync_unlocked(town, day, actor)
        if result.changed:
            record(
                "signoff.distribute",
                actor=actor,
                town=town,
                changes={"date": day, "opened": len(result.created), "ended": result.ended},
            )
    return result


def distribute_regulation(
    *, regulation: Regulation, actor: Any, day: datetime.date | None = None
) -> SyncResult:
    """The officer's "distribute": send the version in force to every current holder of a post it names."""
    if regulation.status != Status.ACTIVE:
        with transaction.atomic():
            record(
                "signoff.distribute",
                actor=actor,
                obj=regulation,
                success=False,
                changes={"reason": "not active"},
            )
        raise ValidationError("只能下发现行有效的制度版本；草稿须先审核启用，已被替代的版本不再下发。")
    return sync_town(town=regulation.town, actor=actor, day=day)


# --- 目标责任书 -----------------------------------------------------------------------------------------------


def create_target_template(*, town: Town, year: int, actor: Any) -> Document:
    """The year's 目标责任书 template, started from the standard items; the 安委办 edits it before issuing."""
    if not 2000 <= year <= 2100:
        raise ValidationError("年度须在 2000 到 2100 之间。")
    with transaction.atomic():
        if Document.objects.filter(town=town, kind=Kind.TARGET_LETTER, year=year).exists():
            raise ValidationError(f"{year}年度的目标责任书已经建立。")
        document = Document.objects.create(
            town=town,
            kind=Kind.TARGET_LETTER,
            year=year,
            title=texts.letter_title(town.name, year),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for position, (text, indicator, target) in enumerate(DEFAULT_ITEMS, start=1):
            TargetItem.objects.create(
                document=document, position=position, text=text, indicator=indicator, target=target
            )
        record("signoff.target_template", actor=actor, obj=document, changes={"year": year})
    return document


def _require_template(document: Document) -> None:
    if document.kind != Kind.TARGET_LETTER:
        raise ValidationError("这不是目标责任书。")
    if not document.is_draft:
        raise ValidationError("目标责任书已下发，条目不能再修改；各方确认的是下发时的文本。")


def add_target_item(*, document: Document, text: str, indicator: str, target: str, actor: Any) -> TargetItem:
    """Add a target to a template not yet issued; an indicator needs a numeric target."""
    _require_template(document)
    text = text.strip()
    if not text:
        raise ValidationError("请填写目标内容。")
    if indicator and indicator not in INDICATORS:
        raise ValidationError("未知的考核指标。")
    target = target.strip()
    if indicator:
        try:
            value = float(target)
        except ValueError:
            raise ValidationError("选择了考核指标的，目标值须为数字。") from None
        if value < 0 or (INDICATORS[indicator].unit == "%" and value > 100):
            raise ValidationError("目标值超出范围（比率为 0–100）。")
    with transaction.atomic():
        last = TargetItem.objects.filter(document=document).aggregate(p=Max("position"))["p"] or 0
        item = TargetItem.objects.create(
            document=document, position=last + 1, text=text[:300], indicator=indicator, target=target[:20]
        )
        record(
            "signoff.target_item_add",
            actor=actor,
            obj=document,
            changes={"text": item.text, "indicator": indicator, "target": item.target},
        )
    return item


def remove_target_item(*, item: TargetItem, actor: Any) -> None:
    """Remove a target from a template not yet issued (nobody has confirmed anything of it)."""
    document = item.document
    _require_template(document)
    with transaction.atomic():
        record("signoff.target_item_remove", actor=actor, obj=document, changes={"text": item.text})
        item.delete()


def _party_b_posts(town: Town, day: datetime.date, include_leaders: bool) -> list[tuple[Unit, Post, str]]:
    heads = {UnitKind.BODY: PostKind.DEPARTMENT_HEAD, UnitKind.VILLAGE: PostKind.VILLAGE_SECRETARY}
    units = Unit.objects.at(day).filter(town=town, kind__in=list(heads)).order_by("kind", "name")
    posts = (
        Post.objects.at(day)
        .filter(town=town, unit__in=units, kind__in=list(heads.values()))
        .select_related("unit")
        .order_by("title", "id")
    )
    head_of: dict[int, Post] = {}
    for post in posts:
        if post.kind == heads[UnitKind(post.unit.kind)]:
            head_of.setdefault(post.unit_id, post)
    found = [(u, head_of[u.pk], u.name) for u in units if u.pk in head_of]
    if include_leaders:
        signatory = slotting.town_signatory(town, day)
        leaders = (
            Post.objects.at(day)
            .filter(town=town, kind__in=[PostKind.OTHER_DEPUTY, PostKind.DEPUTY_PARTY_SECRETARY])
            .filter(in_force(day, "valid_from", "valid_until", prefix="unit__"))
            .select_related("unit")
            .order_by("title", "id")
        )
        found += [(p.unit, p, p.title) for p in leaders if signatory is None or p.pk != signatory.post_id]
    return found


def issue_target_letters(
    *, document: Document, actor: Any, include_leaders: bool = False, day: datetime.date | None = None
) -> SyncResult:
    """Freeze the template into one letter per body and village (and leader), and ask both sides to confirm."""
    _require_template(document)
    day = day or timezone.localdate()
    items = list(document.items.all())
    if not items:
        raise ValidationError("目标责任书还没有目标条目。")
    town = document.town
    with transaction.atomic():
        parties = _party_b_posts(town, day, include_leaders)
        if not parties:
            raise ValidationError("登记册中没有可签订责任书的单位负责人或嘎查村书记岗位。")
        for unit, post, party_b in parties:
            text = texts.letter_text(
                town_name=town.name, year=document.year or day.year, party_b=party_b, items=items
            )
            TargetLetter.objects.create(
                document=document,
                unit=unit,
                post=post,
                party_b=party_b,
                text=text,
                text_sha256=sha256_text(text),
            )
        document.issued_at = timezone.now()
        document.include_leaders = include_leaders
        document.save(update_fields=["issued_at", "include_leaders"])
        result = _sync(document, slotting.letter_slots(document, day), "责任书变化")
        if slotting.town_signatory(town, day) is None:
            result.warnings.append("分管安全生产副职和镇长岗位均无人任职，甲方暂无人确认。")
        record(
            "signoff.target_issue",
            actor=actor,
            obj=document,
            changes={
                "letters": len(parties),
                "tasks": len(result.created),
                "include_leaders": include_leaders,
            },
        )
    return result


# --- confirmations --------------------------------------------------------------------------------------------


def _has_otp(user: Any) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def _check_secret(user: Any, secret: str) -> tuple[str | None, str]:
    """(refusal or None, method). A user with a second factor confirms with a fresh code, others with their password."""
    if _has_otp(user):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        token = secret.strip()
        ok = token.isdigit() and any(
            d.verify_token(token) for d in TOTPDevice.objects.filter(user_id=user.pk, confirmed=True)
        )
        return (None if ok else "动态验证码不正确，未确认。请输入验证器中当前的 6 位数字。"), Method.OTP
    if not secret or not user.check_password(secret):
        return "密码不正确，未确认。", Method.PASSWORD
    return None, Method.PASSWORD


# Re-entering a password is a login of sorts: too many wrong ones in a row are refused for a while.
MAX_WRONG_SECRETS = 5
WRONG_SECRET_WINDOW = datetime.timedelta(minutes=15)
BAD_CREDENTIAL = "bad_credential"


def _too_many_wrong(actor: Any) -> bool:
    from yigang.audit.models import AuditEntry

    since = timezone.now() - WRONG_SECRET_WINDOW
    # Every failed re-entry counts, whatever it was for (a confirmation, a paper signature, a publication).
    return (
        AuditEntry.objects.filter(
            user_id=actor.pk,
            success=False,
            at__gte=since,
            changes__kind=BAD_CREDENTIAL,
        ).count()
        >= MAX_WRONG_SECRETS
    )


def reauthenticate(actor: Any, secret: str) -> tuple[str | None, str, str]:
    """The check a confirmation makes, for other deliberate acts that need the person's own word (publishing the
    year's assessment): (refusal or None, method, kind). The password, or a fresh TOTP code for a user with a
    second factor; refused after too many wrong ones in a row. The caller audits a refusal as a failure with
    `changes["kind"] = kind` (`BAD_CREDENTIAL` for a wrong secret, so it counts toward the limit)."""
    if _too_many_wrong(actor):
        return "密码或验证码错误次数过多，请 15 分钟后再试。", Method.PASSWORD, "rule"
    problem, method = _check_secret(actor, secret)
    return problem, method, BAD_CREDENTIAL


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
        file=path,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
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
    if problem is None and _too_many_wrong(actor):
        problem = "密码或验证码错误次数过多，请 15 分钟后再试。"
    elif problem is None:
        problem, method = _check_secret(actor, secret)
        kind = BAD_CREDENTIAL
    if problem is not None:
        with transaction.atomic():
            record(
                "signoff.confirm",
                actor=actor,
                obj=task,
                town=task.document.town,
                success=False,
                ip=ip,
                changes={"reason": problem, "kind": kind},
            )
        raise ValidationError(problem)
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
    if problem is None and _too_many_wrong(actor):
        problem = "密码或验证码错误次数过多，请 15 分钟后再试。"
    elif problem is None:
        problem, _how = _check_secret(actor, secret)
        kind = BAD_CREDENTIAL
    if problem is not None or checked is None:
        with transaction.atomic():
            record(
                "signoff.paper",
                actor=actor,
                obj=task,
                town=town,
                success=False,
                ip=ip,
                changes={"reason": problem, "kind": kind},
            )
        raise ValidationError(problem or "")
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


def set_policy(*, town: Town, remind_after_days: int, escalate_after_days: int, actor: Any) -> Policy:
    """After how many days the missing are reminded, and after how many their leader in charge is told."""
    if not 1 <= remind_after_days <= 90 or not 1 <= escalate_after_days <= 180:
        raise ValidationError("提醒天数须在 1 到 90 之间，告知领导的天数须在 1 到 180 之间。")
    if escalate_after_days <= remind_after_days:
        raise ValidationError("告知分管领导的天数须多于提醒本人的天数。")
    with transaction.atomic():
        policy, _created = Policy.objects.select_for_update().get_or_create(town=town)
        before = {"remind": policy.remind_after_days, "escalate": policy.escalate_after_days}
        policy.remind_after_days = remind_after_days
        policy.escalate_after_days = escalate_after_days
        policy.save(update_fields=["remind_after_days", "escalate_after_days"])
        record(
            "signoff.policy",
            actor=actor,
            town=town,
            changes={
                "before": before,
                "after": {"remind": remind_after_days, "escalate": escalate_after_days},
            },
        )
    return policy
