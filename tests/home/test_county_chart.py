"""The county in a picture (issue 27 point 9): the chart's figures are the table's rows — one computation, the same
order — its sort links sort both, each town links to its page; only those who read the county page get it; and
the header names the county for a county viewer (point 7)."""

from __future__ import annotations

import datetime
import json
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.hazards.conftest import media, report  # noqa: F401 (fixtures)
from tests.org.conftest import Register, register  # noqa: F401 (fixture)
from yigang.overview.county import chart_sorts

pytestmark = pytest.mark.django_db


def _chart(page: str) -> dict[str, Any]:
    found = re.search(r'<script id="county-figures" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the chart's data is on the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def _table(page: str) -> list[dict[str, Any]]:
    """The county table's rows as the page prints them: town, link, 履职完成率, 检查计划覆盖率, 未销号隐患, 逾期隐患."""
    body = page[page.index('<table id="county-table"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        link = re.search(r'<a href="([^"]+)">([^<]+)</a>', cells[0])
        assert link
        rate = cells[1].strip()
        rows.append(
            {
                "name": unescape(link.group(2)),
                "url": unescape(link.group(1)),
                "rate": None if rate == "—" else int(rate.rstrip("%")),
                "coverage": unescape(re.sub(r"<[^>]+>", "", cells[2])).strip(),
                "open": int(cells[4]),
                "overdue": int(cells[5]),
            }
        )
    return rows


@pytest.fixture
def county(
    register: Register,  # noqa: F811 (the fixture imported above)
    report: Any,  # noqa: F811
    other_town: Any,
    make_town: Any,
) -> Register:
    far = timezone.localdate() + datetime.timedelta(days=60)
    report(description="过期灭火器")  # deadline 2025-03-20: overdue
    report(description="配电箱未上锁")  # overdue too
    report(description="消防通道堵塞", deadline=far)  # open, not overdue
    make_town(code="third", name="河南乡", county="乌审旗")
    return register


@pytest.mark.parametrize("sort", ["name", "-name", "rate", "-rate", "overdue", "-overdue", "behind"])
def test_the_chart_is_the_table(sort: str, county: Register, users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["county_viewer"])
    page = client.get(reverse("county:towns"), {"year": "2025", "sort": sort}).content.decode()
    chart = _chart(page)
    assert chart["towns"] == _table(page)  # every figure the chart draws is the table's, in its order
    # Worked by hand: the register's town has three open hazards, two past their deadline; the others none.
    by_name = {t["name"]: t for t in chart["towns"]}
    assert (by_name["乌审召镇"]["open"], by_name["乌审召镇"]["overdue"]) == (3, 2)
    assert (by_name["图克镇"]["open"], by_name["图克镇"]["overdue"]) == (0, 0)
    assert by_name["河南乡"]["rate"] is None  # nothing judged: no rate, drawn as 无可判定周期, never 0 %
    town = county.town
    assert by_name["乌审召镇"]["url"] == reverse("county:town", args=[town.pk]) + "?year=2025"
    if sort == "-overdue":
        assert chart["towns"][0]["name"] == "乌审召镇"
    if sort == "-name":
        assert [t["name"] for t in chart["towns"]] == sorted(by_name, reverse=True)


def test_the_sort_links_turn_round_the_order_in_force() -> None:
    def hrefs(sort: str) -> dict[str, tuple[str, bool]]:
        return {s["key"]: (s["href"], s["current"]) for s in chart_sorts(sort, 2025)}

    # From the table's default (by name): completion starts lowest first, overdue most first, name turns round.
    assert hrefs("name") == {
        "rate": ("?year=2025&sort=rate#county-chart", False),
        "overdue": ("?year=2025&sort=-overdue#county-chart", False),
        "name": ("?year=2025&sort=-name#county-chart", True),
    }
    assert hrefs("-overdue")["overdue"] == ("?year=2025&sort=overdue#county-chart", True)
    assert hrefs("overdue")["overdue"] == ("?year=2025&sort=-overdue#county-chart", True)
    assert hrefs("rate")["rate"] == ("?year=2025&sort=-rate#county-chart", True)
    assert not any(current for _href, current in hrefs("behind").values())  # a table-only order: none pressed


def test_the_page_links_chart_and_table(county: Register, users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["county_viewer"])
    page = client.get(reverse("county:towns"), {"year": "2025"}).content.decode()
    holder = re.search(r'<div id="chart-county"[^>]*>', page)
    assert holder and 'role="img"' in holder.group() and 'aria-label="' in holder.group()
    assert 'aria-describedby="county-chart-caption"' in holder.group()
    assert 'id="county-chart-caption"' in page and "数据同下表" in page
    assert "<caption>各乡镇对比</caption>" in page
    assert "static/css/county.css" in page and "static/js/county.js" in page
    assert "<script>" not in page.replace("<script src=", "")  # the CSP: no inline script


READERS = ["officer", "leader", "county_viewer"]
NOT_READERS = ["body_staff", "village_staff", "sysadmin", "auditor", "nobody"]


@pytest.mark.parametrize("role", READERS)
def test_the_chart_is_for_those_who_read_the_county_page(role: str, county: Register, users: Any) -> None:
    client = Client()
    client.force_login(users[role])
    response = client.get(reverse("county:towns"), {"year": "2025"})
    assert response.status_code == 200
    names = {t["name"] for t in _chart(response.content.decode())["towns"]}
    # An officer or leader compares only their own town; the county viewer every town of the county.
    assert names == ({"乌审召镇", "图克镇", "河南乡"} if role == "county_viewer" else {"乌审召镇"})
    assert client.get(reverse("county:towns_xlsx"), {"year": "2025"}).status_code == 200


@pytest.mark.parametrize("role", NOT_READERS)
def test_others_get_no_chart(role: str, county: Register, users: Any) -> None:
    client = Client()
    client.force_login(users[role])
    response = client.get(reverse("county:towns"), {"year": "2025"})
    assert response.status_code == 404
    assert b"county-figures" not in response.content
    assert client.get(reverse("county:towns_xlsx"), {"year": "2025"}).status_code == 404


def test_anonymous_is_sent_to_log_in(county: Register) -> None:
    response = Client().get(reverse("county:towns"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def _header(page: str) -> str:
    found = re.search(r'<li class="town-name">(.*?)</li>', page, re.S)
    return unescape(found.group(1)) if found else ""


def test_the_header_names_the_county_for_a_county_viewer(town: Any, users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["county_viewer"])
    assert _header(client.get(reverse("county:towns")).content.decode()) == "乌审旗 · 县级查看"
    detail = client.get(reverse("county:town", args=[town.pk])).content.decode()
    assert _header(detail) == "乌审旗 · 县级查看"
    # A town's own page: the county, and which of its towns is read.
    current = client.get(reverse("duties:overview")).context["current_town"]
    assert (
        _header(client.get(reverse("duties:overview")).content.decode())
        == f"乌审旗 · 县级查看 · {current.name}"
    )


@pytest.mark.parametrize("role", ["officer", "leader", "body_staff"])
def test_a_towns_own_people_see_their_town(role: str, town: Any, users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[role])
    assert _header(client.get(reverse("duties:notify:list")).content.decode()) == "乌审召镇"


def test_a_county_viewer_who_also_works_in_a_town_sees_the_town(town: Any, users: dict[str, Any]) -> None:
    from yigang.towns.models import Membership, Role

    Membership.objects.create(user=users["officer"], role=Role.COUNTY_VIEWER, county="乌审旗")
    client = Client()
    client.force_login(users["officer"])
    client.post(reverse("switch_town"), {"town": town.pk, "next": "/"})
    assert _header(client.get(reverse("duties:notify:list")).content.decode()) == "乌审召镇"
