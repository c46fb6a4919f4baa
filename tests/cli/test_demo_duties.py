"""The demo fills a full past year and this year so far, with some posts behind; re-running changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command

from yigang.duties.compliance import compute
from yigang.duties.models import DutyRecord
from yigang.org.models import Tenure
from yigang.towns.models import Town

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_records_with_some_posts_behind() -> None:
    call_command("demo", "--quiet")
    town = Town.objects.get(code="wushenzhao")
    records = DutyRecord.objects.filter(town=town).count()
    assert records > 100
    assert Tenure.objects.filter(town=town).exists()
    result = compute(town, 2025, today=datetime.date(2026, 1, 10))
    statuses = {r.status for r in result.rows}
    assert {"met", "missed"} <= statuses
    behind = {r.post for r in result.rows if r.status == "missed"}
    met = {r.post for r in result.rows if r.status == "met"}
    assert "副镇长（分管城建）" in behind and "分管安全生产副镇长" in met
    assert DutyRecord.objects.filter(town=town, version=2).count() == 2  # one amendment, one withdrawal
    # Bodies and villages carry the town's own monthly inspections: no false "nothing due" for them.
    own = [r for r in result.rows if r.source == "town"]
    assert {r.kind for r in own} == {"inspection"} and {r.period for r in own} == {"month"}
    kinds = {r.post_id for r in own}
    from yigang.org.models import Post

    assert set(Post.objects.filter(pk__in=kinds).values_list("kind", flat=True)) == {
        "department_head",
        "village_secretary",
    }
    assert {"met", "missed"} <= {r.status for r in own}
    assert DutyRecord.objects.filter(town=town, is_late=True).exists()  # some demo records are 补录
    call_command("demo", "--quiet")
    assert DutyRecord.objects.filter(town=town).count() == records


def test_the_loader_keeps_existing_holders(town: Any, users: Any, seed_bytes: bytes) -> None:
    from yigang.cli import demo_duties
    from yigang.org import actions
    from yigang.regulations import actions as reg_actions

    reg = reg_actions.import_regulation(town=town, data=seed_bytes, filename="s.txt", actor=None)
    reg_actions.activate_regulation(regulation=reg, actor=None, effective_from=datetime.date(2022, 1, 1))
    gov = actions.add_unit(town=town, name="镇人民政府", kind="government", actor=None)
    mayor = actions.add_post(unit=gov, title="镇长", kind="mayor", actor=None)
    actions.add_post(unit=gov, title="分管安全生产副镇长", kind="safety_deputy", actor=None)
    person = actions.add_person(town=town, name="巴图", actor=None)
    actions.appoint(post=mayor, person=person, start=datetime.date(2021, 3, 1), actor=None)
    demo_duties.load(town)
    assert list(Tenure.objects.filter(post=mayor).values_list("person__name", flat=True)) == ["巴图"]
    assert Tenure.objects.filter(town=town).count() == 2
