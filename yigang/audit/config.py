"""Security settings are configuration, not data: a change shows up as a `settings.change` audit entry.

`record_settings_change()` runs when the web application starts (yigang/wsgi.py) and compares the security
settings in force with the snapshot of the last `settings.change` entry.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .log import record
from .models import AuditEntry

EVENT = "settings.change"


def security_settings() -> dict[str, Any]:
    """The settings that decide who gets in and what is recorded (secrets themselves are never recorded)."""
    names = [
        "DEBUG",
        "HTTPS",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SESSION_COOKIE_AGE",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        "AXES_LOCKOUT_PARAMETERS",
        "FORCE_PASSWORD_CHANGE",
        "PASSWORD_MAX_AGE_DAYS",
        "OTP_REQUIRED",
        "AUTH_PASSWORD_VALIDATORS",
        "CONTENT_SECURITY_POLICY",
        "AUDIT_LOG_FILE",
        "CLIENT_IP_HEADER",
    ]
    snapshot = {name: getattr(settings, name, None) for name in names}
    snapshot["DATABASE_ENGINE"] = settings.DATABASES["default"]["ENGINE"]
    return {k: v if isinstance(v, bool | int | str | type(None)) else repr(v) for k, v in snapshot.items()}


def record_settings_change() -> AuditEntry | None:
    """Append a `settings.change` entry naming each changed setting, if any changed since the last one."""
    current = security_settings()
    last = AuditEntry.objects.filter(event=EVENT).order_by("-id").only("changes").first()
    previous: dict[str, Any] = (last.changes or {}).get("snapshot", {}) if last else {}
    changed = {k: [previous.get(k), v] for k, v in current.items() if previous.get(k) != v}
    if last is not None and not changed:
        return None
    return record(EVENT, changes={"changed": changed, "snapshot": current}, object_repr="security settings")
