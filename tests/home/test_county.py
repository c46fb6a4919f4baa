"""The county view: towns side by side, the compliance rate worked by hand, sorting, drill-down, .xlsx."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse

from yigang.overview.county import TownFigures, _sorted

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


def _published(town: Any, year: int, units: list[tuple[str, str, bool]], *, published: bool = True) -> None:
    """A round as publishing leaves it, with a hand-made snapshot: (score, grade, vetoed) per unit."""
    from django.utils import timezone

    from yigang.assessment.models import Round, Scheme

    scheme = Scheme.objects.create(town=town, year=year, title=f"{year}方案", rules={}, frozen=True)
    snapshot = {
        "units": [{"score": s, "grade": g, "vetoed": v} for s, g, v in units],
        "persons": [{"score": "88.0", "grade": "良好", "vetoed": True}],
    }
    Round.objects.create(
        town=town,
        year=year,
        scheme=scheme,
        published=published,
        published_at=timezone.now() if published else None,
        snapshot=snapshot if published else {},
    )


@pytest.fixture
def assessed(town: Any, other_town: Any, make_town: Any) -> Any:
    # 乌审召镇 2025: 92.0 and 55.0 (vetoed) → mean 73.5, 优秀 1, 不合格 1, one unit vetoed.
    _published(town, 2025, [("92.0", "优秀", False), ("55.0", "不合格", True)])
    # 图克镇: 2024 published (81.0 → mean 81.0, 良好 1); its 2025 round is still a draft, so 2024 is its latest.
    _published(other_town, 2024, [("81.0", "良好", False)])
    _published(other_town, 2025, [], published=False)
    return make_town(code="third", name="河南乡", county="乌审旗")  # nothing published


def test_assessment_column_worked_by_hand(
    client: Any, town: Any, other_town: Any, users: Any, assessed: Any
) -> None:
    from yigang.overview.county import _mean

    client.force_login(users["county_viewer"])
    response = client.get(reverse("county:towns"), {"year": "2025", "sort": "assessment"})
    rows = response.context["rows"]
    assert [r.town for r in rows] == [town, other_town, assessed]  # 73.5, 81.0, then 未发布 last
    assert [str(_mean(r)) for r in rows[:2]] == ["73.5", "81.0"]
    assert rows[0].assessment.grades == [("优秀", 1), ("良好", 0), ("合格", 0), ("不合格", 1)]
    assert rows[0].assessment.vetoed_units == 1 and rows[1].assessment.year == 2024
    page = response.content.decode()
    assert "2025 年度 · 均分 73.5" in page and "2024 年度 · 均分 81.0" in page and "一票否决 1" in page
    body = page[page.index("<tbody>") :]
    third = body[body.index("河南乡") :]
    assert "未发布" in third[: third.index("</tr>")]
    down = client.get(reverse("county:towns"), {"year": "2025", "sort": "-assessment"}).context["rows"]
    assert [r.town for r in down] == [other_town, town, assessed]  # nothing published stays last
    # Viewing 2024: 乌审召镇's 2025 round did not exist yet.
    earlier = client.get(reverse("county:towns"), {"year": "2024", "sort": "assessment"}).context["rows"]
    assert earlier[0].town == other_town and earlier[1].assessment is None and earlier[2].assessment is None
    detail = client.get(reverse("county:town", args=[town.pk]), {"year": "2025"}).content.decode()
    assert "2025 年度 · 均分 73.5" in detail


def test_assessment_column_in_the_xlsx(client: Any, town: Any, users: Any, assessed: Any) -> None:
    from openpyxl import load_workbook

    client.force_login(users["county_viewer"])
    response = client.get(reverse("county:towns_xlsx"), {"year": "2025", "sort": "assessment"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[2]]
    at = header.index("考核年度")
    assert header[at:] == [
        "考核年度",
        "考核均分",
        "考核优秀",
        "考核良好",
        "考核合格",
        "考核不合格",
        "一票否决单位",
    ]
    rows = {r[0]: r[at:] for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["乌审召镇"] == (2025, 73.5, 1, 0, 0, 1, 1)
    assert rows["图克镇"] == (2024, 81.0, 0, 1, 0, 0, 0)
    assert rows["河南乡"][0] == "未发布"


def test_a_leader_does_not_see_the_towns_assessment(
    client: Any, town: Any, users: Any, assessed: Any
) -> None:
    from yigang.overview.county import HIDDEN

    client.force_login(users["leader"])
    response = client.get(reverse("county:towns"), {"year": "2025"})
    assert [r.town for r in response.context["rows"]] == [town]
    assert response.context["rows"][0].assessment == HIDDEN  # their own rows only, as on the assessment page
    assert "73.5" not in response.content.decode()
