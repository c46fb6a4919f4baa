"""The demo's accidents: a 2025 road-traffic death whose toll rose by a 补报 within the window, and a 迟报."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from yigang.accidents.models import Accident, Report
from yigang.towns.models import Town

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_supplemented_road_accident_and_a_late_report() -> None:
    call_command("demo", "--quiet")
    town = Town.objects.get(code="wushenzhao")
    road = Accident.objects.get(town=town, latest__kind="road_traffic", latest__occurred_on__year=2025)
    versions = list(Report.objects.filter(accident=road).order_by("version"))
    assert [(v.deaths, v.serious_injuries, v.grade) for v in versions] == [(2, 3, "一般"), (3, 2, "较大")]
    assert versions[1].casualties_changed and not versions[1].past_window
    tasks = list(road.tasks.select_related("post", "person"))
    assert {t.post.kind for t in tasks} >= {"mayor", "safety_deputy", "village_secretary"}
    assert all(t.person is not None and t.arrived_at is not None for t in tasks)
    assert road.chain["at"] == "2025-08-14" and road.chain["sector"] == "道路交通"
    late = Report.objects.get(town=town, late_by__isnull=False)  # the 2024 fire: 2 h 35 min after learning
    assert late.kind == "fire" and late.occurred_on.year == 2024
    assert late.late_by == datetime.timedelta(hours=1, minutes=35)
    count = Report.objects.filter(town=town).count()
    call_command("demo", "--quiet")
    assert Report.objects.filter(town=town).count() == count
