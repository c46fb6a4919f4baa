"""The audit trail is a hash chain: altering, removing or inserting an entry is found."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from yigang.audit.log import record, verify_chain
from yigang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(town: Any) -> list[AuditEntry]:
    return [record(f"test.event{i}", town=town, changes={"n": i, "名": "值"}) for i in range(5)]


def test_an_untouched_chain_verifies(chain: list[AuditEntry]) -> None:
    result = verify_chain()
    assert result.ok and result.checked == 5
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "共 5 条" in out.getvalue()


def test_entries_cannot_be_changed_or_deleted_through_the_app(chain: list[AuditEntry]) -> None:
    entry = chain[2]
    entry.event = "forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def _sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_bulk_changes_through_the_orm_are_refused(chain: list[AuditEntry]) -> None:
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=chain[2].pk).update(event="forged")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=chain[2].pk).delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.bulk_create([AuditEntry(event="forged", prev_hash="0", hash="1")])
    assert verify_chain().ok and AuditEntry.objects.count() == 5


def test_the_database_refuses_to_change_an_entry(chain: list[AuditEntry]) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("UPDATE audit_auditentry SET event = %s WHERE id = %s", "forged", chain[2].pk)
    assert AuditEntry.objects.get(pk=chain[2].pk).event == "test.event2"


@pytest.mark.usefixtures("attacker")
def test_an_altered_entry_is_reported(chain: list[AuditEntry]) -> None:
    _sql("UPDATE audit_auditentry SET event = %s WHERE id = %s", "forged", chain[2].pk)
    result = verify_chain()
    assert not result.ok and result.first_bad_id == chain[2].pk
    with pytest.raises(CommandError, match=f"#{chain[2].pk}"):
        call_command("audit", "verify", stdout=StringIO())


@pytest.mark.usefixtures("attacker")
def test_a_removed_entry_is_reported(chain: list[AuditEntry]) -> None:
    _sql("DELETE FROM audit_auditentry WHERE id = %s", chain[1].pk)
    result = verify_chain()
    assert not result.ok and result.first_bad_id == chain[2].pk


@pytest.mark.usefixtures("attacker")
def test_an_inserted_entry_is_reported(chain: list[AuditEntry]) -> None:
    forged = AuditEntry(at=chain[0].at, event="forged", prev_hash=chain[1].hash, hash="f" * 64)
    forged.hash = forged.compute_hash()
    _sql(
        "INSERT INTO audit_auditentry (id, at, username, event, object_type, object_id, object_repr, success,"
        " changes, prev_hash, hash) VALUES (%s, %s, '', 'forged', '', '', '', %s, '{}', %s, %s)",
        chain[1].pk * 1000 + 1,
        chain[0].at,
        True,
        chain[1].hash,
        forged.hash,
    )
    # Appended after the last entry, its link points at entry 1 instead of the last one.
    result = verify_chain()
    assert not result.ok and result.first_bad_id == chain[1].pk * 1000 + 1


def test_logins_and_failures_are_recorded(users: dict[str, Any], client: Any) -> None:
    client.post("/login/", {"username": "officer", "password": "wrong"})
    client.post("/login/", {"username": "officer", "password": "Test-pass-123"})
    events = list(AuditEntry.objects.values_list("event", "success", "object_repr"))
    assert ("auth.login_failed", False, "officer") in events
    assert ("auth.login", True, "officer") in events
