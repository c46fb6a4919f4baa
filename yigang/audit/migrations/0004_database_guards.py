"""The database itself refuses to change audit entries (and to delete entries no archive covers, on PostgreSQL).

SQLite gets no DELETE trigger: Django's flush (transactional tests, `yigang flush`) empties tables with DELETE,
which a trigger cannot tell from tampering; there the model, the queryset and the hash chain guard deletion.
"""

from django.db import migrations

SQLITE = [
    (
        "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
        "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END",
        "DROP TRIGGER IF EXISTS audit_entry_no_update",
    ),
    (
        "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_auditcheckpoint "
        "BEGIN SELECT RAISE(ABORT, 'audit checkpoints cannot be changed'); END",
        "DROP TRIGGER IF EXISTS audit_checkpoint_no_update",
    ),
]

POSTGRES = [
    (
        "CREATE FUNCTION audit_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit entries cannot be changed' USING ERRCODE = 'integrity_constraint_violation'; "
        "END $$",
        "DROP FUNCTION IF EXISTS audit_refuse_update()",
    ),
    (
        "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
        "FOR EACH ROW EXECUTE FUNCTION audit_refuse_update()",
        "DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry",
    ),
    (
        "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE OR DELETE ON audit_auditcheckpoint "
        "FOR EACH ROW EXECUTE FUNCTION audit_refuse_update()",
        "DROP TRIGGER IF EXISTS audit_checkpoint_no_update ON audit_auditcheckpoint",
    ),
    (
        "CREATE FUNCTION audit_refuse_unarchived_delete() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF OLD.id > COALESCE((SELECT max(last_id) FROM audit_auditcheckpoint), 0) THEN "
        "RAISE EXCEPTION 'audit entries cannot be deleted before an archive covers them' "
        "USING ERRCODE = 'integrity_constraint_violation'; "
        "END IF; "
        "RETURN OLD; "
        "END $$",
        "DROP FUNCTION IF EXISTS audit_refuse_unarchived_delete()",
    ),
    (
        "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry "
        "FOR EACH ROW EXECUTE FUNCTION audit_refuse_unarchived_delete()",
        "DROP TRIGGER IF EXISTS audit_entry_no_delete ON audit_auditentry",
    ),
]


def _run(apps, schema_editor, forward=True):  # noqa: ANN001, ANN202
    vendor = schema_editor.connection.vendor
    pairs = SQLITE if vendor == "sqlite" else POSTGRES if vendor == "postgresql" else []
    for create, drop in pairs if forward else reversed(pairs):
        schema_editor.execute(create if forward else drop)


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _run(apps, schema_editor, True)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _run(apps, schema_editor, False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_protected_entries_and_checkpoints")]

    operations = [migrations.RunPython(forwards, backwards)]
