"""The standing world of the authorisation tests: a town with an active regulation and a draft, its register,
one user per role (body and village staff attached to their units), and the same kinds of people elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tests.conftest import SEED


@dataclass
class World:
    town: Any
    other_town: Any
    users: dict[str, Any]
    regulation: Any
    draft: Any
    draft_duty: Any
    sector: Any
    supervision: Any
    body: Any
    village: Any
    managed: Any
    managed_membership: Any

    def client(self, principal: str, **kwargs: Any) -> Client:
        client = Client(**kwargs)
        if principal != "anonymous":
            client.force_login(self.users[principal])
        return client


@pytest.fixture
def world(town: Any, other_town: Any, users: dict[str, Any], regulation: Any, make_user: Any) -> World:
    from yigang.org.actions import add_unit
    from yigang.org.models import Supervision, Unit, UnitKind
    from yigang.regulations import actions
    from yigang.towns.models import Membership, Role

    officer = users["officer"]
    draft = actions.import_regulation(town=town, data=SEED, filename="v2.txt", actor=officer)
    supervision = Supervision.objects.filter(town=town).select_related("sector", "unit").first()
    body = supervision.unit
    village = add_unit(town=town, name="乌审召嘎查", kind=UnitKind.VILLAGE, actor=officer)
    Membership.objects.filter(user=users["body_staff"]).update(unit=body)
    Membership.objects.filter(user=users["village_staff"]).update(unit=village)
    users = {**users, "other_sysadmin": make_user("othersys", Role.SYSADMIN, other_town)}
    managed = users["leader"]
    assert Unit.objects.filter(pk=body.pk, kind=UnitKind.BODY).exists()
    return World(
        town=town,
        other_town=other_town,
        users=users,
        regulation=regulation,
        draft=draft,
        draft_duty=draft.duties.order_by("position").first(),
        sector=supervision.sector,
        supervision=supervision,
        body=body,
        village=village,
        managed=managed,
        managed_membership=Membership.objects.get(user=managed),
    )
