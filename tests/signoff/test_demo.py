"""The demo: the regulation distributed and mostly confirmed, this year's target letters half-signed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_demo_shows_real_gaps() -> None:
    from yigang.signoff.models import Confirmation
    from yigang.signoff.tracking import status
    from yigang.towns.models import Town

    call_command("demo", "--quiet", stdout=StringIO())
    town = Town.objects.get(code="wushenzhao")
    docs = {d["kind"]: d for d in status(town, timezone.localdate().year)["documents"]}
    regulation, lists, letters = docs["regulation"], docs["duty_list"], docs["target_letter"]
    assert regulation["required"] >= 25 and regulation["confirmed"] > regulation["required"] * 3 / 4
    assert regulation["missing"]  # mostly, not all
    assert 0 < lists["confirmed"] < lists["required"]
    assert letters["confirmed"] * 2 == letters["required"]  # every other letter signed by both sides
    # Confirmations were made by the holders themselves, through the action (hash of the exact text).
    assert all(c.user_id == c.person.user_id for c in Confirmation.objects.select_related("person"))
    count = Confirmation.objects.count()
    call_command("demo", "--quiet", stdout=StringIO())
    assert Confirmation.objects.count() == count
