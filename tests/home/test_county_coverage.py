"""The county view's supervision-coverage column (overview/county.py), worked by hand: the town of
test_supervision_home (6 of 7 judged periods met on 15 August 2025: 85.7 %) beside a town with no plan at all,
which says 无监管计划 — in the table, the town's page, the chart's data and the .xlsx — never 0 % or 100 %."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.home.test_supervision_home import _today, plans  # noqa: F401 (fixtures)
from tests.places.conftest import D, inspect, place, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _viewer(users: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(users["county_viewer"])
    return client


def test_each_towns_coverage_is_its_coverage_page_and_no_plan_says_so(
    world: SimpleNamespace,  # noqa: F811
    plans: SimpleNamespace,  # noqa: F811
    other_town: Any,
) -> None:
    client = _viewer(world.users)
    response = client.get(reverse("county:towns"), {"year": "2025", "sort": "coverage"})
    rows = response.context["rows"]
    assert [r.town for r in rows] == [world.town, other_town]  # a town without a plan sorts last
    mine, other = rows
    assert (mine.coverage.met, mine.coverage.judged, mine.coverage_rate) == (6, 7, 85.7)
    assert mine.coverage_text == "85.7%" and other.coverage is None and other.coverage_text == "无监管计划"
    html = response.content.decode()
    assert "85.7%" in html and "无监管计划" in html
    # The officer's coverage page of the same town says the same.
    officer = Client()
    officer.force_login(world.users["officer"])
    page = officer.get(reverse("places:coverage"), {"year": "2025"}).context["report"]
    assert (page.totals.met, page.totals.judged, page.totals.rate) == (6, 7, 85.7)
    # The town's page, and the chart's data (the table's rows).
    detail = client.get(reverse("county:town", args=[world.town.pk]), {"year": "2025"}).content.decode()
    assert "85.7%" in detail and "已覆盖 6 / 应检 7 个周期" in detail
    bare = client.get(reverse("county:town", args=[other_town.pk]), {"year": "2025"}).content.decode()
    assert "无监管计划" in bare
    chart = {t["name"]: t["coverage"] for t in response.context["chart"]["towns"]}
    assert chart == {world.town.name: "85.7%", other_town.name: "无监管计划"}


def test_the_xlsx_has_the_coverage_column(
    world: SimpleNamespace,  # noqa: F811
    plans: SimpleNamespace,  # noqa: F811
    other_town: Any,
) -> None:
    from openpyxl import load_workbook

    response = _viewer(world.users).get(reverse("county:towns_xlsx"), {"year": "2025", "sort": "name"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[2]]
    at = header.index("检查计划覆盖率（%）")
    cells = {r[0]: r[at] for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert cells == {world.town.name: 85.7, other_town.name: "无监管计划"}


def test_a_plan_with_nothing_judged_yet_is_a_dash(
    world: SimpleNamespace,  # noqa: F811
    place: Any,  # noqa: F811
) -> None:
    """A yearly plan line in a running year: owed, not judged — "—", neither 0 % nor 100 %."""
    from yigang.places import actions

    place("乌兰采石场", [world.mines], risk_level="blue", risk_on=D(2025, 1, 2))
    actions.make_plan(unit=world.emergency, year=2025, actor=world.users["officer"])
    row = _viewer(world.users).get(reverse("county:towns"), {"year": "2025"}).context["rows"][0]
    assert row.coverage is not None and row.coverage.judged == 0 and row.coverage_text == "—"


def test_compute_towns_is_each_towns_compute_in_six_queries(
    world: SimpleNamespace,  # noqa: F811
    plans: SimpleNamespace,  # noqa: F811
    other_town: Any,
    far_town: Any,
    django_assert_num_queries: Any,
) -> None:
    from yigang.places.coverage import compute, compute_towns

    towns = [world.town, other_town, far_town]
    alone = [compute(t, 2025, at=D(2025, 8, 15)).as_dict() for t in towns]
    with django_assert_num_queries(6):
        together = compute_towns(towns, 2025, at=D(2025, 8, 15))
    assert [r.as_dict() for r in together] == alone
    assert together[0].totals.as_dict() == {"judged": 7, "met": 6, "inspections": 6, "rate": 85.7}
