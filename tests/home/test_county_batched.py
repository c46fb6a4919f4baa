"""The county list counts every town's hazards and accidents in one query each (overview/county.py): each row must be
what the town's own page says, worked by hand here — and a town with nothing stays at zero, not someone else's."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accidents.conftest import make_data
from tests.hazards.conftest import media, report  # noqa: F401 (fixtures)
from tests.org.conftest import Register, register  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_each_towns_row_is_its_own_hand_counted_figures(
    register: Register,  # noqa: F811 (the fixture imported above)
    report: Any,  # noqa: F811
    other_town: Any,
    users: dict[str, Any],
) -> None:
    from yigang.accidents.actions import report_accident

    far = timezone.localdate() + datetime.timedelta(days=60)
    report(description="过期灭火器")  # deadline 2025-03-20: overdue
    report(description="消防通道堵塞", deadline=far)  # open, not overdue
    report(description="配电箱未上锁", deadline=far)
    report_accident(town=register.town, data=make_data(register, deaths=2), actor=register.officer)
    report_accident(
        town=register.town,
        data=make_data(register, deaths=0, occurred_at=datetime.datetime(2024, 5, 1, 9, tzinfo=datetime.UTC)),
        actor=register.officer,
    )  # another year: not counted in 2025

    client = Client()
    client.force_login(users["county_viewer"])
    rows = {r.town.code: r for r in client.get(reverse("county:towns"), {"year": "2025"}).context["rows"]}
    mine, other = rows[register.town.code], rows[other_town.code]
    assert (mine.hazards_open, mine.hazards_overdue, mine.accidents, mine.deaths) == (3, 1, 1, 2)
    assert (other.hazards_open, other.hazards_overdue, other.accidents, other.deaths) == (0, 0, 0, 0)
    page = client.get(reverse("county:town", args=[register.town.pk]), {"year": "2025"}).context["row"]
    assert (page.hazards_open, page.hazards_overdue, page.accidents, page.deaths, page.grades) == (
        3,
        1,
        1,
        2,
        mine.grades,
    )
