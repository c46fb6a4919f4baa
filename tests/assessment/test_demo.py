"""The demo's 2025 round is published, and the fatal road accident vetoes the body and the village answering."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from yigang.assessment.models import Adjustment, Round
from yigang.assessment.results import results
from yigang.towns.models import Town

pytestmark = pytest.mark.django_db


def test_demo_round_published_with_the_road_accident_vetoing(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "--quiet")
    town = Town.objects.get(code="wushenzhao")
    rnd = Round.objects.get(town=town, year=2025)
    assert rnd.published and rnd.snapshot_sha256
    data = results(town, 2025)
    units = {u["unit"]: u for u in data["units"]}
    assert units["交警中队"]["vetoed"] and units["交警中队"]["grade"] == "不合格"
    assert units["巴音敖包嘎查"]["vetoed"]
    assert "发生较大及以上生产安全事故" in units["巴音敖包嘎查"]["veto_reasons"]
    assert units["乌审召嘎查"]["adjustments"][0]["points"] == "1.0"
    assert Adjustment.objects.filter(round=rnd).count() == 1
    call_command("demo", "--quiet")
    assert Round.objects.filter(town=town).count() == 1
