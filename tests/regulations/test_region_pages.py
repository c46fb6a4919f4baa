"""A level's own regulation on the web (issue 25.5): the county imports, reviews, marks its model and corrects its
post table; the towns below see what they lack; the town pages never list the county's regulation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yigang.audit.models import AuditEntry
from yigang.regulations import actions
from yigang.regulations.models import PostMapping, Regulation, Status
from yigang.towns.models import Membership, Region, RegionLevel, Role

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
COUNTY = (FIXTURES / "county_model.txt").read_bytes()
TOWN = (FIXTURES / "town_against_model.txt").read_bytes()


@pytest.fixture
def county(db: Any) -> Region:
    league = Region.objects.create(code="ordos", name="鄂尔多斯市", level=RegionLevel.PREFECTURE)
    return Region.objects.create(code="wushen", name="乌审旗", level=RegionLevel.COUNTY, parent=league)


def _import(client: Any, county: Region) -> Regulation:
    upload = SimpleUploadedFile("county.txt", COUNTY, content_type="text/plain")
    response = client.post(reverse("regulations:region_import", args=[county.code]), {"file": upload})
    regulation = Regulation.objects.get(region=county)
    assert response.status_code == 302
    assert response["Location"] == reverse("regulations:region_version", args=[county.code, regulation.pk])
    return regulation


def test_the_county_viewer_imports_marks_and_activates_and_the_towns_see_the_list(
    county: Region, users: dict[str, Any], regulation: Regulation, other_town: Any, login: Any
) -> None:
    client = login(users["county_viewer"])
    own = _import(client, county)
    mayor_meeting = own.duties.get(article__number=4, item__number=1)
    mark = reverse("regulations:region_mark", args=[county.code, own.pk, mayor_meeting.pk])
    assert client.post(mark, {"is_model": "on"}).status_code == 302
    mayor_meeting.refresh_from_db()
    assert mayor_meeting.is_model
    activate = reverse("regulations:region_activate", args=[county.code, own.pk])
    assert client.post(activate, {"effective_from": "2023-03-01"}).status_code == 302
    own.refresh_from_db()
    assert own.status == Status.ACTIVE
    assert AuditEntry.objects.filter(event="regulation.model.mark", object_id=str(mayor_meeting.pk)).exists()
    assert AuditEntry.objects.filter(event="regulation.activate", object_id=str(own.pk)).exists()

    # 图克镇 sets the mayor's meeting 每季度, the model 每月: on the county's page and on 图克镇's own.
    tuke = actions.import_regulation(town=other_town, data=TOWN, filename="tuke.txt", actor=None)
    actions.activate_regulation(regulation=tuke, actor=None)
    page = client.get(reverse("regulations:region", args=[county.code])).content.decode()
    assert "图克镇" in page and "乌审召镇" in page and "频次偏低" in page and "每月至少1次" in page
    officer = login(users["other_officer"])
    listing = officer.get(reverse("regulations:list")).content.decode()
    assert "上级示范条款对照" in listing and "频次偏低" in listing
    assert (
        own.title not in listing.split("上级示范条款对照")[0]
    )  # the versions table lists the town's own only


def test_the_town_pages_never_list_the_countys_regulation(
    county: Region, users: dict[str, Any], regulation: Regulation, login: Any
) -> None:
    own = actions.import_regulation(region=county, data=COUNTY, filename="county.txt", actor=None)
    for role in ["officer", "leader", "county_viewer"]:
        client = login(users[role])
        assert own.title not in client.get(reverse("regulations:list")).content.decode()
        assert client.get(reverse("regulations:detail", args=[own.pk])).status_code == 404
        assert (
            client.get(reverse("regulations:diff"), {"old": regulation.pk, "new": own.pk}).status_code == 404
        )


def test_body_staff_see_no_model_list(
    county: Region, users: dict[str, Any], regulation: Regulation, login: Any
) -> None:
    own = actions.import_regulation(region=county, data=COUNTY, filename="county.txt", actor=None)
    actions.activate_regulation(regulation=own, actor=None)
    own.duties.filter(article__number=4).update(is_model=True)
    assert "上级示范条款对照" in login(users["leader"]).get(reverse("regulations:list")).content.decode()
    assert (
        "上级示范条款对照" not in login(users["body_staff"]).get(reverse("regulations:list")).content.decode()
    )


def test_a_region_viewer_above_reaches_the_county_and_no_one_else_does(
    county: Region, users: dict[str, Any], make_user: Any, login: Any
) -> None:
    league_viewer = make_user("league", None)
    Membership.objects.create(user=league_viewer, role=Role.COUNTY_VIEWER, region=county.parent)
    url = reverse("regulations:region", args=[county.code])
    assert login(league_viewer).get(url).status_code == 200
    assert login(league_viewer).get(reverse("regulations:region", args=["ordos"])).status_code == 200
    assert login(users["county_viewer"]).get(reverse("regulations:region", args=["ordos"])).status_code == 404
    for role in ["officer", "leader", "sysadmin", "other_officer", "nobody"]:
        assert login(users[role]).get(url).status_code == 404, role
    assert "乌审旗" in login(league_viewer).get(reverse("regulations:regions")).content.decode()


def test_the_post_table_is_corrected_on_the_page(county: Region, users: dict[str, Any], login: Any) -> None:
    client = login(users["county_viewer"])
    url = reverse("regulations:region_mapping", args=[county.code])
    data = {
        "post": "region_head",
        "region_head-region_post": "region_head",
        "region_head-town_post": "other_deputy",
    }
    assert client.post(url, data).status_code == 302
    assert PostMapping.objects.get(region=county, region_post="region_head").town_post == "other_deputy"
    page = client.get(reverse("regulations:region", args=[county.code])).content.decode()
    assert 'value="other_deputy" selected' in page


def test_a_bad_file_saves_nothing_and_says_why(county: Region, users: dict[str, Any], login: Any) -> None:
    client = login(users["county_viewer"])
    upload = SimpleUploadedFile("prose.txt", "这是一段与制度无关的文字。".encode(), content_type="text/plain")
    response = client.post(reverse("regulations:region_import", args=[county.code]), {"file": upload})
    assert response.status_code == 200 and not Regulation.objects.filter(region=county).exists()
    assert AuditEntry.objects.filter(event="regulation.import", success=False).exists()


def test_the_reviewer_adds_and_removes_a_duty_on_the_countys_draft(
    county: Region, users: dict[str, Any], login: Any
) -> None:
    client = login(users["county_viewer"])
    own = _import(client, county)
    add = reverse("regulations:region_duty_add", args=[county.code, own.pk])
    data = {
        "new-article": "6",
        "new-post": "region_department_head",
        "new-kind": "training",
        "new-min_count": "1",
        "new-period": "half_year",
        "new-text": "每半年至少组织1次本行业领域安全培训",
    }
    assert client.post(add, data).status_code == 302
    added = own.duties.get(text="每半年至少组织1次本行业领域安全培训")
    assert (added.article.number, added.post, added.period) == (6, "region_department_head", "half_year")
    bad = client.post(add, {**data, "new-article": "99"}, follow=True).content.decode()
    assert "本版制度没有第 99 条" in bad
    remove = reverse("regulations:region_duty_remove", args=[county.code, own.pk, added.pk])
    assert client.post(remove).status_code == 302
    assert not own.duties.filter(pk=added.pk).exists()
    assert AuditEntry.objects.filter(event="regulation.duty.remove", object_id=str(added.pk)).exists()
