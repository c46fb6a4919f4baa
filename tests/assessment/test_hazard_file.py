"""The accountability file of a hazard: the chain on the day found, and an earlier hazard the holder was told
of and left overdue is a named gap."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from tests.hazards.conftest import media, report  # noqa: F401 (fixtures)
from yigang.org.models import Unit

from .conftest import Register

pytestmark = pytest.mark.django_db


def test_hazard_file_names_an_overdue_hazard_the_holder_knew_of(register: Register, report: Any) -> None:  # noqa: F811
    village = Unit.objects.get(town=register.town, name="乌审召嘎查")
    earlier = report(
        village=village, found_on=datetime.date(2025, 3, 10)
    )  # deadline 2025-03-20, never closed
    later = report(
        village=village,
        found_on=datetime.date(2025, 5, 6),
        deadline=datetime.date(2025, 5, 30),
        description="库房电线私拉乱接",
    )
    out = io.StringIO()
    call_command(
        "accountability", "--town", register.town.code, "--hazard", later.number, "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["at"] == "2025-05-06"
    assert any(link["person"] == "其其格" and link["role"] == "territory" for link in data["chain"])
    secretary = next(p for p in data["persons"] if p["person"] == "其其格")
    assert secretary["finding"] == "未尽职"
    assert any(earlier.number in gap and "未按期整改销号" in gap for gap in secretary["gaps"])
