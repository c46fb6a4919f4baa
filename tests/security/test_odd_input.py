"""Odd input is a 400 or a 404 with a message, never a 500 (issue 9.9): a 20-digit id in a query or form field
(`post`, `posts`, `sources`), `town=abc` or `next=abc` on the town switch, multipart without a boundary or with
too many fields (also under DEBUG, where the API's framework used to answer 500 itself).

Every page route of the authorisation world is called as the officer with each odd shape in each of its fields
and in the usual query parameters; the API's operations get the same in tests/security/test_api_fuzz.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from .expected import PAGES

pytestmark = pytest.mark.django_db

HUGE = "9" * 20  # beyond a 64-bit integer
SHAPES = [HUGE, "abc", "-1", "１２", "//evil.example/"]
# Parameters the pages read from the query string or the form, whatever the route declares.
QUERY = [
    "post",
    "posts",
    "sources",
    "results",
    "town",
    "next",
    "year",
    "page",
    "kind",
    "status",
    "old",
    "new",
    "at",
    "sector",
    "unit",
    "person",
    "all",
    "event",
    "since",
    "until",
    "outcome",
]


def _call(client: Any, method: str, url: str, data: dict[str, Any]) -> Any:
    with transaction.atomic():
        response = client.post(url, data) if method == "POST" else client.get(url, data)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_page_fails_on_odd_input(name: str, world: Any) -> None:
    expect = PAGES[name]
    url = reverse(name, kwargs=expect.kwargs(world) or None)
    base = {k: v for k, v in expect.data(world).items() if not hasattr(v, "read")}  # files apart
    failures = []
    client = world.client("officer")  # the one who reaches every form
    for shape in SHAPES:
        tries = [
            {**base, **dict.fromkeys(QUERY, shape)},  # every usual parameter at once
            *({**base, field: shape} for field in base),  # each declared field alone
        ]
        if shape == HUGE:  # a list of ids with one too large for the database
            tries += [{**base, field: [shape, "1"]} for field in base]
        for data in tries:
            response = _call(client, expect.method, url, data)
            if response.status_code >= 500:
                failures.append(f"{expect.method} {url} {data}: {response.status_code}")
    assert not failures, "\n".join(failures[:10])


def test_the_town_switch_answers_odd_towns_and_targets(world: Any) -> None:
    client = world.client("officer")
    assert client.post(reverse("switch_town"), {"town": "abc"}).status_code == 404
    assert client.post(reverse("switch_town"), {"town": HUGE}).status_code == 404
    for target in ("abc", "//evil.example/", "https://evil.example/", "javascript:alert(1)"):
        response = client.post(reverse("switch_town"), {"town": world.town.pk, "next": target})
        assert response.status_code == 302 and response["Location"] == "/", target
    good = client.post(reverse("switch_town"), {"town": world.town.pk, "next": "/duties/"})
    assert good["Location"] == "/duties/"


def _text(response: Any) -> str:
    if response["Content-Type"].startswith("application/json"):
        return str(response.json()["detail"])
    return response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/duties/records/new/", "/api/duties/records"])
def test_a_body_the_parser_refuses_is_a_400_with_a_message(
    world: Any, settings: Any, debug: bool, path: str
) -> None:
    settings.DEBUG = debug
    client = world.client("officer")
    no_boundary = client.generic("POST", path, b"--x\r\n\r\n", content_type="multipart/form-data")
    assert no_boundary.status_code == 400
    assert "无法读取提交的内容" in _text(no_boundary)
    many = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    too_many = client.generic("POST", path, many, content_type="application/x-www-form-urlencoded")
    assert too_many.status_code == 400
    assert "无法读取提交的内容" in _text(too_many)


@pytest.mark.parametrize("debug", [False, True])
def test_a_huge_id_is_a_clear_answer_on_pages_and_in_the_api(world: Any, settings: Any, debug: bool) -> None:
    settings.DEBUG = debug
    client = world.client("officer")
    assert client.get(reverse("duties:records"), {"post": HUGE}).status_code == 200  # no such post: nothing
    api = client.get("/api/duties/compliance", {"town": world.town.code, "year": 2025, "post": HUGE})
    assert api.status_code == 404 and api.json()["detail"]
    record = {
        "town": world.town.code,
        "kind": "inspection",
        "occurred_at": "2025-05-06T10:00:00+08:00",
        "title": "汛前安全检查",
        "place": "党群服务中心",
        "summary": "检查消防通道。",
        "posts": [HUGE],
    }
    created = client.post("/api/duties/records", record)
    assert created.status_code in (400, 404) and created.json()["detail"]
    form = client.post(
        reverse("duties:record_new"),
        {
            "kind": "meeting",
            "date": "2025-03-20",
            "title": "例会",
            "place": "会议室",
            "posts": [HUGE],
            "summary": "x",
        },
    )
    assert form.status_code in (200, 400, 404)
    sources = client.post(
        reverse("org:reorganise"),
        {"kind": "rename", "effective": "2025-01-01", "sources": [HUGE], "results": "新名"},
    )
    assert sources.status_code in (200, 400, 404)
