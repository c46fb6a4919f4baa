"""The page for an inspection record naming the places it covered (issue 24: the duty-record form names places)."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from yigang.audit.models import AuditEntry
from yigang.duties.models import DutyRecord
from yigang.places.models import InspectedPlace

from .conftest import D

pytestmark = pytest.mark.django_db

URL = reverse("places:inspection_new")


def _form(posts: list[Any], places: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "kind": "inspection",
        "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),  # 10:00 may be ahead today
        "time": "10:00",
        "title": "砂石料场安全检查",
        "place": "查干淖尔砂石料场",
        "posts": [p.pk for p in posts],
        "summary": "检查边坡、爆破器材存放和安全警示标志",
        "findings": "未发现问题",
        "places": [p.pk for p in places],
        **extra,
    }


@pytest.fixture
def two(world: SimpleNamespace, place: Any) -> SimpleNamespace:
    from yigang.places import actions

    mine = place("查干淖尔砂石料场", [world.mines])
    shop = place("乌审召烟花爆竹店", [world.fire], kind="fireworks_shop")
    shut = place("旧砂场", [world.mines])
    actions.close_place(place=shut, closed=D(2025, 1, 31), reason="关闭", actor=None)
    return SimpleNamespace(mine=mine, shop=shop, shut=shut)


def test_the_form_offers_the_places_the_reader_sees_and_under_supervision_today(
    world: SimpleNamespace, two: SimpleNamespace, login: Any
) -> None:
    page = login(world.users["body_staff"]).get(URL, {"place": two.mine.pk}).content.decode()
    assert "录入检查记录（含检查的场所）" in page
    assert "查干淖尔砂石料场（乌审召嘎查）" in page
    ticked = re.search(rf'<input[^>]*name="places"[^>]*value="{two.mine.pk}"[^>]*>', page)
    assert ticked is not None and "checked" in ticked.group(0)  # ?place= ticks it
    assert "乌审召烟花爆竹店" not in page  # 消防: the emergency office does not supervise it
    assert "旧砂场" not in page  # closed


def test_an_inspection_is_saved_with_its_places_and_audited(
    world: SimpleNamespace, two: SimpleNamespace, login: Any
) -> None:
    client = login(world.users["officer"])
    response = client.post(URL, _form([world.head], [two.mine, two.shop]))
    entry = DutyRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("duties:record", args=[entry.pk])
    assert set(InspectedPlace.objects.filter(record=entry).values_list("place_id", flat=True)) == {
        two.mine.pk,
        two.shop.pk,
    }
    events = list(AuditEntry.objects.filter(user=world.users["officer"]).values_list("event", flat=True))
    assert events.count("duties.record.create") == 1
    assert events.count("places.inspection") == 1
    # It counts toward the emergency office's coverage of the mine (a plan line owes it).
    place_page = client.get(reverse("places:detail", args=[two.mine.pk])).content.decode()
    assert "砂石料场安全检查" in place_page


def test_no_place_is_refused_in_chinese_and_nothing_is_saved(
    world: SimpleNamespace, two: SimpleNamespace, login: Any
) -> None:
    response = login(world.users["officer"]).post(URL, _form([world.head], []))
    assert response.status_code == 200
    assert "请选择本次检查的场所。" in response.content.decode()
    assert not DutyRecord.objects.exists()


def test_a_place_the_reader_may_not_see_or_closed_is_refused(
    world: SimpleNamespace, two: SimpleNamespace, login: Any
) -> None:
    client = login(world.users["body_staff"])
    for wrong in (two.shop, two.shut):
        response = client.post(URL, _form([world.head], [wrong]))
        assert response.status_code == 200
        assert "所选场所无效。" in response.content.decode()
    assert not DutyRecord.objects.exists()
    assert not InspectedPlace.objects.exists()


def test_only_those_who_enter_duty_records_may_open_it(
    world: SimpleNamespace, two: SimpleNamespace, client: Any, login: Any
) -> None:
    assert client.get(URL).status_code == 302  # anonymous: to the login page
    for role in ("county_viewer", "auditor", "nobody"):
        response = login(world.users[role]).get(URL)
        assert response.status_code in (403, 404), role
        response = login(world.users[role]).post(URL, _form([world.head], [two.mine]))
        assert response.status_code in (403, 404), role
    # Another town's officer opens the form of their own town: this town's posts and places are not theirs.
    response = login(world.users["other_officer"]).post(URL, _form([world.head], [two.mine]))
    assert response.status_code in (200, 403)
    assert not DutyRecord.objects.exists()
    for role in ("officer", "body_staff"):
        assert login(world.users[role]).get(URL).status_code == 200, role


def test_the_duty_record_form_and_the_place_page_lead_to_it(
    world: SimpleNamespace, two: SimpleNamespace, login: Any
) -> None:
    client = login(world.users["officer"])
    assert URL in client.get(reverse("duties:record_new")).content.decode()
    assert (
        f"{URL}?place={two.mine.pk}"
        in client.get(reverse("places:detail", args=[two.mine.pk])).content.decode()
    )
    auditor = login(world.users["auditor"])
    assert URL not in auditor.get(reverse("places:coverage")).content.decode()
