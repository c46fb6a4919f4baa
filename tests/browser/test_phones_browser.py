"""Phones first (issue 15, point 3): every main list page of the demo town, at 390 px, does not scroll sideways;
tables turn into cards with the key column first; the section menu folds away and opens from its toggle."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.guard import Guard, load_demo, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Yigang@2022"
LISTS = [
    "/regulations/",
    "/regulations/current/",
    "/register/sectors/",
    "/register/chain/",
    "/register/units/",
    "/register/people/",
    "/duties/",
    "/duties/records/",
    "/duties/people/",
    "/duties/heatmap/",
    "/hazards/",
    "/hazards/stats/",
    "/accidents/",
    "/accidents/figures/",
    "/signoff/",
    "/signoff/targets/",
    "/hazards/new/",
    "/duties/records/new/",
]


@pytest.fixture
def demo(db: Any) -> None:
    load_demo()


def test_the_menu_stays_open_on_a_desktop(page: Any, live_server: Any, users: dict[str, Any]) -> None:
    page.goto(f"{live_server.url}/login/")
    login(page, live_server.url, "officer", "Test-pass-123")
    assert not page.is_visible("label.menu-button")
    assert page.is_visible("ul.main-nav a[href='/hazards/']")


def test_every_main_list_fits_a_phone(phone: Any, live_server: Any, demo: None) -> None:
    guard = Guard(phone, "phone-lists")
    login(phone, live_server.url, "anweiban", PASSWORD)
    # The menu is folded: the section links are hidden until the toggle opens them.
    assert not phone.is_visible("ul.main-nav a[href='/hazards/']")
    phone.click("label.menu-button")
    assert phone.is_visible("ul.main-nav a[href='/hazards/']")
    guard.check("menu-open")
    for url in LISTS:
        phone.goto(live_server.url + url)
        scroll, inner = phone.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{url} is {scroll}px wide at {inner}px"
        guard.check(url.strip("/").replace("/", "-"))
    # The duties overview: a card per row, the status first and labelled.
    phone.goto(live_server.url + "/duties/")
    first = phone.locator("#behind.cards tbody tr").first
    assert first.locator("td").first.get_attribute("data-label")
    assert first.evaluate("row => getComputedStyle(row).display") == "flex"
    status = first.locator("td.key")
    assert status.get_attribute("data-label") == "状态"
    assert status.bounding_box()["y"] < first.locator("td").first.bounding_box()["y"]
    # The heatmap scrolls inside its own box; its legend wraps within the screen.
    phone.goto(live_server.url + "/duties/heatmap/")
    phone.wait_for_selector("#heatmap[data-ready='1']")
    box = phone.evaluate(
        "(() => { const b = document.querySelector('.heatmap-wrap'); return [b.scrollWidth, b.clientWidth]; })()"
    )
    assert box[0] > box[1]
    legend = phone.locator("ul.legend").bounding_box()
    assert legend["x"] + legend["width"] <= 390
    guard.check("heatmap")
