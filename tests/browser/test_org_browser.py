"""The chain page in a real browser: pick a sector, a place and a day; the table swaps in (htmx) with links."""

from __future__ import annotations

from typing import Any

import pytest

from tests.org.conftest import register  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_a_leader_looks_up_the_chain_and_opens_a_person(page: Any, live_server: Any, register: Any) -> None:  # noqa: F811
    base = live_server.url
    _login(page, base, "leader")
    page.goto(f"{base}/register/chain/")
    page.select_option("select[name=sector]", label="烟花爆竹")
    page.select_option("select[name=place]", label="巴音敖包嘎查")
    page.fill("input[name=at]", "2024-03-31")
    page.click("main form button[type=submit]")
    page.locator("#chain-result table.chain").wait_for()
    rows = page.locator("#chain-result table.chain tbody tr")
    assert rows.count() == 8
    assert "张建华" in rows.nth(4).inner_text()
    assert "at=2024-03-31" in page.url  # htmx pushed the query, so the answer can be bookmarked or shared
    page.click("#chain-result >> text=巴特尔")
    page.wait_for_url("**/register/people/*/")
    assert "巴音敖包嘎查党支部书记" in page.locator("main").inner_text()


def test_a_village_secretary_reads_the_chain_on_a_phone(phone: Any, live_server: Any, register: Any) -> None:  # noqa: F811
    base = live_server.url
    _login(phone, base, "village")
    phone.goto(f"{base}/register/chain/")
    phone.select_option("select[name=sector]", label="道路交通")
    phone.click("main form button[type=submit]")
    phone.locator("#chain-result table.chain").wait_for()
    assert "多头监管" in phone.locator("#chain-result").inner_text()
