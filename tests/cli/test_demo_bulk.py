"""The bulk path of `yigang demo --towns N --counties M` writes what the actions write: a small region built both
ways, every row of every table compared field by field — ids, audit entries and their hashes included."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch, tmp_path: Any, settings: Any) -> None:
    """Few records, a clock that stands still (every "now" the same in both builds, so the hashes are), and a
    media folder of the test's own."""
    from yigang.cli import county
    from yigang.hazards import demo as hazards_demo

    monkeypatch.setattr(county, "RECORDS_PER_TOWN", 120)
    # Four months of hazards (about twenty a town, every fate among them) instead of two years.
    monkeypatch.setattr(hazards_demo, "FIRST", timezone.localdate() - datetime.timedelta(days=120))
    real, frozen = timezone.now, timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            # A default bound before the clock stopped (User.date_joined); the field caches it once asked.
            if f.default is real:
                monkeypatch.setattr(f, "_get_default", timezone.now)
    settings.MEDIA_ROOT = str(tmp_path)


def _value(f: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(f, models.FileField) and value:
        # A new file's name is random (evidence.uploads.store); its place and its bytes are not.
        with default_storage.open(value, "rb") as handle:
            return UUID.sub("<uuid>", value), handle.read()
    if f.attname == "password" and isinstance(value, str) and value.startswith("!"):
        return "!"  # an unusable password is a random string whoever writes it
    return value


def _dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in id order."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = model._meta.concrete_fields
        rows = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
        out[model._meta.label] = [
            tuple(_value(f, v) for f, v in zip(fields, row, strict=True)) for row in rows
        ]
    return out


def _build(through_actions: bool) -> tuple[dict[str, list[tuple[Any, ...]]], str]:
    from yigang.cli import county
    from yigang.cli.management.commands.demo import Command

    out = StringIO()
    county.load(Command(stdout=out), 4, out.write, counties=2, through_actions=through_actions)
    return _dump(), out.getvalue()


def test_the_bulk_copy_writes_what_the_actions_write(small: None) -> None:
    from yigang.audit.log import verify_chain
    from yigang.audit.models import AuditEntry
    from yigang.towns.models import Region, Town

    def restart_sequences() -> None:
        if (
            connection.vendor == "postgresql"
        ):  # sequences do not roll back: both builds start from the same ids
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), apps.get_models(include_auto_created=True)
                ):
                    cursor.execute(sql)

    restart_sequences()  # an earlier test on this database may have moved them
    with transaction.atomic():
        by_actions, _ = _build(through_actions=True)
        assert verify_chain().ok
        transaction.set_rollback(True)
    restart_sequences()
    by_bulk, printed = _build(through_actions=False)

    assert list(Town.objects.order_by("pk").values_list("code", "county")) == [
        ("county-002", "乌审旗"),
        ("county-003", "示范02旗"),
        ("county-004", "示范02旗"),
    ]
    assert {r.name: r.parent.name for r in Region.objects.filter(level="county")} == {
        "乌审旗": "鄂尔多斯市",
        "示范02旗": "鄂尔多斯市",
    }
    assert "4/4" in printed
    # Towns 3 and 4 were copied; every table holds the same rows as when every town went through the actions.
    assert AuditEntry.objects.filter(town__code="county-004").count() > 200
    assert by_bulk.keys() == by_actions.keys()
    for label, rows in by_actions.items():
        assert len(by_bulk[label]) == len(rows), label
        for mine, theirs in zip(by_bulk[label], rows, strict=True):
            assert mine == theirs, label
    result = verify_chain()
    assert result.ok and result.checked == len(by_bulk["audit.AuditEntry"])


@pytest.mark.parametrize("counties", ["0", "3"])
def test_counties_must_be_between_one_and_the_towns(counties: str) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from yigang.towns.models import Town

    with pytest.raises(CommandError, match="--counties 须在 1 到 --towns 之间"):
        call_command("demo", "--quiet", "--towns", "2", "--counties", counties, stdout=StringIO())
    assert not Town.objects.exists()  # refused before anything was written
