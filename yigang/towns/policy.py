"""What an account owes before it may work: a second-factor code, a forced or expired password change, enrolment.

Decided once at login and kept in the session, so the middleware that enforces it costs no query per request.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import ADMIN_ROLES, AUDIT_ROLES, Account, Membership

MUST_CHANGE = "yigang_must_change_password"
OTP_PENDING = "yigang_otp_pending"
OTP_SETUP = "yigang_otp_setup_required"
IS_AUDITOR = "yigang_is_auditor"  # likewise, the audit-trail link
IS_SYSADMIN = "yigang_is_sysadmin"  # only shows the account-management link; the pages check again


def password_expired(user: Any, account: Account | None) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days:
        return False
    changed = (account.password_changed_at if account else None) or user.date_joined
    return bool(changed and timezone.now() - changed > datetime.timedelta(days=days))


def must_change_password(user: Any) -> bool:
    account = Account.objects.filter(user_id=user.pk).first()
    forced = bool(account and account.must_change_password and settings.FORCE_PASSWORD_CHANGE)
    return forced or password_expired(user, account)


def has_second_factor(user: Any) -> bool:
    from django_otp import user_has_device

    return bool(user_has_device(user, confirmed=True))


def start_session(request: Any, user: Any) -> None:
    """Called on login: note in the session what the account owes."""
    session = getattr(request, "session", None)
    if session is None:
        return
    has_otp = has_second_factor(user)
    session[OTP_PENDING] = has_otp and not getattr(user, "otp_device", None)
    session[MUST_CHANGE] = must_change_password(user)
    session[OTP_SETUP] = bool(settings.OTP_REQUIRED and not has_otp)
    roles = set(Membership.objects.filter(user_id=user.pk).values_list("role", flat=True))
    session[IS_SYSADMIN] = bool(roles & ADMIN_ROLES)
    session[IS_AUDITOR] = bool(roles & AUDIT_ROLES)


def owed(request: Any) -> str | None:
    """The URL name of the page the account must visit first, or None."""
    session = request.session
    if session.get(OTP_PENDING):
        return "accounts:otp_verify"
    if session.get(MUST_CHANGE):
        return "accounts:password_change"
    if session.get(OTP_SETUP):
        return "accounts:otp_setup"
    return None
