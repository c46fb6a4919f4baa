"""The JSON API: scoped like the pages, documented by OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_operation(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["leader"])  # the schema needs a login (docs/security.md)
    schema = client.get("/api/openapi.json").json()
    assert {"/api/regulations", "/api/regulations/{regulation_id}", "/api/register/sectors"} <= set(
        schema["paths"]
    )


@pytest.mark.parametrize(
    "url", ["/api/regulations", "/api/register/sectors", "/api/register/towns/wushenzhao/lint"]
)
def test_anonymous_calls_are_refused(url: str, client: Any, regulation: Any) -> None:
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或登录已失效：请先通过 /login/ 登录。"}


def test_a_reader_gets_the_regulation_with_articles_and_duties(
    users: dict[str, Any], regulation: Any, login: Any
) -> None:
    client = login(users["village_staff"])
    listing = client.get("/api/regulations").json()
    assert [r["id"] for r in listing] == [regulation.pk]
    detail = client.get(f"/api/regulations/{regulation.pk}").json()
    assert len(detail["articles"]) == 13
    assert len(detail["duties"]) == 12
    assert detail["duties"][0]["post"] == "party_secretary"


@pytest.mark.parametrize("role", ["other_officer", "nobody", "sysadmin"])
def test_outsiders_see_nothing(role: str, users: dict[str, Any], regulation: Any, login: Any) -> None:
    client = login(users[role])
    assert client.get("/api/regulations").json() == []
    assert client.get(f"/api/regulations/{regulation.pk}").status_code == 404
    assert client.get("/api/register/sectors").json() == []
    assert client.get("/api/register/towns/wushenzhao/lint").status_code == 404


def test_the_county_viewer_sees_every_town_of_the_county(
    users: dict[str, Any], regulation: Any, login: Any, far_town: Any
) -> None:
    client = login(users["county_viewer"])
    assert client.get("/api/register/towns/tuke/lint").status_code == 200
    assert client.get("/api/register/towns/far/lint").status_code == 404
    lint = client.get("/api/register/towns/wushenzhao/lint").json()
    assert "道路交通" in {o["sector"] for o in lint["overlaps"]}
