"""The county view: towns side by side, the compliance rate worked by hand, sorting, drill-down, .xlsx."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse

from yigang.towns.county import TownFigures, _sorted

pytestmark = pytest.mark.django_db
D = datetime.date


def _row(town: Any, met: int, missed: int, **kw: Any) -> TownFigures:
    values = {"behind": 0, "hazards_open": 0, "hazards_overdue": 0, "accidents": 0, "deaths": 0, "grades": []}
    values.update(kw)
    return TownFigures(town=town, met=met, missed=missed, **values)


def test_rate_is_met_over_judged_rounded_half_up(town: Any) -> None:
    assert _row(town, 2, 1).rate == 67  # 2/3 = 66.67 %
    assert _row(town, 1, 1).rate == 50
    assert _row(town, 1, 7).rate == 13  # 12.5 % rounds half up
    assert _row(town, 5, 0).rate == 100
    assert _row(town, 0, 0).rate is None  # nothing judged: no rate, never 0 % or 100 %


def test_sorting_puts_towns_without_rate_last(town: Any, other_town: Any, far_town: Any) -> None:
    rows = [_row(town, 1, 1), _row(other_town, 0, 0), _row(far_town, 3, 1)]
    assert [r.town for r in _sorted(rows, "rate")] == [town, far_town, other_town]
    assert [r.town for r in _sorted(rows, "-rate")] == [far_town, town, other_town]
    rows[0].hazards_open = 5
    assert _sorted(rows, "-open")[0].town == town
    assert [r.town.name for r in _sorted(rows, "nonsense")] == sorted(
        t.name for t in (town, other_town, far_town)
    )


def test_county_viewer_compares_towns_of_the_county_only(
    client: Any, town: Any, other_town: Any, far_town: Any, users: Any, seed: Any
) -> None:
    client.force_login(users["county_viewer"])
    page = client.get(reverse("county:towns")).content.decode()
    assert town.name in page and other_town.name in page
    assert far_town.name not in page
    assert 'id="county-figures"' in page and "<script>" not in page.replace("<script src=", "")
    detail = client.get(reverse("county:town", args=[town.pk])).content.decode()
    assert "只读" in detail and 'method="post"' not in detail.split("<main")[1]
    assert client.get(reverse("county:town", args=[far_town.pk])).status_code == 404


def test_narrow_readers_get_no_comparison(client: Any, users: Any) -> None:
    client.force_login(users["body_staff"])
    assert client.get(reverse("county:towns")).status_code == 404


def test_xlsx_lists_each_town(client: Any, town: Any, other_town: Any, users: Any) -> None:
    from openpyxl import load_workbook

    client.force_login(users["county_viewer"])
    response = client.get(reverse("county:towns_xlsx"), {"year": "2025", "sort": "name"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted([town.name, other_town.name])
    assert sheet.cell(1, 1).value == "2025 年各乡镇安全生产责任落实对比"
