"""The town's own frequency duties (镇定要求) on any post: judged like the regulation's, marked as the town's."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.urls import reverse

from yigang.duties.compliance import compute

pytestmark = pytest.mark.django_db
D = datetime.date
AFTER_2025 = D(2026, 1, 10)


@pytest.fixture
def body(town: Any) -> Any:
    from yigang.org import actions

    unit = actions.add_unit(town=town, name="镇应急管理办公室", kind="body", actor=None)
    return actions.add_post(unit=unit, title="应急办负责人", kind="department_head", actor=None)


def _own(town: Any, post: Any, today: D = AFTER_2025) -> list[Any]:
    return [r for r in compute(town, 2025, today=today).rows if r.post_id == post.pk]


def test_a_department_head_with_no_numbered_duty_gets_the_towns_and_is_judged(
    town: Any, seed: Any, posts: Any, appoint: Any, rec: Any, body: Any, users: Any
) -> None:
    from yigang.duties.actions import add_town_duty

    appoint(body, "王芳", D(2020, 1, 1))
    assert (
        _own(town, body) == []
    )  # the regulation gives 各部门负责人 no number: nothing due, a false all-clear
    add_town_duty(
        post=body,
        kind="inspection",
        period="month",
        min_count=1,
        text="每月至少检查1次本单位监管的行业领域",
        valid_from=D(2025, 4, 1),
        actor=users["officer"],
    )
    rec(body, "inspection", D(2025, 4, 9))
    rec(body, "guided_inspection", D(2025, 5, 20))  # a 督导检查 meets an inspection duty (the kind table)
    rows = _own(town, body)
    # Jan–Mar before the duty began: not applicable; April and May met; June–December missed.
    assert [r.status for r in rows] == ["not_applicable"] * 3 + ["met"] * 2 + ["missed"] * 7
    assert {(r.source, r.place, r.person) for r in rows} == {("town", "本镇要求", "王芳")}
    assert rows[3].as_json()["source"] == "town"
    seat = [r for r in compute(town, 2025, today=AFTER_2025).post_rows if r.post_id == body.pk]
    assert [r.required for r in seat] == [0] * 3 + [1] * 9
    # The regulation's rows say so too.
    mayor = [r for r in compute(town, 2025, today=AFTER_2025).rows if r.post_id == posts["mayor"].pk]
    assert {r.source for r in mayor} == {"regulation"}


def test_an_ended_town_duty_still_judges_the_days_before(
    town: Any, seed: Any, appoint: Any, body: Any, users: Any
) -> None:
    from yigang.duties.actions import add_town_duty, end_town_duty

    appoint(body, "王芳", D(2020, 1, 1))
    duty = add_town_duty(
        post=body,
        kind="inspection",
        period="quarter",
        min_count=2,
        text="每季度至少检查2次",
        valid_from=D(2025, 1, 1),
        actor=None,
    )
    end_town_duty(duty=duty, last_day=D(2025, 6, 30), actor=users["officer"])
    assert [(r.required, r.status) for r in _own(town, body)] == [
        (2, "missed"),
        (2, "missed"),
        (0, "not_applicable"),
        (0, "not_applicable"),
    ]
    with pytest.raises(Exception, match="已于"):
        end_town_duty(duty=duty, last_day=D(2025, 9, 30), actor=None)


def test_the_overview_and_heatmap_show_the_towns_duties(
    town: Any, seed: Any, appoint: Any, body: Any, users: Any, login: Any
) -> None:
    from yigang.duties.actions import add_town_duty

    appoint(body, "王芳", D(2020, 1, 1))
    add_town_duty(
        post=body,
        kind="inspection",
        period="month",
        min_count=1,
        text="每月至少检查1次",
        valid_from=D(2025, 1, 1),
        actor=None,
    )
    client = login(users["officer"])
    overview = client.get(reverse("duties:overview") + "?year=2025").content.decode()
    assert "应急办负责人" in overview and "本镇要求" in overview
    heatmap = client.get(reverse("duties:heatmap") + "?year=2025").content.decode()
    assert json.dumps("应急办负责人")[1:-1] in heatmap  # the chart's data, JSON-escaped


def test_the_officer_adds_and_ends_town_duties_on_their_page(
    town: Any, body: Any, users: Any, login: Any
) -> None:
    from yigang.duties.models import TownDuty

    client = login(users["officer"])
    response = client.post(
        reverse("duties:town_duties"),
        {
            "post": body.pk,
            "kind": "inspection",
            "period": "month",
            "min_count": 1,
            "text": "每月至少检查1次",
            "valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    duty = TownDuty.objects.get(post=body)
    page = client.get(reverse("duties:town_duties")).content.decode()
    assert "每月至少检查1次" in page
    client.post(reverse("duties:town_duty_end", args=[duty.pk]), {"last_day": "2025-12-31"})
    duty.refresh_from_db()
    assert duty.valid_until == D(2025, 12, 31)
    bad = client.post(reverse("duties:town_duties"), {"post": body.pk, "kind": "inspection"})
    assert bad.status_code == 200 and TownDuty.objects.count() == 1
