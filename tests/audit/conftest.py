"""Shared by the audit tests."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def attacker() -> None:
    """Someone with the database owner's rights: first drops the guards (the chain still shows the tampering)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_entry_no_update ON audit_auditentry")
            cursor.execute("DROP TRIGGER audit_entry_no_delete ON audit_auditentry")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
