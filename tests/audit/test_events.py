"""Security events reach the audit trail with time, user, event, object, result and changed fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from yigang.audit.config import record_settings_change
from yigang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_change_of_security_settings_is_recorded_once(db: Any) -> None:
    first = record_settings_change()
    assert first is not None and first.event == "settings.change"
    assert record_settings_change() is None  # nothing changed since
    with override_settings(OTP_REQUIRED=True, AXES_FAILURE_LIMIT=3):
        changed = record_settings_change()
    assert changed is not None
    assert changed.changes["changed"] == {"OTP_REQUIRED": [False, True], "AXES_FAILURE_LIMIT": [5, 3]}
    assert "SECRET_KEY" not in changed.changes["snapshot"]


def test_a_permission_denial_names_the_user_the_page_and_the_failure(
    users: dict[str, Any], login: Any
) -> None:
    login(users["leader"]).get("/regulations/import/")
    entry = AuditEntry.objects.get(event="auth.permission_denied")
    assert (entry.username, entry.success, entry.object_repr) == ("leader", False, "/regulations/import/")
    assert entry.at is not None and entry.town is not None


def test_an_export_is_recorded(users: dict[str, Any], regulation: Any, login: Any) -> None:
    login(users["leader"]).get(f"/regulations/{regulation.pk}/posts/mayor/xlsx/")
    entry = AuditEntry.objects.get(event="export.duty_list")
    assert entry.changes == {"post": "mayor", "format": "xlsx"} and entry.object_id == str(regulation.pk)


def test_the_audit_trail_has_no_page_or_api_route_that_changes_it() -> None:
    from django.urls import get_resolver

    from yigang.api.urls import api

    paths = api.get_openapi_schema()["paths"]
    assert not [p for p in paths if "audit" in p]
    # The audit administrator's pages read and verify; none of them writes to an entry (the verify button
    # appends its own entry, like every action).
    audit = next(p for p in get_resolver().url_patterns if str(p.pattern) == "audit/")
    assert sorted(str(p.pattern) for p in audit.url_patterns) == ["", "<int:pk>/", "verify/"]
    assert not [
        r for r in (str(p.pattern) for p in get_resolver().url_patterns) if "audit" in r and r != "audit/"
    ]
