"""`yigang demo`: the demo town's register is complete, has history, and re-running changes nothing."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_demo_register_is_complete_and_idempotent() -> None:
    from yigang.audit.models import AuditEntry
    from yigang.org.chain import build_chain
    from yigang.org.lint import lint_town
    from yigang.org.models import Person, Portfolio, Post, Sector, Tenure, Unit, UnitChange, UnitKind
    from yigang.regulations.models import Regulation
    from yigang.towns.models import Town

    call_command("demo", "--quiet", stdout=StringIO())
    counts = (
        Unit.objects.count(),
        Post.objects.count(),
        Person.objects.count(),
        Tenure.objects.count(),
        Portfolio.objects.count(),
    )
    audit = AuditEntry.objects.count()
    call_command("demo", "--quiet", stdout=StringIO())
    assert (
        Unit.objects.count(),
        Post.objects.count(),
        Person.objects.count(),
        Tenure.objects.count(),
        Portfolio.objects.count(),
    ) == counts
    assert AuditEntry.objects.count() == audit

    town = Town.objects.get(code="wushenzhao")
    today = timezone.localdate()
    regulation = Regulation.objects.get(town=town)
    held = set(Tenure.objects.at(today).filter(town=town).values_list("post__kind", flat=True))
    assert set(regulation.posts.values_list("kind", flat=True)) <= held  # every post of the seed is held
    assert Unit.objects.filter(town=town, kind=UnitKind.VILLAGE, active=True).count() >= 8
    assert Unit.objects.filter(town=town, kind=UnitKind.BODY).count() >= 13
    assert Unit.objects.filter(town=town, kind=UnitKind.ENTERPRISE, sector__isnull=False).count() >= 3
    report = lint_town(town)
    assert (report.vacant_posts, report.bodies_without_head, report.bodies_without_portfolio) == ([], [], [])
    assert UnitChange.objects.filter(town=town).count() == 1
    # History: the mayor changed in 2024 and the fireworks sector moved to a new office on 2024-07-01.
    fireworks = Sector.objects.get(town=town, name="烟花爆竹")

    def who(day: datetime.date, post: str) -> list[str | None]:
        return [
            link.person
            for link in build_chain(sector=fireworks, place=None, at=day).links
            if link.post == post
        ]

    assert who(D(2024, 3, 31), "镇长") == ["张建华"]
    assert who(D(2024, 4, 1), "镇长") == ["巴图"]
    assert who(D(2024, 6, 30), "平安建设办公室负责人") == ["李强"]
    assert who(D(2024, 7, 1), "应急管理办公室负责人") == ["那日苏"]
    assert [v.post for v in lint_town(town, D(2024, 1, 15)).vacant_posts] == ["副镇长（分管城建）"]
    # The demo accounts are linked to their people.
    assert Person.objects.get(town=town, name="巴图").user.username == "zhenzhang"


def test_every_demo_person_with_an_account_is_linked_and_the_sysadmin_sees_every_account() -> None:
    from django.contrib.auth import get_user_model

    from yigang.cli import demo_data
    from yigang.org.models import Person
    from yigang.towns.access import admin_counties, manageable_users
    from yigang.towns.models import Town

    call_command("demo", "--quiet", stdout=StringIO())
    town = Town.objects.get(code="wushenzhao")
    # A demo loaded before the link was made: re-running links the person again.
    Person.objects.filter(town=town, name="李强").update(user=None)
    call_command("demo", "--quiet", stdout=StringIO())
    named = {person: username for username, _n, _r, _u, person in demo_data.ACCOUNTS if person}
    # 安委办 王晓燕 (the officer, a staff post of the safety committee's office), 镇长 巴图, 平安办 李强, 嘎查 其其格.
    assert len(named) == 4 and named["王晓燕"] == "anweiban"
    linked = dict(Person.objects.filter(town=town, user__isnull=False).values_list("name", "user__username"))
    assert named.items() <= linked.items()
    # Every other current holder gets an account of their own (username = phone) from the sign-off demo, so
    # they can confirm their 责任清单 themselves.
    holders = {username for name, username in linked.items() if name not in named}
    assert holders and all(username.isdigit() for username in holders)
    sysadmin = get_user_model().objects.get(username="sysadmin")
    # 乌审召镇 is the demo county's only town: its administrator administers 乌审旗's accounts too.
    assert admin_counties(sysadmin) == {"乌审旗"}
    listed = set(manageable_users(sysadmin).values_list("username", flat=True))
    assert listed == ({a[0] for a in demo_data.ACCOUNTS} - {"sysadmin"}) | holders


@pytest.mark.django_db
def test_demo_has_a_second_smaller_town_in_the_same_county() -> None:
    from yigang.duties.models import DutyRecord
    from yigang.towns.models import Town

    call_command("demo", "--quiet")
    first, second = Town.objects.get(code="wushenzhao"), Town.objects.get(code="galutu")
    assert second.county == first.county
    assert 0 < DutyRecord.objects.filter(town=second).count() < DutyRecord.objects.filter(town=first).count()
    call_command("demo", "--quiet")  # idempotent
    assert Town.objects.filter(county=first.county).count() == 2
