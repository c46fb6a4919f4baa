"""Appointing and ending tenures: one holder per post at a time, history kept."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yigang.audit.models import AuditEntry
from yigang.org import actions
from yigang.org.models import Tenure

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def mayor_post(town: Any) -> Any:
    gov = actions.add_unit(town=town, name="镇人民政府", kind="government", actor=None)
    return actions.add_post(unit=gov, title="镇长", kind="mayor", actor=None)


def test_it_appoints_and_ends_without_overwriting(town: Any, mayor_post: Any) -> None:
    a = actions.add_person(town=town, name="巴图", actor=None)
    b = actions.add_person(town=town, name="张三", actor=None)
    first = actions.appoint(post=mayor_post, person=a, start=D(2021, 1, 1), actor=None)
    actions.end_tenure(tenure=first, end=D(2023, 6, 30), actor=None)
    actions.appoint(post=mayor_post, person=b, start=D(2023, 7, 1), actor=None)
    assert list(Tenure.objects.filter(post=mayor_post).values_list("person__name", "start", "end")) == [
        ("巴图", D(2021, 1, 1), D(2023, 6, 30)),
        ("张三", D(2023, 7, 1), None),
    ]
    assert AuditEntry.objects.filter(event__startswith="org.tenure").count() == 3


def test_it_refuses_a_second_holder_at_the_same_time(town: Any, mayor_post: Any) -> None:
    a = actions.add_person(town=town, name="巴图", actor=None)
    b = actions.add_person(town=town, name="张三", actor=None)
    actions.appoint(post=mayor_post, person=a, start=D(2021, 1, 1), actor=None)
    with pytest.raises(ValidationError, match="已由巴图担任"):
        actions.appoint(post=mayor_post, person=b, start=D(2022, 1, 1), actor=None)
    assert Tenure.objects.count() == 1


def test_it_refuses_backwards_dates(town: Any, mayor_post: Any) -> None:
    a = actions.add_person(town=town, name="巴图", actor=None)
    with pytest.raises(ValidationError, match="不能早于"):
        actions.appoint(post=mayor_post, person=a, start=D(2022, 1, 1), end=D(2021, 1, 1), actor=None)
    tenure = actions.appoint(post=mayor_post, person=a, start=D(2022, 1, 1), actor=None)
    with pytest.raises(ValidationError, match="不能早于"):
        actions.end_tenure(tenure=tenure, end=D(2021, 12, 31), actor=None)
