"""The person's own word for a deliberate act: their password, or a fresh TOTP code if they have a second factor.

A sign-off confirmation, publishing the year's assessment, closing a hazard (销号) or an accident investigation,
distributing a document for sign-off: each binds people, so the actor re-enters their secret. Too many wrong ones
in a row (whatever they were for) are refused for a while, as a login would be. It lives with the accounts so
that every app that needs it may take it from below.
"""

from __future__ import annotations

import datetime
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record

# The method a confirmation records (the values of signoff.models.Method).
PASSWORD = "password"  # noqa: S105 - the name of a method, not a secret
OTP = "otp"


def has_otp(user: Any) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def check_secret(user: Any, secret: str) -> tuple[str | None, str]:
    """(refusal or None, method). A user with a second factor confirms with a fresh code, others with their password."""
    if has_otp(user):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        token = secret.strip()
        ok = token.isdigit() and any(
            d.verify_token(token) for d in TOTPDevice.objects.filter(user_id=user.pk, confirmed=True)
        )
        return (None if ok else "动态验证码不正确，未确认。请输入验证器中当前的 6 位数字。"), OTP
    if not secret or not user.check_password(secret):
        return "密码不正确，未确认。", PASSWORD
    return None, PASSWORD


# Re-entering a password is a login of sorts: too many wrong ones in a row are refused for a while.
MAX_WRONG_SECRETS = 5
WRONG_SECRET_WINDOW = datetime.timedelta(minutes=15)
BAD_CREDENTIAL = "bad_credential"


def too_many_wrong(actor: Any) -> bool:
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
    if too_many_wrong(actor):
        return "密码或验证码错误次数过多，请 15 分钟后再试。", PASSWORD, "rule"
    problem, method = check_secret(actor, secret)
    return problem, method, BAD_CREDENTIAL


def refusal_for(actor: Any, secret: str | None, act: str) -> tuple[str | None, str, str]:
    """What a deliberate act (`act`: 结案, 销号, 发布, 下发 …) says to the secret given for it: (refusal or None,
    method, kind), the refusal worded for the act ("…以确认销号", "密码不正确，未销号。"). No actor is the system
    (a loader, the scheduler), which has no password to give."""
    if actor is None:
        return None, "system", ""
    if not (secret or "").strip():
        return f"请输入您的登录密码（已绑定动态验证码的，填写验证码）以确认{act}。", "", "rule"
    problem, method, kind = reauthenticate(actor, secret or "")
    return (problem.replace("未确认", f"未{act}") if problem else None), str(method), kind


def refuse(
    action: str, problem: str, kind: str, *, actor: Any, ip: str | None, field: str = "", **where: Any
) -> NoReturn:
    """A deliberate act refused: audited as a failed `action` (its own transaction: the refusal stays on record
    whatever the caller rolls back; `where` names the row or the town) and raised, on `field` if named."""
    with transaction.atomic():
        record(action, actor=actor, success=False, ip=ip, changes={"reason": problem, "kind": kind}, **where)
    raise ValidationError({field: [problem]} if field else problem)


def require_word(
    actor: Any, secret: str | None, act: str, action: str, *, ip: str | None, field: str = "", **where: Any
) -> str:
    """`refusal_for`, and a refusal audited and raised (`refuse`); the method of the word when it is right."""
    problem, method, kind = refusal_for(actor, secret, act)
    if problem is not None:
        refuse(action, problem, kind, actor=actor, ip=ip, field=field, **where)
    return method
