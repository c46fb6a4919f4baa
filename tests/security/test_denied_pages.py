"""无权查看 (issue 27 point 7): a page a user may not see says so with a way back, never a bare 404.

An object outside the user's scope answers exactly like one that does not exist — 404, "无权查看或不存在" — so a
guessed id tells nothing; a route the user's role may not open at all is a 403 "无权查看" (and audited); both
offer 返回上一页 (only to a page of this site) and 返回首页. docs/security.md, "Refusals".
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from yigang.audit.models import AuditEntry
from yigang.hazards.models import Hazard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production(settings: Any) -> None:
    settings.DEBUG = False  # the error handlers answer only outside DEBUG, as in production


def test_a_village_secretary_opening_another_villages_hazard(world: Any) -> None:
    outside = Hazard.objects.filter(town=world.town).exclude(pk=world.hazard.pk).get()
    client = world.client("village_staff")
    own = reverse("hazards:detail", args=[world.hazard.pk])
    assert client.get(own).status_code == 200
    response = client.get(
        reverse("hazards:detail", args=[outside.pk]), HTTP_REFERER=f"http://testserver{own}"
    )
    page = response.content.decode()
    assert response.status_code == 404
    assert "无权查看或不存在" in page and "site-header" in page
    assert f'href="http://testserver{own}"' in page and "返回上一页" in page
    assert f'href="{reverse("home")}"' in page and "返回首页" in page
    assert outside.description not in page
    # The same answer as for an id that does not exist: nothing tells the two apart.
    missing = client.get(
        reverse("hazards:detail", args=[outside.pk + 1000]), HTTP_REFERER=f"http://testserver{own}"
    )
    assert missing.status_code == 404
    assert _note(missing.content.decode()) == _note(page)


def _note(page: str) -> str:
    return page[page.index('<article class="error-page"') : page.index("</article>")]


def test_the_way_back_never_leads_off_the_site(world: Any) -> None:
    client = world.client("village_staff")
    for referer in ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)"]:
        page = client.get("/hazards/999999/", HTTP_REFERER=referer).content.decode()
        assert "返回上一页" not in page and "evil" not in page and "javascript:" not in page
        assert "返回首页" in page


def test_a_department_opening_the_account_management(world: Any) -> None:
    client = world.client("body_staff")
    before = AuditEntry.objects.filter(event="auth.permission_denied").count()
    response = client.get(reverse("accounts:list"), HTTP_REFERER="http://testserver/hazards/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权查看" in page and "无权查看或不存在" not in page and "无权操作" not in page
    assert 'href="http://testserver/hazards/"' in page and "返回首页" in page
    assert AuditEntry.objects.filter(event="auth.permission_denied").count() == before + 1


def test_a_county_user_opening_a_town_write_page(world: Any) -> None:
    response = world.client("county_viewer").get(reverse("hazards:new"))
    page = response.content.decode()
    assert response.status_code == 403 and "无权查看" in page and "返回首页" in page


def test_a_refused_write_says_无权操作(world: Any) -> None:
    response = world.client("county_viewer").post(reverse("signoff:distribute"))
    page = response.content.decode()
    assert response.status_code == 403 and "无权操作" in page and "返回首页" in page


def test_an_htmx_request_gets_the_note_alone(world: Any) -> None:
    response = world.client("village_staff").get("/hazards/999999/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 404
    assert "无权查看或不存在" in page and "返回首页" in page and "site-header" not in page


def test_the_api_keeps_its_json(world: Any) -> None:
    response = world.client("officer").get("/api/no-such-operation")
    assert response.status_code == 404 and response.json()["detail"]
