"""One count everywhere (issue 27 point 2): for every demo role linked to a person, the home page, the person's
page, the hazard list's "负责人" filter and the API's `person` give the same open hazards — the ones the person
answers for (hazards/answering.py), counted here a second way, from the rows, by the rule of docs/hazards.md."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yigang.hazards.models import OPEN_STATUSES, Hazard
from yigang.org.models import Person, Portfolio, Supervision, Tenure
from yigang.regulations.choices import PostKind
from yigang.towns.models import Account

pytestmark = pytest.mark.django_db

WHOLE_TOWN = {PostKind.PARTY_SECRETARY, PostKind.MAYOR, PostKind.SAFETY_DEPUTY}


def _by_hand(person: Person) -> set[int]:
    """The open hazards the person answers for, read from the rows one by one (not through answering.py)."""
    today = timezone.localdate()
    held = [t.post for t in Tenure.objects.at(today).filter(person=person).select_related("post")]
    hazards = list(Hazard.objects.filter(town=person.town, status__in=OPEN_STATUSES))
    if any(p.kind in WHOLE_TOWN for p in held):
        return {h.pk for h in hazards}
    units = {p.unit_id for p in held}
    portfolios = list(Portfolio.objects.at(today).filter(post__in=held))
    bodies = units | {p.unit_id for p in portfolios if p.unit_id}
    sectors = {p.sector_id for p in portfolios if p.sector_id}
    sectors |= {s.sector_id for s in Supervision.objects.at(today) if s.unit_id in bodies}
    found = set()
    for h in hazards:
        leader = (h.routing or {}).get("leader") or {}
        if (
            h.owner_unit_id in bodies
            or h.sector_id in sectors
            or h.village_id in units
            or leader.get("person_id") == person.pk
        ):
            found.add(h.pk)
    return found


def _number(pattern: str, html: str) -> int:
    match = re.search(pattern, html)
    assert match, pattern
    return int(match.group(1))


def _client(username: str) -> tuple[Client, Person]:
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    return client, Person.objects.get(user=user)


def test_one_count_for_every_demo_role_and_the_mayor_answers_for_the_town() -> None:
    call_command("demo", "--quiet")  # once: it is the slow part
    Account.objects.update(must_change_password=False)
    for username in ("zhenzhang", "pingan", "gacha"):
        _agree(username)
    _mayor()


def _agree(username: str) -> None:
    client, person = _client(username)
    expected = _by_hand(person)
    home = client.get(reverse("home")).content.decode()
    page = client.get(reverse("org:person", args=[person.pk])).content.decode()
    listed = client.get(reverse("hazards:list"), {"person": person.pk, "open": "on"}).content.decode()
    api = client.get("/api/hazards/", {"person": person.pk, "open": "true", "limit": 1000}).json()

    assert _number(r"未销号 (\d+) 条", home) == len(expected), username
    assert _number(r"未销号 (\d+) 条", page) == len(expected), username
    assert _number(r"共 (\d+) 条", listed) == len(expected), username
    assert {h["id"] for h in api} == expected, username


def _mayor() -> None:
    """The mayor is 第一责任人: every open hazard of the town is on their home (it said 0 before issue 27)."""
    client, person = _client("zhenzhang")
    open_ = Hazard.objects.filter(town=person.town, status__in=OPEN_STATUSES)
    assert open_.exists()
    home = client.get(reverse("home")).content.decode()
    assert _number(r"未销号 (\d+) 条", home) == open_.count()
    assert _number(r"逾期 (\d+) 条", home) == open_.filter(deadline__lt=timezone.localdate()).count()
    # Escalation reaches the mayor at level 4, and at level 2 where the routing names them the leader in charge.
    reached = [
        h
        for h in open_
        if h.escalation_level >= 4
        or (h.escalation_level >= 2 and ((h.routing or {}).get("leader") or {}).get("person_id") == person.pk)
    ]
    assert _number(r"督办到本人 (\d+) 条", home) == len(reached)
    # The town's figures, as the 安委办's home shows them, with the same count of open hazards.
    assert "年全镇情况" in home
    assert _number(r'<strong class="figure">(\d+)</strong> 条未销号', home) == open_.count()
    pingan, _person = _client("pingan")
    assert "年全镇情况" not in pingan.get(reverse("home")).content.decode()  # a body answers for its part
