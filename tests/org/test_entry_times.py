"""The register keeps its own entry times (issue 21): when a tenure, portfolio or supervision was recorded, and
when its end was set. Rows from before entry times were kept get none: the migration invents no time."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.db import migrations
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from yigang.org import actions
from yigang.org.models import Portfolio, Supervision, Tenure

from .conftest import TERM, Register

pytestmark = pytest.mark.django_db


def test_a_tenure_records_when_it_was_entered_and_when_it_was_ended(register: Register) -> None:
    before = timezone.now()
    person = actions.add_person(town=register.town, name="新任", actor=register.officer)
    post = actions.add_post(
        unit=register.units["镇人民政府"], title="挂职副镇长", kind="other_deputy", actor=register.officer
    )
    tenure = actions.appoint(
        post=post, person=person, start=datetime.date(2025, 1, 1), actor=register.officer
    )
    assert tenure.recorded_at is not None and tenure.recorded_at >= before
    assert tenure.end_recorded_at is None and tenure.end_entered_at is None  # open: no end entered yet
    fresh = Tenure.objects.get(pk=tenure.pk)
    actions.end_tenure(tenure=fresh, end=datetime.date(2025, 3, 31), actor=register.officer)
    fresh.refresh_from_db()
    assert fresh.end_recorded_at is not None and fresh.end_recorded_at >= fresh.recorded_at
    assert fresh.end_entered_at == fresh.end_recorded_at
    # Saving again without touching the end keeps the time it was entered.
    stamp = fresh.end_recorded_at
    Tenure.objects.get(pk=tenure.pk).save()
    assert Tenure.objects.get(pk=tenure.pk).end_recorded_at == stamp


def test_a_row_made_with_its_end_has_it_entered_with_the_row(register: Register) -> None:
    person = actions.add_person(town=register.town, name="临时", actor=register.officer)
    post = actions.add_post(
        unit=register.units["镇人民政府"], title="临时岗位", kind="other_deputy", actor=register.officer
    )
    tenure = actions.appoint(
        post=post, person=person, start=TERM, end=datetime.date(2023, 1, 1), actor=register.officer
    )
    tenure = Tenure.objects.get(pk=tenure.pk)
    assert tenure.end_recorded_at is None and tenure.end_entered_at == tenure.recorded_at


def test_portfolios_and_supervisions_are_stamped_too(register: Register) -> None:
    portfolio = Portfolio.objects.filter(town=register.town, end__isnull=True).first()
    supervision = Supervision.objects.filter(town=register.town, end__isnull=True).first()
    assert portfolio is not None and supervision is not None
    assert portfolio.recorded_at is not None and supervision.recorded_at is not None
    actions.end_portfolio(portfolio=portfolio, end=datetime.date(2025, 6, 30), actor=register.officer)
    actions.end_supervision(supervision=supervision, end=datetime.date(2025, 6, 30), actor=register.officer)
    assert Portfolio.objects.get(pk=portfolio.pk).end_recorded_at is not None
    assert Supervision.objects.get(pk=supervision.pk).end_recorded_at is not None


def test_a_reorganisation_stamps_the_ends_it_sets(register: Register) -> None:
    body = register.units["交警中队"]
    actions.reorganise(
        town=register.town,
        kind="rename",
        effective=datetime.date(2025, 1, 1),
        sources=[body],
        results=["交通管理中队"],
        actor=register.officer,
    )
    ended = Tenure.objects.get(post__unit=body)
    assert ended.end == datetime.date(2024, 12, 31) and ended.end_recorded_at is not None
    carried = Tenure.objects.get(post__unit__name="交通管理中队")
    assert carried.recorded_at is not None and carried.recorded_at >= ended.recorded_at


def test_the_migration_adds_the_columns_empty_before_stamping_new_rows() -> None:
    migration: Any = importlib.import_module("yigang.org.migrations.0008_register_entry_times").Migration
    for model in ("portfolio", "supervision", "tenure"):
        ops = [op for op in migration.operations if op.model_name == model and op.name == "recorded_at"]
        add, alter = ops
        # Adding the column with a default would fill every existing row with the migration's time.
        assert isinstance(add, migrations.AddField) and add.field.default is NOT_PROVIDED
        assert isinstance(alter, migrations.AlterField) and alter.field.default is timezone.now
