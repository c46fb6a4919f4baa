"""Leaders' homes on a phone (issue 27 points 1 and 10): the mayor's and a 分管 deputy's home at 390 px show their
range's figures; each tap lands on a page whose count agrees; nothing scrolls sideways; every link of the
figures is at least 44 px tall."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.guard import Guard, load_demo, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Yigang@2022"
TAPS = "p.hazard-counts a, .home-leading li a, .home-leading p a, .home-office p a"


@pytest.fixture
def demo(db: Any) -> None:
    load_demo()


def _number(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    assert match, pattern
    return int(match.group(1))


def _taps_are_tall(phone: Any, where: str) -> None:
    links = phone.locator(TAPS)
    assert links.count() > 0, where
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box is not None and box["height"] >= 44, f"{where}: {links.nth(i).inner_text()!r} {box}"


def _back_home(phone: Any, base: str) -> None:
    phone.goto(f"{base}/")
    phone.wait_for_load_state("load")


def _hazard_taps_agree(phone: Any, base: str) -> None:
    """Each hazard count (open, overdue, escalated to me) lands on a list of that many."""
    counts = phone.locator("p.hazard-counts a")
    for i in range(counts.count()):
        link = counts.nth(i)
        shown = _number(r"(\d+) 条", link.inner_text())
        link.click()
        phone.wait_for_load_state("load")
        assert _number(r"共 (\d+) 条", phone.inner_text("main")) == shown
        _back_home(phone, base)


def _person_taps_agree(phone: Any, base: str) -> None:
    """The first person behind lands on their duty year with the same 未完成 and 有风险; the first person owing a
    sign-off on their page with that many waiting."""
    behind = phone.locator(".leading-behind li").first
    if behind.count():
        text = behind.inner_text()
        missed, at_risk = _number(r"未完成 (\d+) 项", text), _number(r"有风险 (\d+) 项", text)
        behind.locator("a").click()
        phone.wait_for_load_state("load")
        summary = phone.inner_text("div.summary")
        assert (re.search(r"未完成 (\d+)", summary) or [0, "0"])[1] == str(missed)
        assert (re.search(r"有风险 (\d+)", summary) or [0, "0"])[1] == str(at_risk)
        _back_home(phone, base)
    owing = phone.locator(".leading-signoff li").first
    if owing.count():
        n = _number(r"(\d+) 份未确认", owing.inner_text())
        owing.locator("a").click()
        phone.wait_for_load_state("load")
        waiting = phone.locator("h3:has-text('待签收确认') + ul > li")
        assert waiting.count() == n
        _back_home(phone, base)


def _accident_taps_agree(phone: Any, base: str) -> None:
    """Each accident with running clocks lands on its page, which shows those clocks running."""
    items = phone.locator(".leading-accidents li")
    for i in range(items.count()):
        item = items.nth(i)
        shown = item.locator("small").count()
        item.locator("a").click()
        phone.wait_for_load_state("load")
        running = phone.locator("li.clock-open").count()
        for j in range(phone.locator("li.clock-overdue").count()):
            if "已截止" not in phone.locator("li.clock-overdue").nth(j).inner_text():
                running += 1
        assert running == shown
        _back_home(phone, base)


def test_the_mayors_and_a_deputys_home_on_a_phone(phone: Any, live_server: Any, demo: None) -> None:
    base = live_server.url
    for username, journey, header in (
        ("zhenzhang", "home-mayor", "我负责的范围：全镇"),
        ("13904770121", "home-deputy", "分管范围"),
    ):
        phone.context.clear_cookies()
        guard = Guard(phone, journey)
        login(phone, base, username, PASSWORD)
        _back_home(phone, base)
        main = phone.inner_text("main")
        assert header in main and "事故时限仍在计时" in main and "履职落后" in main and "年度考核" in main
        assert ("年全镇情况" in main) is (username == "zhenzhang")
        guard.check("home")
        _taps_are_tall(phone, journey)
        _hazard_taps_agree(phone, base)
        _person_taps_agree(phone, base)
        _accident_taps_agree(phone, base)
        # The assessment's figure lands on the year's results with as many unit rows.
        card = phone.locator(".leading-assessment")
        figure = int(card.locator("strong.figure").first.inner_text())
        card.locator("p a").first.click()
        phone.wait_for_load_state("load")
        rows = phone.locator("h3:text-is('单位') + div table tbody tr a")
        assert rows.count() == figure
        guard.check("assessment")
