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


def test_a_post_that_ended_takes_no_tenure_beyond_its_last_day(town: Any, mayor_post: Any) -> None:
    from yigang.org.models import Post

    Post.objects.filter(pk=mayor_post.pk).update(valid_until=D(2023, 12, 31))
    mayor_post.refresh_from_db()
    a = actions.add_person(town=town, name="巴图", actor=None)
    with pytest.raises(ValidationError, match="已于2023-12-31撤销"):
        actions.appoint(post=mayor_post, person=a, start=D(2023, 1, 1), actor=None)
    actions.appoint(post=mayor_post, person=a, start=D(2023, 1, 1), end=D(2023, 12, 31), actor=None)


def test_portfolios_are_dated_and_not_doubled(town: Any, mayor_post: Any) -> None:
    body = actions.add_unit(town=town, name="平安建设办公室", actor=None)
    first = actions.assign_portfolio(post=mayor_post, unit=body, start=D(2022, 1, 1), actor=None)
    with pytest.raises(ValidationError, match="已分管"):
        actions.assign_portfolio(post=mayor_post, unit=body, start=D(2023, 1, 1), actor=None)
    actions.end_portfolio(portfolio=first, end=D(2022, 12, 31), actor=None)
    with pytest.raises(ValidationError, match="已于2022-12-31终止"):
        actions.end_portfolio(portfolio=first, end=D(2023, 1, 1), actor=None)
    actions.assign_portfolio(post=mayor_post, unit=body, start=D(2023, 1, 1), actor=None)
    assert AuditEntry.objects.filter(event__startswith="org.portfolio").count() == 3


def test_an_enterprise_has_a_sector_and_a_village(town: Any) -> None:
    sector = actions.add_sector(town=town, name="烟花爆竹", actor=None)
    village = actions.add_unit(town=town, name="巴音敖包嘎查", kind="village", actor=None)
    shop = actions.add_unit(
        town=town, name="烟花零售点", kind="enterprise", sector=sector, village=village, actor=None
    )
    assert (shop.sector, shop.village) == (sector, village)
    with pytest.raises(ValidationError, match="只有生产经营单位"):
        actions.add_unit(town=town, name="某办公室", kind="body", sector=sector, actor=None)
    with pytest.raises(ValidationError, match="所在地须为本乡镇的嘎查村"):
        actions.add_unit(town=town, name="另一零售点", kind="enterprise", village=shop, actor=None)
    with pytest.raises(ValidationError, match="行业监管须由镇属机构"):
        actions.add_supervision(sector=sector, unit=village, actor=None)


def test_a_start_or_an_end_years_ahead_is_refused(town: Any, mayor_post: Any) -> None:
    from django.utils import timezone

    # Today + 366 days is the furthest a start (or an end being entered) may be: a typo such as 2062 for 2026
    # is refused with the limit named, nothing saved (issue 22.5).
    today = timezone.localdate()
    limit = today + datetime.timedelta(days=366)
    a = actions.add_person(town=town, name="巴图", actor=None)
    with pytest.raises(ValidationError, match=rf"任职日期.*不能晚于{limit}"):
        actions.appoint(post=mayor_post, person=a, start=limit + datetime.timedelta(days=1), actor=None)
    assert not Tenure.objects.exists()
    tenure = actions.appoint(post=mayor_post, person=a, start=D(2022, 1, 1), actor=None)
    with pytest.raises(ValidationError, match=r"离任日期.*不能晚于"):
        actions.end_tenure(tenure=tenure, end=D(today.year + 30, 1, 1), actor=None)
    tenure.refresh_from_db()
    assert tenure.end is None
    body = actions.add_unit(town=town, name="平安建设办公室", actor=None)
    with pytest.raises(ValidationError, match=r"分管起始日期.*不能晚于"):
        actions.assign_portfolio(post=mayor_post, unit=body, start=D(today.year + 30, 1, 1), actor=None)
    portfolio = actions.assign_portfolio(
        post=mayor_post, unit=body, start=limit, actor=None
    )  # the last day allowed
    with pytest.raises(ValidationError, match=r"分管终止日期.*不能晚于"):
        actions.end_portfolio(portfolio=portfolio, end=D(today.year + 30, 1, 1), actor=None)
    portfolio.refresh_from_db()
    assert portfolio.end is None
