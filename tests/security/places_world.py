"""The places register in the standing world: a place in the body's sector and the village (both narrow
readers see it), one outside both (neither does), a plan line of the body, a place-type route, and a
责令限期整改通知书 the body issued to the place."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD


def add_places(world: Any) -> None:
    from yigang.org.actions import add_sector, add_unit
    from yigang.places import actions

    officer = world.users["officer"]
    other_sector = add_sector(town=world.town, name="监管对象测试领域", actor=officer)
    far_village = add_unit(town=world.town, name="巴音高勒嘎查", kind="village", actor=officer)
    world.place = actions.register_place(
        town=world.town,
        data=actions.PlaceData(
            name="乌审召加油站",
            kind="petrol_station",
            village=world.village,
            sectors=[world.sector],
            unit=world.enterprise,
            legal_representative="白音",
            risk_level="orange",
            risk_on=datetime.date(2025, 1, 2),
        ),
        actor=officer,
    )
    hidden = actions.register_place(
        town=world.town,
        data=actions.PlaceData(
            name="远处的砂石料场", kind="mine", village=far_village, sectors=[other_sector]
        ),
        actor=officer,
    )
    world.plan_item = actions.set_plan_item(
        unit=world.body, place=world.place, year=2025, period="quarter", count=1, actor=officer
    )
    world.route = actions.add_route(
        sector=other_sector,
        kind="small_venue",
        unit=world.body,
        start=datetime.date(2025, 1, 1),
        actor=officer,
    )
    from django.utils import timezone

    world.order = actions.issue_order(
        place=world.place,
        data=actions.OrderData(
            unit=world.body,
            deadline=timezone.localdate() + datetime.timedelta(days=15),
            finding="加油站灭火器压力不足",
            items=["更换灭火器"],
            legal_basis=actions.LEGAL_BASIS_EXAMPLES[0][0],
        ),
        actor=officer,
    )
    for principal in ("body_staff", "village_staff", "enterprise"):
        world.outside_part[principal].append(hidden.name)
    # The petrol station's own account (企业安全管理人员): its place is world.place.
    from yigang.towns.models import Membership, Role

    user = get_user_model().objects.create_user(username="enterprise", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.ENTERPRISE, town=world.town, unit=world.enterprise)
    world.users["enterprise"] = user
