"""A new version re-opens only the duty lists whose text it changed."""

from __future__ import annotations

import datetime
from typing import Any

from tests.conftest import PASSWORD
from yigang.regulations import actions as regs
from yigang.signoff.actions import confirm, sync_town
from yigang.signoff.models import Kind, Task

D = datetime.date


def test_a_version_change_reopens_only_the_lists_it_changed(
    register: Any, users: dict[str, Any], town: Any, seed_bytes: bytes, make_user: Any
) -> None:
    sync_town(town=town, actor=None, day=D(2024, 5, 1))
    lists = {t.person.name: t for t in Task.objects.filter(document__kind=Kind.DUTY_LIST)}
    confirm(task=lists["李强"], actor=users["leader"], secret=PASSWORD, sha256=lists["李强"].text_sha256)

    # Version 2 changes one item of Art. 13 (the village secretary's article) and nothing else.
    text = seed_bytes.decode("utf-8").replace(
        "组织研究制定本辖区安全生产工作计划", "每年组织研究制定本辖区安全生产工作计划"
    )
    assert text != seed_bytes.decode("utf-8")
    v2 = regs.import_regulation(town=town, data=text.encode("utf-8"), filename="v2.txt", actor=None)
    regs.activate_regulation(regulation=v2, actor=None, effective_from=D(2024, 6, 1))

    result = sync_town(town=town, actor=None, day=D(2024, 6, 1))

    reopened = [t for t in result.created if t.document.kind == Kind.DUTY_LIST]
    assert [(t.person.name, t.regulation_id) for t in reopened] == [("其木格", v2.pk)]
    old = Task.objects.get(pk=lists["其木格"].pk)
    assert old.ended_at is not None and old.end_reason == "制度修订，清单变化"
    # The others keep their task and, for the deputy, the confirmation already given.
    for name in ("李强", "张建华", "巴图"):
        kept = Task.objects.get(pk=lists[name].pk)
        assert kept.ended_at is None
    assert hasattr(Task.objects.get(pk=lists["李强"].pk), "confirmation")
    # The new version itself goes to every holder (a new regulation document).
    assert sorted(t.person.name for t in result.created if t.document.kind == Kind.REGULATION) == sorted(
        ["李强", "张建华", "巴图", "其木格"]
    )


def test_the_superseded_versions_open_tasks_end_with_the_next_distribution(
    register: Any, users: dict[str, Any], town: Any, seed_bytes: bytes
) -> None:
    sync_town(town=town, actor=None, day=D(2024, 5, 1))
    v1 = {t.person.name: t for t in Task.objects.filter(document__kind=Kind.REGULATION)}
    confirm(task=v1["李强"], actor=users["leader"], secret=PASSWORD, sha256=v1["李强"].text_sha256)
    v2 = regs.import_regulation(town=town, data=seed_bytes, filename="v2.txt", actor=None)
    regs.activate_regulation(regulation=v2, actor=None, effective_from=D(2024, 7, 1))

    # Distributed before the new version takes effect: the old version's open tasks end all the same (nobody
    # can confirm a superseded version); the confirmed one keeps its confirmation and stays as it was.
    result = sync_town(town=town, actor=None, day=D(2024, 6, 1))
    assert result.ended == 3
    for name in ("张建华", "巴图", "其木格"):
        old = Task.objects.get(pk=v1[name].pk)
        assert old.ended_at is not None and old.end_reason == "制度已修订，请确认现行版本"
    confirmed = Task.objects.get(pk=v1["李强"].pk)
    assert confirmed.ended_at is None and hasattr(confirmed, "confirmation")
    assert sync_town(town=town, actor=None, day=D(2024, 6, 1)).ended == 0  # idempotent
