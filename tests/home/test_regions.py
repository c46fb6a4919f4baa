"""The comparison above the county (overview/regions.py): each region's row is its towns' figures added up — worked
by hand on a small made-up tree — with a drill-down to the level below, a breadcrumb up the levels the viewer may
open, the chart and the .xlsx at every level, and nothing outside the viewer's own region."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.home.test_county import _published
from yigang.overview.county import HIDDEN, TownFigures
from yigang.overview.regions import RegionFigures
from yigang.towns.models import Membership, Region, RegionLevel, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(town: Any, other_town: Any, far_town: Any) -> dict[str, Region]:
    """内蒙古自治区 → 鄂尔多斯市 → 乌审旗 (乌审召镇, 图克镇) and 别的旗 (远方镇); 包头市 has no county yet."""
    made: dict[str, Region] = {}
    for code, name, level, parent in (
        ("nmg", "内蒙古自治区", RegionLevel.PROVINCE, None),
        ("ordos", "鄂尔多斯市", RegionLevel.PREFECTURE, "nmg"),
        ("baotou", "包头市", RegionLevel.PREFECTURE, "nmg"),
        ("wushen", "乌审旗", RegionLevel.COUNTY, "ordos"),
        ("bieqi", "别的旗", RegionLevel.COUNTY, "ordos"),
    ):
        made[code] = Region.objects.create(
            code=code, name=name, level=level, parent=made[parent] if parent else None
        )
    return {"province": made["nmg"], **made}


def _viewer(name: str, region: Region | None = None, county: str = "") -> Client:
    user = get_user_model().objects.create_user(username=name, password="Test-pass-123")
    Membership.objects.create(user=user, role=Role.COUNTY_VIEWER, region=region, county=county)
    client = Client()
    client.force_login(user)
    return client


def _town_row(town: Any, met: int, missed: int, **kw: Any) -> TownFigures:
    values = {"behind": 0, "hazards_open": 0, "hazards_overdue": 0, "accidents": 0, "deaths": 0, "grades": []}
    values.update(kw)
    return TownFigures(town=town, met=met, missed=missed, **values)


def test_a_regions_row_adds_up_its_towns_by_hand(town: Any, other_town: Any, far_town: Any) -> None:
    from yigang.assessment.standing import Standing
    from yigang.places.coverage import Totals

    grades = [("优秀", 1), ("良好", 0), ("合格", 0), ("不合格", 1)]
    a = _town_row(
        town,
        2,
        1,  # 67 %
        behind=4,
        hazards_open=3,
        hazards_overdue=1,
        accidents=1,
        deaths=2,
        grades=[("一般", 1), ("较大", 0)],
        coverage=Totals(judged=4, met=3, inspections=5),  # 75.0 %
        assessment=Standing(
            year=2025, published=True, vetoed_units=1, grades=grades, average=Decimal("73.5")
        ),
    )
    b = _town_row(
        other_town,
        1,
        7,  # 13 %
        behind=1,
        hazards_open=2,
        hazards_overdue=2,
        accidents=3,
        grades=[("一般", 2), ("较大", 1)],
        coverage=None,  # no plan line: left out of the coverage
        assessment=None,  # nothing published
    )
    c = _town_row(
        far_town,
        0,
        0,  # nothing judged
        grades=[("一般", 0), ("较大", 0)],
        coverage=Totals(judged=1, met=0, inspections=0),
        assessment=Standing(
            year=2024,
            published=True,
            grades=[("优秀", 0), ("良好", 1), ("合格", 0), ("不合格", 0)],
            average=Decimal("81.0"),
        ),
    )
    row = RegionFigures("鄂尔多斯市", "/", [a, b, c])
    # Compliance: (2 + 1 + 0) met of (3 + 8 + 0) judged = 3/11 = 27.3 % → 27 — not the towns' mean rate (40).
    assert (row.met, row.missed, row.rate) == (3, 8, 27)
    assert (row.behind, row.hazards_open, row.hazards_overdue) == (5, 5, 3)
    assert (row.accidents, row.deaths, row.grades) == (4, 2, [("一般", 3), ("较大", 1)])
    # Coverage: (3 + 0) covered of (4 + 1) judged, the town without a plan left out: 60.0 %.
    assert (row.coverage.met, row.coverage.judged, row.coverage_rate, row.coverage_text) == (
        3,
        5,
        60.0,
        "60.0%",
    )
    # Assessment: 2 of 3 towns published; the mean of their means (73.5 + 81.0) / 2 = 77.25 → 77.3 (half up).
    s = row.assessment
    assert (s.published, s.towns, s.average, s.vetoed_units) == (2, 3, Decimal("77.3"), 1)
    assert s.grades == [("优秀", 1), ("良好", 1), ("合格", 0), ("不合格", 1)]
    # A town whose results the reader may not see is counted as such, never as unpublished nor in the mean.
    b.assessment = HIDDEN
    assert (row.assessment.hidden, row.assessment.published) == (1, 2)
    # A region with no towns, or none judged: "—", never 0 %; no plan anywhere: 无监管计划.
    empty = RegionFigures("包头市", "/", [])
    assert (empty.rate, empty.coverage_text, empty.assessment.published, empty.grades) == (
        None,
        "无监管计划",
        0,
        [],
    )


def test_each_level_compares_the_level_below_and_drills_down(tree: dict[str, Region], users: Any) -> None:
    client = _viewer("nmg-viewer", tree["province"])
    page = client.get(reverse("county:region", args=["nmg"]), {"year": "2025"})
    assert [(r.name, len(r.towns)) for r in page.context["rows"]] == [("包头市", 0), ("鄂尔多斯市", 3)]
    assert page.context["heading"] == "2025 年内蒙古自治区各盟市安全生产责任落实对比"
    body = page.content.decode()
    assert f'href="{reverse("county:region", args=["ordos"])}?year=2025"' in body
    assert [t["name"] for t in page.context["chart"]["towns"]] == ["包头市", "鄂尔多斯市"]

    ordos = client.get(reverse("county:region", args=["ordos"]), {"year": "2025"})
    assert [(r.name, len(r.towns)) for r in ordos.context["rows"]] == [("乌审旗", 2), ("别的旗", 1)]
    assert [r.name for r in ordos.context["crumbs"]] == ["内蒙古自治区", "鄂尔多斯市"]

    wushen = client.get(reverse("county:region", args=["wushen"]), {"year": "2025"})
    rows = wushen.context["rows"]
    assert sorted(r.town.name for r in rows) == ["乌审召镇", "图克镇"]
    assert f'href="{reverse("county:town", args=[rows[0].town.pk])}?year=2025"' in wushen.content.decode()

    detail = client.get(reverse("county:town", args=[rows[0].town.pk]), {"year": "2025"})
    assert [r.name for r in detail.context["crumbs"]] == ["内蒙古自治区", "鄂尔多斯市", "乌审旗"]
    assert 'class="region-crumbs"' in detail.content.decode()


def test_a_prefecture_viewer_sees_nothing_beside_or_above(tree: dict[str, Region], far_town: Any) -> None:
    client = _viewer("ordos-viewer", tree["ordos"])
    assert client.get(reverse("county:region", args=["ordos"])).status_code == 200
    assert client.get(reverse("county:region", args=["bieqi"])).status_code == 200
    for code in ("nmg", "baotou", "nowhere"):
        assert client.get(reverse("county:region", args=[code])).status_code == 404
        assert client.get(reverse("county:region_xlsx", args=[code])).status_code == 404
    detail = client.get(reverse("county:town", args=[far_town.pk]))
    assert [r.name for r in detail.context["crumbs"]] == ["鄂尔多斯市", "别的旗"]  # not the province


def test_a_county_viewer_by_name_opens_their_county_only(tree: dict[str, Region], users: Any) -> None:
    client = Client()
    client.force_login(users["county_viewer"])  # a county viewer of 乌审旗 by name, as before regions
    page = client.get(reverse("county:region", args=["wushen"]))
    assert page.status_code == 200 and [r.name for r in page.context["crumbs"]] == ["乌审旗"]
    assert client.get(reverse("county:region", args=["ordos"])).status_code == 404
    assert client.get(reverse("county:region", args=["bieqi"])).status_code == 404


@pytest.mark.parametrize("role", ["officer", "leader", "body_staff", "sysadmin", "nobody"])
def test_a_towns_own_people_get_no_region_page(role: str, tree: dict[str, Region], users: Any) -> None:
    client = Client()
    client.force_login(users[role])
    assert client.get(reverse("county:region", args=["wushen"])).status_code == 404
    assert client.get(reverse("county:regions")).status_code == 404


def test_the_rows_are_the_towns_own_pages_summed(tree: dict[str, Region], users: Any, assessed: Any) -> None:
    """The assessment rounds of tests/home/test_county.py: 乌审召镇 2025 (73.5, one vetoed), 图克镇 2024 (81.0),
    河南乡 (乌审旗 too) nothing published — 乌审旗's row: 2 of 3 published, mean (73.5 + 81.0) / 2 → 77.3."""
    client = _viewer("ordos-viewer", tree["ordos"])
    rows = {
        r.name: r
        for r in client.get(reverse("county:region", args=["ordos"]), {"year": "2025"}).context["rows"]
    }
    wushen = rows["乌审旗"].assessment
    assert (wushen.published, wushen.towns, wushen.average, wushen.vetoed_units) == (2, 3, Decimal("77.3"), 1)
    assert wushen.grades == [("优秀", 1), ("良好", 1), ("合格", 0), ("不合格", 1)]
    assert rows["别的旗"].assessment.published == 0
    towns = client.get(reverse("county:region", args=["wushen"]), {"year": "2025"}).context["rows"]
    for attr in ("met", "missed", "behind", "hazards_open", "hazards_overdue", "accidents", "deaths"):
        assert getattr(rows["乌审旗"], attr) == sum(getattr(t, attr) for t in towns)

    page = client.get(reverse("county:region", args=["ordos"]), {"year": "2025"}).content.decode()
    assert "均分 77.3" in page and "已发布 2 / 3 个乡镇" in page and "一票否决 1" in page


@pytest.fixture
def assessed(town: Any, other_town: Any, make_town: Any) -> Any:
    _published(town, 2025, [("92.0", "优秀", False), ("55.0", "不合格", True)])
    _published(other_town, 2024, [("81.0", "良好", False)])
    return make_town(code="third", name="河南乡", county="乌审旗")


def test_the_xlsx_at_a_prefecture(tree: dict[str, Region], users: Any, assessed: Any) -> None:
    from openpyxl import load_workbook

    client = _viewer("ordos-viewer", tree["ordos"])
    response = client.get(reverse("county:region_xlsx", args=["ordos"]), {"year": "2025", "sort": "name"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "2025 年鄂尔多斯市各旗县安全生产责任落实对比"
    header = [c.value for c in sheet[2]]
    assert header[0] == "旗县" and header[-7:-5] == ["已发布考核的乡镇", "考核均分（各乡镇均分的平均）"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"乌审旗", "别的旗"}
    assert list(rows["乌审旗"][-7:]) == ["2/3", 77.3, 1, 1, 0, 1, 1]
    assert rows["别的旗"][-7:-5] == ("0/1", "未发布")
    from yigang.audit.models import AuditEntry

    assert AuditEntry.objects.filter(event="export.county", object_repr="ordos 2025").exists()


def test_the_page_reads_all_towns_in_a_fixed_number_of_queries(
    tree: dict[str, Region], make_town: Any
) -> None:
    from yigang.duties.cache import forget

    client = _viewer("nmg-viewer", tree["province"])

    def count(code: str) -> int:
        forget()  # every town's compliance computed afresh, not read from the process's keep
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("county:region", args=[code]), {"year": "2025"}).status_code == 200
        return len(queries)

    count("nmg")  # the first request of a session reads what later ones keep (the session, the user's towns)
    before = (count("nmg"), count("ordos"))
    for i in range(4):  # four more towns in a new county of 包头市, and one more in 乌审旗
        make_town(code=f"more{i}", name=f"新镇{i}", county="新旗" if i else "乌审旗")
    Region.objects.create(code="xinqi", name="新旗", level=RegionLevel.COUNTY, parent=tree["baotou"])
    after = (count("nmg"), count("ordos"))
    assert after == before, (before, after)
    assert max(after) <= 20


def test_a_region_viewers_home_is_their_regions_comparison(tree: dict[str, Region], users: Any) -> None:
    client = _viewer("ordos-viewer", tree["ordos"])
    assert client.get(reverse("home")).url == reverse("county:region", args=["ordos"])
    county = Client()
    county.force_login(users["county_viewer"])
    assert county.get(reverse("home")).url == reverse("county:towns")  # by name, as before


def test_a_county_with_no_region_row_is_a_county_with_no_prefecture(
    tree: dict[str, Region], make_town: Any, far_town: Any
) -> None:
    lone = make_town(code="lone", name="孤镇", county="无名旗")  # no Region names 无名旗
    user = get_user_model().objects.create_user(username="both", password="Test-pass-123")
    Membership.objects.create(user=user, role=Role.COUNTY_VIEWER, region=tree["ordos"])
    Membership.objects.create(user=user, role=Role.COUNTY_VIEWER, county="无名旗")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("home")).url == reverse("county:regions")
    page = client.get(reverse("county:regions"), {"year": "2025"})
    rows = page.context["rows"]
    assert [(r.name, len(r.towns)) for r in rows] == [("无名旗（未归属盟市）", 1), ("鄂尔多斯市", 3)]
    assert page.context["chart"]["towns"][0]["url"] == f"{rows[0].url}&year=2025"
    assert f'href="{rows[0].url.replace("&", "&amp;")}&amp;year=2025"' in page.content.decode()
    narrowed = client.get(rows[0].url).context["rows"]
    assert [r.town for r in narrowed] == [lone]
    # A province's viewer never sees it: it lies under no region.
    province = _viewer("nmg-viewer", tree["province"])
    towns = [t for r in province.get(reverse("county:region", args=["nmg"])).context["rows"] for t in r.towns]
    assert lone not in [t.town for t in towns] and far_town in [t.town for t in towns]
    assert province.get(reverse("county:regions")).context["rows"][0].name == "内蒙古自治区"


def test_the_region_page_keeps_to_a_phone(tree: dict[str, Region]) -> None:
    """No browser here (tests/browser has the 390 px journeys): the table sits in the scrolling wrapper the phone
    script turns into cards, the breadcrumb wraps, and nothing is given a fixed width."""
    client = _viewer("nmg-viewer", tree["province"])
    body = client.get(reverse("county:region", args=["ordos"])).content.decode()
    assert '<div class="table-wrap"><table id="county-table" class="county-towns">' in body
    assert 'class="region-crumbs"' in body and "width:" not in body.split("<main")[1]


def test_the_demo_puts_wushen_under_ordos_and_its_viewer_there() -> None:
    from io import StringIO

    from django.core.management import call_command

    from yigang.audit.models import AuditEntry

    out = StringIO()
    call_command("demo", stdout=out)
    assert "mengshi" in out.getvalue() and "（鄂尔多斯市）" in out.getvalue()
    entries = AuditEntry.objects.count()
    call_command("demo", "--quiet", stdout=StringIO())
    assert AuditEntry.objects.count() == entries  # re-running adds nothing
    wushen = Region.objects.get(level=RegionLevel.COUNTY, name="乌审旗")
    assert [r.name for r in (wushen.parent, wushen.parent.parent)] == ["鄂尔多斯市", "内蒙古自治区"]

    from yigang.towns.models import Account

    viewer = get_user_model().objects.get(username="mengshi")
    Account.objects.filter(user=viewer).update(must_change_password=False)  # as after the first login
    client = Client()
    client.force_login(viewer)
    home = client.get(reverse("home"))
    assert home.url == reverse("county:region", args=["ordos"])
    rows = client.get(home.url).context["rows"]
    assert [(r.name, len(r.towns)) for r in rows] == [("乌审旗", 2)]  # the demo town and the second one
    assert client.get(reverse("county:region", args=["nmg"])).status_code == 404


def test_the_header_names_where_the_viewer_sits(tree: dict[str, Region], users: Any) -> None:
    from tests.home.test_county_chart import _header

    ordos = _viewer("ordos-viewer", tree["ordos"])
    assert (
        _header(ordos.get(reverse("county:region", args=["wushen"])).content.decode())
        == "鄂尔多斯市 · 盟市查看"
    )
    province = _viewer("nmg-viewer", tree["province"])
    assert _header(province.get(reverse("county:regions")).content.decode()) == "内蒙古自治区 · 省级查看"
    county = Client()
    county.force_login(users["county_viewer"])
    assert (
        _header(county.get(reverse("county:region", args=["wushen"])).content.decode()) == "乌审旗 · 县级查看"
    )


def test_the_chart_and_table_name_the_level_below(tree: dict[str, Region]) -> None:
    client = _viewer("nmg-viewer", tree["province"])
    body = client.get(reverse("county:region", args=["ordos"])).content.decode()
    assert "<caption>各旗县对比</caption>" in body and "图：各旗县履职完成率与逾期隐患" in body
    province = client.get(reverse("county:region", args=["nmg"])).content.decode()
    assert "<caption>各盟市对比</caption>" in province
    county = client.get(reverse("county:region", args=["wushen"])).content.decode()
    assert "<caption>各乡镇对比</caption>" in county and "点按乡镇的柱条或名称查看该乡镇" in county


def test_a_regions_page_leads_to_its_own_regulation_and_the_towns_against_it(
    tree: dict[str, Region], users: Any
) -> None:
    client = _viewer("ordos-regulation-viewer", tree["ordos"])
    body = client.get(reverse("county:region", args=["ordos"]), {"year": "2025"}).content.decode()
    link = reverse("regulations:region", args=["ordos"])
    assert f'href="{link}"' in body
    assert client.get(link).status_code == 200  # the same viewer may open it
    # The page of all of one's levels (no single region) has no such link.
    assert "regulations/regions/" not in client.get(reverse("county:regions")).content.decode()
