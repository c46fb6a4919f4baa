"""Distribution reaches exactly the holders on the day; a change of holder opens a new task; idempotent."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD
from yigang.audit.models import AuditEntry
from yigang.org import actions as org
from yigang.signoff.actions import distribute_regulation, sync_town
from yigang.signoff.models import Document, Kind, Task

D = datetime.date


def _open(kind: str) -> set[tuple[str, str]]:
    return set(
        Task.objects.filter(document__kind=kind, ended_at__isnull=True).values_list(
            "person__name", "post__title"
        )
    )


def test_it_reaches_exactly_the_holders_on_the_day(
    register: Any, users: dict[str, Any], town: Any, regulation: Any
) -> None:
    officer = users["officer"]
    # Someone who left before the day, and someone who starts after it, get nothing.
    gone = org.add_person(town=town, name="王海涛", actor=officer)
    later = org.add_person(town=town, name="孙磊", actor=officer)
    post = org.add_post(unit=register.gov, title="副镇长（分管城建）", kind="other_deputy", actor=officer)
    org.appoint(post=post, person=gone, start=D(2022, 9, 1), end=D(2023, 12, 31), actor=officer)
    org.appoint(post=post, person=later, start=D(2024, 2, 1), actor=officer)

    result = distribute_regulation(regulation=regulation, actor=officer, secret=PASSWORD, day=D(2024, 1, 15))

    expected = {
        ("李强", "分管安全生产副镇长"),
        ("张建华", "镇长"),
        ("巴图", register.body_post.title),
        ("其木格", "乌审召嘎查党支部书记"),
    }
    assert _open(Kind.REGULATION) == expected
    assert _open(Kind.DUTY_LIST) == expected
    assert len(result.created) == 8
    document = Document.objects.get(kind=Kind.REGULATION)
    task = Task.objects.filter(document=document).first()
    assert task is not None and task.text.startswith(document.regulation.title)
    assert AuditEntry.objects.filter(event="signoff.distribute", success=True).count() == 1

    # Running again changes nothing and audits nothing.
    again = sync_town(town=town, actor=None, day=D(2024, 1, 15))
    assert not again.changed
    assert AuditEntry.objects.filter(event="signoff.distribute").count() == 1


def test_a_change_of_holder_opens_a_new_task(register: Any, users: dict[str, Any], town: Any) -> None:
    officer = users["officer"]
    sync_town(town=town, actor=officer, day=D(2024, 3, 1))
    old = Task.objects.get(document__kind=Kind.DUTY_LIST, person=register.mayor)
    org.end_tenure(tenure=register.tenures["mayor"], end=D(2024, 3, 31), actor=officer)
    new_mayor = org.add_person(town=town, name="巴特尔", actor=officer)
    org.appoint(post=register.mayor_post, person=new_mayor, start=D(2024, 4, 1), actor=officer)

    result = sync_town(town=town, actor=officer, day=D(2024, 4, 1))

    old.refresh_from_db()
    assert old.ended_at is not None and old.end_reason == "不再任职"
    assert {(t.person.name, t.document.kind) for t in result.created} == {
        ("巴特尔", Kind.REGULATION),
        ("巴特尔", Kind.DUTY_LIST),
    }
    assert result.ended == 2  # the old mayor's regulation and duty-list tasks
    # The new holder's list is the mayor's list, the same text the old holder had.
    new = Task.objects.get(document__kind=Kind.DUTY_LIST, person=new_mayor)
    assert new.text_sha256 == old.text_sha256


def test_a_new_year_opens_a_new_round_of_duty_lists(register: Any, town: Any) -> None:
    sync_town(town=town, actor=None, day=D(2025, 12, 31))
    result = sync_town(town=town, actor=None, day=D(2026, 1, 1))
    assert {d.year for d in Document.objects.filter(kind=Kind.DUTY_LIST)} == {2025, 2026}
    assert len(result.created) == 4 and result.ended == 0  # four holders; the regulation's tasks stand


def test_only_the_version_in_force_is_distributed(
    register: Any, users: dict[str, Any], town: Any, seed_bytes: bytes
) -> None:
    from yigang.regulations import actions as regs

    draft = regs.import_regulation(town=town, data=seed_bytes, filename="v2.txt", actor=None)
    with pytest.raises(ValidationError, match="只能下发现行有效的制度版本"):
        distribute_regulation(regulation=draft, actor=users["officer"])
    assert not Task.objects.exists()
    assert AuditEntry.objects.filter(event="signoff.distribute", success=False).exists()
