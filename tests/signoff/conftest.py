"""Fixtures for sign-off: the seed in force since 2022-08-04, a small register with holders, accounts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

D = datetime.date
SINCE = D(2022, 9, 1)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


@dataclass
class Register:
    gov: Any
    body: Any
    village: Any
    deputy_post: Any  # 分管安全生产副镇长 (safety_deputy), held by the leader's person
    mayor_post: Any  # 镇长, held by 张建华 (no account)
    body_post: Any  # the body's head, held by 巴图 (account "bat")
    village_post: Any  # the village secretary, held by 其木格 (account "qmg")
    deputy: Any
    mayor: Any
    head: Any
    secretary: Any
    tenures: dict[str, Any]


@pytest.fixture
def register(town: Any, users: dict[str, Any], regulation: Any, make_user: Any) -> Register:
    from yigang.org import actions
    from yigang.org.models import Supervision
    from yigang.towns.models import Role

    officer = users["officer"]
    gov = actions.add_unit(town=town, name="镇人民政府", kind="government", actor=officer)
    body = Supervision.objects.filter(town=town).select_related("unit").first().unit
    village = actions.add_unit(town=town, name="乌审召嘎查", kind="village", actor=officer)
    deputy_post = actions.add_post(unit=gov, title="分管安全生产副镇长", kind="safety_deputy", actor=officer)
    mayor_post = actions.add_post(unit=gov, title="镇长", kind="mayor", actor=officer)
    body_post = actions.add_post(unit=body, title=f"{body.name}负责人", kind="department_head", actor=officer)
    village_post = actions.add_post(
        unit=village, title="乌审召嘎查党支部书记", kind="village_secretary", actor=officer
    )
    bat = make_user("bat", Role.BODY_STAFF, town, unit=body)
    qmg = make_user("qmg", Role.VILLAGE_STAFF, town, unit=village)
    deputy = actions.add_person(town=town, name="李强", user=users["leader"], actor=officer)
    mayor = actions.add_person(town=town, name="张建华", actor=officer)
    head = actions.add_person(town=town, name="巴图", user=bat, actor=officer)
    secretary = actions.add_person(town=town, name="其木格", user=qmg, actor=officer)
    tenures = {
        "deputy": actions.appoint(post=deputy_post, person=deputy, start=SINCE, actor=officer),
        "mayor": actions.appoint(post=mayor_post, person=mayor, start=SINCE, actor=officer),
        "head": actions.appoint(post=body_post, person=head, start=SINCE, actor=officer),
        "secretary": actions.appoint(post=village_post, person=secretary, start=SINCE, actor=officer),
    }
    return Register(
        gov,
        body,
        village,
        deputy_post,
        mayor_post,
        body_post,
        village_post,
        deputy,
        mayor,
        head,
        secretary,
        tenures,
    )
