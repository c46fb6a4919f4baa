"""The page and the API take a hazard's steps through the one table (hazards/steps.py): every step, sent with
the same fields to two twin hazards, one through the page and one through the API, ends the same way — taken
or refused, the same status, owner, timeline, plans and extensions, and a refusal with the same reason.

The plan case used to differ: a lone 应急预案 was a plan on the page (refused: four parts of 五落实 missing)
and nothing on the API (a general hazard started rectifying, the emergency plan dropped). The page's rule holds.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.hazards.conftest import PNG, png
from yigang.hazards import actions, steps
from yigang.hazards.models import Hazard
from yigang.towns.middleware import SESSION_KEY
from yigang.towns.models import Role

pytestmark = pytest.mark.django_db

FIVE = {
    "responsible": "王五（站长）",
    "measures": "更换过期灭火器，清理通道",
    "funds": "500元",
    "emergency_plan": "火灾应急处置卡",
}


def _page(user: Any, town: Any) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = town.pk
    session.save()
    return client


def _api(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _photo() -> io.BytesIO:
    photo = io.BytesIO(PNG)
    photo.name = "after.png"
    return photo


def _outcome(hazard: Hazard) -> tuple[Any, ...]:
    hazard.refresh_from_db()
    return (
        hazard.status,
        hazard.owner_unit.name,
        list(hazard.events.order_by("at", "id").values_list("kind", flat=True)),
        list(hazard.plans.values_list("responsible", "measures", "funds", "deadline", "emergency_plan")),
        hazard.deadline,
        list(hazard.extensions.order_by("id").values_list("status", "requested", "approved")),
        hazard.photos.count(),
    )


class World:
    def __init__(self, register: Any, report: Any, asker: Any) -> None:
        self.register, self.report, self.asker = register, report, asker
        self.officer = register.officer
        self.today = timezone.localdate()
        self.other_body = register.units["城市管理办公室"]

    def hazard(self, state: str, grade: str = "general") -> Hazard:
        """A hazard reported today (deadline in five days) and brought to `state` by the actions."""
        hazard = self.report(
            found_on=self.today, deadline=self.today + datetime.timedelta(days=5), grade=grade
        )
        if state == "declined":
            actions.decline(hazard=hazard, reason="不属本单位", actor=self.officer)
        if state in (
            "rectifying",
            "submitted",
            "submitted by the officer",
        ):  # a general hazard: no plan needed
            actions.start_rectifying(hazard=hazard, actor=self.officer)
        if state == "submitted":  # by the owner body's staff: the officer may judge it
            actions.submit(hazard=hazard, note="已整改", photos=[png()], actor=self.asker)
        if state == "submitted by the officer":  # on the unit's behalf: then not the officer's to judge
            actions.submit(hazard=hazard, note="已整改", photos=[png()], actor=self.officer)
        if state == "pending_extension":
            actions.ask_extension(
                hazard=hazard, deadline=self.wanted, reason="等配件", actor=self.asker, notify=False
            )
        return Hazard.objects.get(pk=hazard.pk)

    @property
    def wanted(self) -> datetime.date:
        return self.today + datetime.timedelta(days=10)


# A case: the state to start from, the grade, then the page's fields and the API's (each built in the world).
Fields = Callable[[World], dict[str, Any]]
CASES: dict[str, tuple[str, str, str, Fields, Fields]] = {
    "decline": (
        "assigned",
        "general",
        "decline",
        lambda w: {"note": "不属本单位"},
        lambda w: {"note": "不属本单位"},
    ),
    "decline without a reason": ("assigned", "general", "decline", lambda w: {}, lambda w: {}),
    "decide: kept": (
        "declined",
        "general",
        "decide",
        lambda w: {"note": "仍由原单位"},
        lambda w: {"note": "仍由原单位"},
    ),
    "decide: reassigned": (
        "declined",
        "general",
        "decide",
        lambda w: {"note": "改交城管", "owner": w.other_body.pk},
        lambda w: {"note": "改交城管", "owner": w.other_body.name},
    ),
    "rectify without a plan": (
        "assigned",
        "general",
        "rectify",
        lambda w: {"note": "开始"},
        lambda w: {"note": "开始"},
    ),
    "rectify with only the emergency plan (the case that differed)": (
        "assigned",
        "general",
        "rectify",
        lambda w: {"emergency_plan": "火灾应急处置卡"},
        lambda w: {"emergency_plan": "火灾应急处置卡"},
    ),
    "rectify a major hazard with only the emergency plan": (
        "assigned",
        "major",
        "rectify",
        lambda w: {"emergency_plan": "火灾应急处置卡"},
        lambda w: {"emergency_plan": "火灾应急处置卡"},
    ),
    "rectify a major hazard without a plan": ("assigned", "major", "rectify", lambda w: {}, lambda w: {}),
    "rectify a major hazard with all of 五落实": (
        "assigned",
        "major",
        "rectify",
        lambda w: {**FIVE, "plan_deadline": (w.today + datetime.timedelta(days=3)).isoformat()},
        lambda w: {**FIVE, "plan_deadline": (w.today + datetime.timedelta(days=3)).isoformat()},
    ),
    "submit with a photo": (
        "rectifying",
        "general",
        "submit",
        lambda w: {"note": "已整改", "photos": _photo()},
        lambda w: {"note": "已整改", "photos": _photo()},
    ),
    "submit without a photo": (
        "rectifying",
        "general",
        "submit",
        lambda w: {"note": "已整改"},
        lambda w: {"note": "已整改"},
    ),
    "accept": (
        "submitted",
        "general",
        "accept",
        lambda w: {"note": "合格", "confirm": "on", "secret": PASSWORD},
        lambda w: {"note": "合格", "secret": PASSWORD},
    ),
    "accept without the password": (
        "submitted",
        "general",
        "accept",
        lambda w: {"note": "合格", "confirm": "on"},
        lambda w: {"note": "合格"},
    ),
    "accept with a wrong password": (
        "submitted",
        "general",
        "accept",
        lambda w: {"note": "合格", "confirm": "on", "secret": "wrong-one"},
        lambda w: {"note": "合格", "secret": "wrong-one"},
    ),
    "accept what one submitted oneself": (
        "submitted by the officer",
        "general",
        "accept",
        lambda w: {"note": "合格", "confirm": "on", "secret": PASSWORD},
        lambda w: {"note": "合格", "secret": PASSWORD},
    ),
    "accept too early": (
        "assigned",
        "general",
        "accept",
        lambda w: {"note": "合格", "confirm": "on", "secret": PASSWORD},
        lambda w: {"note": "合格", "secret": PASSWORD},
    ),
    "send back": (
        "submitted",
        "general",
        "send_back",
        lambda w: {"note": "照片不清"},
        lambda w: {"note": "照片不清"},
    ),
    "send back what one submitted oneself": (
        "submitted by the officer",
        "general",
        "send_back",
        lambda w: {"note": "照片不清"},
        lambda w: {"note": "照片不清"},
    ),
    # The extension steps: the API has its own routes for them (asked, then decided by its id).
    "extend": (
        "assigned",
        "general",
        "extend",
        lambda w: {"note": "等配件", "extension_deadline": w.wanted.isoformat()},
        lambda w: {"reason": "等配件", "deadline": w.wanted.isoformat()},
    ),
    "extend_decide: approved": (
        "pending_extension",
        "general",
        "extend_decide",
        lambda w: {"decision": "approve", "note": "同意"},
        lambda w: {"decision": "approve", "note": "同意"},
    ),
    "extend_decide: refused without a reason": (
        "pending_extension",
        "general",
        "extend_decide",
        lambda w: {"decision": "refuse"},
        lambda w: {"decision": "refuse"},
    ),
}


def test_every_step_of_the_table_has_a_case() -> None:
    assert {case[2] for case in CASES.values()} == set(steps.STEPS)


def _through_api(world: World, hazard: Hazard, step: str, fields: dict[str, Any]) -> tuple[bool, list[str]]:
    client = _api(world.officer)
    if step == "extend":
        response = client.post(f"/api/hazards/{hazard.pk}/extensions", fields)
    elif step == "extend_decide":
        pending = hazard.extensions.get()
        response = client.post(f"/api/hazards/{hazard.pk}/extensions/{pending.pk}/decision", fields)
    else:
        response = client.post(f"/api/hazards/{hazard.pk}/steps", {"step": step, **fields})
    assert response.status_code in (200, 201, 400), response.content
    return response.status_code != 400, response.json().get("errors", [])


@pytest.mark.parametrize("name", list(CASES))
def test_the_page_and_the_api_end_a_step_the_same_way(
    name: str, register: Any, report: Any, make_user: Any, media: Any
) -> None:
    asker = make_user("ping-a", Role.BODY_STAFF, register.town, unit=register.units["平安建设办公室"])
    world = World(register, report, asker)
    state, grade, step, page_fields, api_fields = CASES[name]
    on_page, on_api = world.hazard(state, grade), world.hazard(state, grade)
    assert _outcome(on_page)[1:4] == _outcome(on_api)[1:4]  # twins before the step

    response = _page(world.officer, register.town).post(
        f"/hazards/{on_page.pk}/step/", {"step": step, **page_fields(world)}
    )
    assert response.status_code in (200, 302)
    taken_on_page = response.status_code == 302  # a refused step shows the page again with the reason
    taken_on_api, api_errors = _through_api(world, on_api, step, api_fields(world))

    assert taken_on_page == taken_on_api
    assert _outcome(on_page) == _outcome(on_api)
    if not taken_on_api:  # the same reasons: the page's at the form (and its fields), the API's in the answer
        form = response.context["form"]
        on_the_page = [message for errors in form.errors.values() for message in errors]
        assert sorted(on_the_page) == sorted(api_errors) != []
