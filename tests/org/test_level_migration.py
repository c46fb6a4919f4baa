"""Versions imported before the fix carry 直接领导责任 for department heads; the data migration corrects them."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from yigang.org.chain import level_labels
from yigang.regulations.models import RegulationPost

pytestmark = pytest.mark.django_db


def test_stored_department_head_levels_become_overall(regulation: Any) -> None:
    RegulationPost.objects.filter(regulation=regulation, kind="department_head").update(level="direct")
    assert level_labels(regulation)["department_head"] == "直接领导责任"
    migration = importlib.import_module(
        "yigang.org.migrations.0006_department_heads_bear_overall_responsibility"
    )
    migration.forwards(apps, None)
    assert level_labels(regulation)["department_head"] == "全面领导责任"
    # Other posts keep their levels.
    assert level_labels(regulation)["other_deputy"] == "直接领导责任"
