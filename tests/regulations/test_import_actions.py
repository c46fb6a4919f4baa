"""Importing, correcting, activating and superseding regulation versions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yigang.audit.models import AuditEntry
from yigang.regulations import actions
from yigang.regulations.models import Article, Duty, Item, Regulation, Status
from yigang.regulations.parser import SourceError

pytestmark = pytest.mark.django_db


def test_it_imports_the_seed_as_a_draft_with_every_part(
    town: Any, users: dict[str, Any], seed_bytes: bytes
) -> None:
    reg = actions.import_regulation(town=town, data=seed_bytes, filename="seed.txt", actor=users["officer"])
    assert reg.status == Status.DRAFT
    assert reg.version == 1
    assert reg.issued_on == datetime.date(2022, 8, 4)
    assert reg.issuer == "乌审召镇人民政府"
    assert reg.chapters.count() == 4
    assert reg.articles.count() == 13
    assert Item.objects.filter(article__regulation=reg).count() == 57
    assert reg.duties.count() == 12
    assert reg.source_text.startswith("乌审召镇人民政府")
    assert len(reg.source_sha256) == 64
    mayor_meeting = reg.duties.get(article__number=5, item__number=3)
    assert (mayor_meeting.post, mayor_meeting.min_count, mayor_meeting.period) == ("mayor", 4, "year")
    assert reg.sector_claims.count() == 13
    assert set(reg.posts.values_list("kind", flat=True)) >= {"party_secretary", "mayor", "village_secretary"}
    assert AuditEntry.objects.filter(event="regulation.import", object_id=str(reg.pk)).exists()


def test_it_numbers_versions_per_town(
    town: Any, other_town: Any, users: dict[str, Any], seed_bytes: bytes
) -> None:
    a = actions.import_regulation(town=town, data=seed_bytes, filename="a.txt", actor=None)
    b = actions.import_regulation(town=town, data=seed_bytes, filename="b.txt", actor=None)
    c = actions.import_regulation(town=other_town, data=seed_bytes, filename="c.txt", actor=None)
    assert (a.version, b.version, c.version) == (1, 2, 1)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "empty.txt"),
        (b"\x00\x01\x02\xff\xfe" * 100, "binary.txt"),
        ("这是一段与制度无关的文字，没有任何章条。".encode(), "prose.txt"),
        (b"PK\x03\x04not really a zip", "fake.docx"),
    ],
)
def test_it_saves_nothing_for_bad_input(town: Any, data: bytes, name: str) -> None:
    with pytest.raises(SourceError) as exc:
        actions.import_regulation(town=town, data=data, filename=name, actor=None)
    assert exc.value.message
    assert Regulation.objects.count() == 0
    assert Article.objects.count() == 0
    assert AuditEntry.objects.filter(event="regulation.import").count() == 0


def test_it_rolls_back_everything_when_storing_fails_half_way(
    town: Any, seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Duty.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        actions.import_regulation(town=town, data=seed_bytes, filename="seed.txt", actor=None)
    assert Regulation.objects.count() == Article.objects.count() == Item.objects.count() == 0


def test_it_corrects_a_draft_duty_and_audits_the_change(
    town: Any, users: dict[str, Any], seed_bytes: bytes
) -> None:
    reg = actions.import_regulation(town=town, data=seed_bytes, filename="seed.txt", actor=None)
    duty = reg.duties.get(article__number=8, item__number=2)
    actions.correct_duty(
        duty=duty,
        post="discipline_secretary",
        kind="supervision",
        min_count=3,
        period="half_year",
        actor=users["officer"],
    )
    duty.refresh_from_db()
    assert (duty.kind, duty.min_count, duty.period, duty.corrected) == ("supervision", 3, "half_year", True)
    entry = AuditEntry.objects.get(event="regulation.duty.correct")
    assert entry.changes["min_count"] == [2, 3]
    assert entry.username == "officer"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_count": 0}, "正整数"),
        ({"min_count": 2, "period": ""}, "周期"),
        ({"kind": "dance"}, "履职方式"),
        ({"post": "emperor"}, "岗位"),
    ],
)
def test_it_refuses_a_bad_correction(
    town: Any, seed_bytes: bytes, changes: dict[str, Any], message: str
) -> None:
    reg = actions.import_regulation(town=town, data=seed_bytes, filename="seed.txt", actor=None)
    duty = reg.duties.first()
    assert duty is not None
    values = {"post": duty.post, "kind": duty.kind, "min_count": duty.min_count, "period": duty.period}
    values.update(changes)
    with pytest.raises(ValidationError) as exc:
        actions.correct_duty(duty=duty, actor=None, **values)
    assert message in " ".join(exc.value.messages)
    duty.refresh_from_db()
    assert not duty.corrected


def test_an_active_version_is_frozen(regulation: Any) -> None:
    duty = regulation.duties.first()
    with pytest.raises(ValidationError):
        actions.correct_duty(duty=duty, post="mayor", kind="meeting", min_count=1, period="month", actor=None)
    with pytest.raises(ValidationError):
        actions.remove_duty(duty=duty, actor=None)


def test_activating_a_revision_supersedes_the_previous_version(
    regulation: Any, town: Any, users: dict[str, Any], seed_bytes: bytes
) -> None:
    assert regulation.effective_from == datetime.date(2022, 8, 4)
    revised = seed_bytes.decode().replace("（每年至少4次）", "（每季度至少1次）", 1).encode()
    v2 = actions.import_regulation(town=town, data=revised, filename="v2.txt", actor=users["officer"])
    with pytest.raises(ValidationError):
        actions.activate_regulation(regulation=v2, actor=None, effective_from=datetime.date(2022, 8, 4))
    actions.activate_regulation(
        regulation=v2, actor=users["officer"], effective_from=datetime.date(2024, 1, 1)
    )
    regulation.refresh_from_db()
    assert regulation.status == Status.SUPERSEDED
    assert regulation.effective_until == datetime.date(2023, 12, 31)
    assert v2.supersedes == regulation
    assert Regulation.objects.filter(town=town, status=Status.ACTIVE).get() == v2


def test_a_reviewer_can_add_and_remove_duties_on_a_draft(town: Any, seed_bytes: bytes) -> None:
    reg = actions.import_regulation(town=town, data=seed_bytes, filename="seed.txt", actor=None)
    article = reg.articles.get(number=13)
    item = article.items.get(number=3)
    duty = actions.add_duty(
        regulation=reg,
        article=article,
        item=item,
        post="village_secretary",
        kind="inspection",
        min_count=1,
        period="month",
        text=item.text,
        actor=None,
    )
    assert reg.duties.count() == 13
    assert duty.position == 13
    actions.remove_duty(duty=duty, actor=None)
    assert reg.duties.count() == 12


def test_a_discarded_draft_is_kept_but_not_active(town: Any, seed_bytes: bytes) -> None:
    reg = actions.import_regulation(town=town, data=seed_bytes, filename="seed.txt", actor=None)
    actions.discard_draft(regulation=reg, actor=None)
    reg.refresh_from_db()
    assert reg.status == Status.DISCARDED
    with pytest.raises(ValidationError):
        actions.activate_regulation(regulation=reg, actor=None)


def test_a_repeated_article_number_is_refused_with_a_clear_message(town: Any) -> None:
    text = "第一条 本制度适用于全镇。\n第二条 镇长每月至少召开1次会议。\n第二条 重复的条。\n"
    with pytest.raises(SourceError, match="第二条在原文中重复出现"):
        actions.import_regulation(town=town, data=text.encode(), filename="dup.txt", actor=None)
    assert not Regulation.objects.exists()
