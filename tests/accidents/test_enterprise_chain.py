"""An accident at a registered enterprise freezes the enterprise's 主体责任 with its chain and shows it first
(issue 24 point 2); an accident elsewhere keeps its chain as it was."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from yigang.accidents import actions
from yigang.org import actions as org
from yigang.org.models import Sector
from yigang.places import actions as places

from .conftest import Register, make_data

pytestmark = pytest.mark.django_db


def test_an_accident_at_a_registered_enterprise_shows_its_legal_representative_first(
    register: Register, officer: Any
) -> None:
    sector = Sector.objects.get(town=register.town, name="危险化学品")
    village = register.units["巴音敖包嘎查"]
    unit = org.add_unit(
        town=register.town,
        name="巴音加油站",
        kind="enterprise",
        sector=sector,
        village=village,
        actor=officer,
    )
    place = places.register_place(
        town=register.town,
        data=places.PlaceData(
            name="巴音加油站",
            kind="petrol_station",
            village=village,
            sectors=[sector],
            unit=unit,
            legal_representative="白音",
            legal_representative_phone="13904770401",
            safety_manager="张海",
        ),
        actor=officer,
    )
    accident = actions.report_accident(
        town=register.town,
        data=make_data(register, sector="危险化学品", unit=unit, unit_name=""),
        actor=officer,
    )
    frozen = accident.chain["enterprise"]
    assert (frozen["unit"], frozen["person"], frozen["phone"], frozen["contact"]) == (
        "巴音加油站",
        "白音",
        "13904770401",
        "张海",
    )
    # Kept as recorded: the place's legal representative changing later does not rewrite it.
    places.update_place(
        place=place,
        data=places.PlaceData(
            name=place.name,
            kind=place.kind,
            village=village,
            sectors=[sector],
            unit=unit,
            legal_representative="新法人",
        ),
        actor=officer,
    )
    accident.refresh_from_db()
    assert accident.chain["enterprise"]["person"] == "白音"
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("accidents:detail", args=[accident.pk])).content.decode()
    chain = page[page.index('<ol class="chain">') :]
    assert chain.index("白音") < chain.index("属地管理")
    assert "主体责任" in chain[: chain.index("属地管理")]


def test_an_accident_elsewhere_has_no_enterprise_line(register: Register, officer: Any) -> None:
    accident = actions.report_accident(town=register.town, data=make_data(register), actor=officer)
    assert "enterprise" not in accident.chain
    assert datetime.date(2025, 6, 3) == accident.chain_on
