"""Imports are atomic: an import that fails or is killed half-way leaves nothing behind."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED
from yigang.audit.models import AuditEntry
from yigang.regulations.models import Article, Chapter, Duty, Item, Regulation

from .sites import Site

MODELS = (Regulation, Chapter, Article, Item, Duty, AuditEntry)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.mark.django_db
def test_an_error_half_way_through_an_import_leaves_nothing(
    town: Any, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from yigang.regulations import actions

    before = _counts()

    def fail(*args: Any, **kwargs: Any) -> None:
        # Chapters, articles and items are written by now; the duties are next.
        assert Item.objects.filter(article__regulation__town=town).exists()
        raise RuntimeError("disk full")

    monkeypatch.setattr(Duty.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        actions.import_regulation(town=town, data=SEED, filename="seed.txt", actor=users["officer"])
    assert _counts() == before


KILLED_IMPORT = """
import sys, time
from pathlib import Path
from yigang.regulations.models import Item
from django.core.management import call_command

marker = Path(sys.argv[1])
create = Item.objects.create
written = 0

def slow_create(*args, **kwargs):
    global written
    item = create(*args, **kwargs)
    written += 1
    if written == 20:
        marker.write_text(str(Item.objects.count()))  # inside the import's transaction
        time.sleep(120)
    return item

Item.objects.create = slow_create
call_command("regulation", "import", sys.argv[2], "--town", "wushenzhao", "--activate")
"""


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    site = Site(tmp_path, "killed_import")
    site.run("migrate", "--noinput")
    site.python(
        "from yigang.towns.models import Town\nTown.objects.create(code='wushenzhao', name='乌审召镇')"
    )
    yield site
    site.drop()


def test_an_import_killed_mid_write_leaves_nothing_behind(site: Site, tmp_path: Path) -> None:
    source = tmp_path / "regulation.txt"
    source.write_bytes(SEED)
    marker = tmp_path / "writing"
    script = "import django\ndjango.setup()\n" + KILLED_IMPORT
    child = site.popen("-c", script, str(marker), str(source))
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the import ended before it was killed"
            assert time.monotonic() < deadline, "the import never reached its items"
            time.sleep(0.05)
        assert int(marker.read_text()) >= 20  # the child had written items when it was killed
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    counts = site.python(
        "from yigang.regulations.models import Regulation, Article, Item, Duty\n"
        "from yigang.audit.models import AuditEntry\n"
        "print(Regulation.objects.count(), Article.objects.count(), Item.objects.count(),"
        " Duty.objects.count(), AuditEntry.objects.count())"
    )
    assert counts.split() == ["0", "0", "0", "0", "0"]
    assert "审计记录完好" in site.run("audit", "verify").stdout
    # The database is healthy and the same import now succeeds.
    site.run("regulation", "import", str(source), "--town", "wushenzhao")
    assert (
        site.python("from yigang.regulations.models import Item\nprint(Item.objects.count())").strip() != "0"
    )
