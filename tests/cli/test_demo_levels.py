"""`yigang demo` above the towns (issue 25): the county's own 实施细则 in force with its model duties, and the demo
town held against it on its own regulation page and on the county's page — findings worked by hand below."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_a_model_and_the_demo_town_is_held_against_it() -> None:
    from django.contrib.auth import get_user_model

    from yigang.regulations.model_check import DUTY_MISSING, LOWER, check_region
    from yigang.regulations.models import Regulation, Status
    from yigang.towns.models import Region, Town

    call_command("demo", "--quiet", stdout=StringIO())
    call_command("demo", "--quiet", stdout=StringIO())  # idempotent: still one version
    county = Region.objects.get(level="county", name="乌审旗")
    assert county.parent is not None and county.parent.name == "鄂尔多斯市"
    regulation = Regulation.objects.get(region=county)
    assert regulation.status == Status.ACTIVE and regulation.town is None
    # Every duty with a frequency but the county's own departments' is a model duty: 6 of the text's 7.
    assert regulation.duties.filter(is_model=True).count() == 6
    town = Town.objects.get(code="wushenzhao")
    found = next(t for t in check_region(county, [town]).towns if t.town == town)
    # By hand, against the 乌审召镇 text: 党委书记 每季度 (4/yr) vs its 每年至少2次 → lower; 镇长 每月 (12/yr)
    # meetings vs 每年至少4次 → lower; the village secretaries' monthly 排查 has no counterpart → missing;
    # 镇长's quarterly inspection and the safety deputy's two monthly duties are met.
    assert sorted(f.status for f in found.findings) == sorted([LOWER, LOWER, DUTY_MISSING])
    assert found.met == 3

    from yigang.towns.models import Account

    Account.objects.update(must_change_password=False)  # the demo's printed password asks for a new one first
    officer = get_user_model().objects.get(username="anweiban")
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("regulations:list")).content.decode()
    assert "上级示范条款对照" in page and "频次偏低" in page
    viewer = get_user_model().objects.get(username="mengshi")
    client.force_login(viewer)
    assert "乌审召镇" in client.get(reverse("regulations:region", args=[county.code])).content.decode()
