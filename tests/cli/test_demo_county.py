"""`yigang demo --towns N`: a synthetic county — same register per town, bulk duty records stored exactly as the
action stores them, hazards and accidents, no demo account leaking into another town, and resumable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    from yigang.cli import county

    monkeypatch.setattr(county, "RECORDS_PER_TOWN", 240)


def test_a_county_of_three_towns(small: None) -> None:
    from yigang.accidents.models import Accident
    from yigang.audit.models import AuditEntry
    from yigang.duties.compliance import compute
    from yigang.duties.models import Credit, DutyRecord, RecordRules
    from yigang.hazards.models import Hazard
    from yigang.org.models import Person, Post, Tenure
    from yigang.regulations.periods import local_date
    from yigang.towns.models import Membership, Town

    out = StringIO()
    call_command("demo", "--quiet", "--towns", "3", stdout=out)
    # The demo's own smaller neighbour (嘎鲁图镇, for the county view) stands beside the synthetic towns.
    towns = list(Town.objects.exclude(code="galutu").order_by("pk"))
    assert [t.code for t in towns] == ["wushenzhao", "county-002", "county-003"]
    assert "3/3" in out.getvalue()
    demo, second = towns[0], towns[1]
    assert Post.objects.filter(town=second).count() == Post.objects.filter(town=demo).count()
    # 240 bulk records plus the amendment chains written through the action (each adds one version).
    bulk = DutyRecord.objects.filter(town=second, amends__isnull=True)
    assert bulk.count() == 240
    assert DutyRecord.objects.filter(town=second, amends__isnull=False).count() == 6
    assert DutyRecord.objects.filter(town=second, withdrawn=True).count() == 2
    # Every credit names the holder on the record's date, as create_record stores it.
    for credit in Credit.objects.filter(town=second).select_related("record")[:60]:
        held = Tenure.objects.filter(post_id=credit.post_id, start__lte=credit.record.occurred_on).exclude(
            end__lt=credit.record.occurred_on
        )
        assert credit.person_id == (held.first().person_id if held.exists() else None)
    # Only posts a record may credit (a kind-less post, the county body's 局长, made amendments refused).
    assert not Credit.objects.filter(town=second, post__kind="").exists()
    # Led by every credited post, entered days after (补录 when weeks after, by the town's rule), as hand entry.
    assert not Credit.objects.filter(town=second, record__in=bulk, led=False).exists()
    late_after = RecordRules.for_town(second).late_after_days
    for record in bulk:
        assert record.occurred_at <= record.entered_at
        assert record.is_late == ((local_date(record.entered_at) - record.occurred_on).days > late_after)
    assert 0 < bulk.filter(is_late=True).count() < 240 / 5
    entry = AuditEntry.objects.get(event="duties.record.bulk_demo", town=second)
    first, last = entry.changes["ids"][0]
    assert list(bulk.filter(pk__gte=first, pk__lte=last).values_list("pk", flat=True).order_by("pk")) == list(
        range(first, last + 1)
    )
    assert Hazard.objects.filter(town=second).exists()
    assert Accident.objects.filter(town=second).exists()
    # The demo accounts stay in the demo town; the other towns' people have no accounts.
    assert not Person.objects.filter(town=second, user__isnull=False).exists()
    assert set(Membership.objects.filter(town=second).values_list("role", flat=True)) == {"officer"}
    assert compute(second, 2025).rows

    # Re-running (or resuming) adds nothing; the same seed gives the same records.
    before = list(bulk.order_by("occurred_at", "id").values_list("occurred_on", "kind", "place")[:50])
    call_command("demo", "--quiet", "--towns", "3", stdout=StringIO())
    assert Town.objects.exclude(code="galutu").count() == 3
    assert DutyRecord.objects.filter(town=second, amends__isnull=True).count() == 240
    assert before == list(bulk.order_by("occurred_at", "id").values_list("occurred_on", "kind", "place")[:50])


def test_the_default_is_the_demo_town_alone() -> None:
    from yigang.towns.models import Town

    call_command("demo", "--quiet", stdout=StringIO())
    # The demo town and its small neighbour for the county view; no synthetic town.
    assert list(Town.objects.order_by("pk").values_list("code", flat=True)) == ["wushenzhao", "galutu"]
