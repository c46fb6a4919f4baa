"""The register check on a day: vacant seats, duties nobody holds, bodies without a head or a leader in charge."""

from __future__ import annotations

import datetime

import pytest

from yigang.org import actions
from yigang.org.lint import lint_town
from yigang.org.models import Portfolio, Post, Supervision, Tenure

from .conftest import Register

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_vacant_seat_leaves_its_duties_without_a_holder(register: Register) -> None:
    tenure = Tenure.objects.get(post=register.posts["镇长"], end__isnull=True)
    actions.end_tenure(tenure=tenure, end=D(2024, 12, 31), actor=None)
    assert lint_town(register.town, D(2024, 12, 31)).vacant_posts == []
    report = lint_town(register.town, D(2025, 1, 1))
    assert [(v.unit, v.post) for v in report.vacant_posts] == [("镇人民政府", "镇长")]
    assert [(u.post, u.reason, u.reason_label) for u in report.unheld_duties] == [
        ("mayor", "vacant", "对应岗位均空缺")
    ]
    assert len(report.unheld_duties[0].duties) == 2
    assert not report.clean
    # The same check on a day the seat was held finds nothing.
    earlier = lint_town(register.town, D(2024, 6, 1))
    assert (earlier.vacant_posts, earlier.unheld_duties) == ([], [])


def test_it_finds_bodies_without_a_head_or_a_leader_in_charge_and_ended_supervision(
    register: Register,
) -> None:
    head = register.posts["交警中队负责人"]
    Post.objects.filter(pk=head.pk).update(valid_until=D(2024, 12, 31))
    portfolio = Portfolio.objects.get(unit=register.units["公安派出所"])
    actions.end_portfolio(portfolio=portfolio, end=D(2024, 12, 31), actor=None)
    supervision = Supervision.objects.get(unit=register.units["综合行政执法局"], sector__name="车辆")
    actions.end_supervision(supervision=supervision, end=D(2024, 12, 31), actor=None)
    report = lint_town(register.town, D(2025, 1, 1))
    assert report.bodies_without_head == ["交警中队"]
    assert report.bodies_without_portfolio == ["公安派出所"]
    assert report.unsupervised == ["车辆"]
    assert lint_town(register.town, D(2024, 12, 31)).unsupervised == []
    data = report.as_dict()
    assert data["at"] == "2025-01-01" and data["clean"] is False
