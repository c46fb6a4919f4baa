"""A small but complete register for the seed town: leaders, two villages, a head for every Art. 12 body."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest

D = datetime.date
TERM = D(2022, 1, 1)
MAYOR_CHANGE = D(2024, 4, 1)


@dataclass
class Register:
    town: Any
    officer: Any
    units: dict[str, Any] = field(default_factory=dict)
    posts: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)

    def person(self, name: str) -> Any:
        return self.people[name]


@pytest.fixture
def register(regulation: Any, town: Any, users: dict[str, Any]) -> Register:
    from yigang.org import actions
    from yigang.org.models import Unit, UnitKind

    officer = users["officer"]
    reg = Register(town=town, officer=officer)

    def unit(name: str, kind: str) -> Any:
        reg.units[name] = actions.add_unit(town=town, name=name, kind=kind, actor=officer)
        return reg.units[name]

    def seat(
        at: Any, title: str, kind: str, *holders: tuple[str, datetime.date, datetime.date | None]
    ) -> Any:
        post = actions.add_post(unit=at, title=title, kind=kind, actor=officer)
        reg.posts[title] = post
        for name, start, end in holders:
            person = reg.people.get(name) or actions.add_person(town=town, name=name, actor=officer)
            reg.people[name] = person
            actions.appoint(post=post, person=person, start=start, end=end, actor=officer)
        return post

    gov = unit("镇人民政府", UnitKind.GOVERNMENT)
    party = unit("镇党委", UnitKind.PARTY)
    seat(party, "镇党委书记", "party_secretary", ("乌力吉", TERM, None))
    seat(
        gov,
        "镇长",
        "mayor",
        ("张建华", TERM, MAYOR_CHANGE - datetime.timedelta(days=1)),
        ("巴图", MAYOR_CHANGE, None),
    )
    seat(unit("镇人大", UnitKind.CONGRESS), "镇人大主席", "congress_chair", ("萨仁", TERM, None))
    seat(party, "镇党委副书记、政法委员", "deputy_party_secretary", ("刘志刚", TERM, None))
    seat(unit("镇纪委", UnitKind.DISCIPLINE), "镇纪委书记", "discipline_secretary", ("白玉梅", TERM, None))
    safety = seat(gov, "分管安全生产副镇长", "safety_deputy", ("赵永军", TERM, None))
    other = seat(gov, "副镇长", "other_deputy", ("额尔敦", TERM, None))
    for village, secretary in (("乌审召嘎查", "其其格"), ("巴音敖包嘎查", "巴特尔")):
        seat(
            unit(village, UnitKind.VILLAGE),
            f"{village}党支部书记",
            "village_secretary",
            (secretary, TERM, None),
        )
    for body in Unit.objects.filter(town=town, kind=UnitKind.BODY).order_by("id"):
        reg.units[body.name] = body
        seat(body, f"{body.name}负责人", "department_head", (f"{body.name}主任", TERM, None))
        leader = (
            safety if body.name in ("平安建设办公室", "交警中队", "镇安全生产委员会及其办公室") else other
        )
        actions.assign_portfolio(post=leader, unit=body, start=TERM, actor=officer)
    return reg
