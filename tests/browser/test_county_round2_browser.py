"""The county in a picture, on a 390-px phone (issue 27, points 9, 7, 11 and 10), in the demo county 乌审旗.

The county supervisor (`county`) logs in: the header names the county, not one of its towns; the chart beside the
table draws (a canvas with ink on it), in the table's order; its sort buttons change that order as the table's
figures say; tapping a town's bars opens that town's page. On the duty heatmap the scroll box takes keyboard focus
and scrolls from the keyboard, and its table alternative opens and holds the same cells as the chart.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.guard import Guard, load_demo, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Yigang@2022"

CHART_ORDER = (
    "() => echarts.getInstanceByDom(document.getElementById('chart-county')).getOption().yAxis[0].data"
)
# Pixels the chart has drawn: a blank canvas has none that are not transparent.
INKED = """() => {
  const canvas = document.querySelector('#chart-county canvas');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { inked++; } }
  return [canvas.width, canvas.height, inked];
}"""
# Where the first town's completion bar (or, with no completion drawn, its overdue bar) sits on the page.
FIRST_BAR = """() => {
  const holder = document.getElementById('chart-county');
  const chart = echarts.getInstanceByDom(holder);
  const box = holder.getBoundingClientRect();
  for (const index of [0, 1]) {
    const bar = chart.getModel().getSeriesByIndex(index).getData().getItemLayout(0);
    if (bar && Math.abs(bar.width) >= 4) {
      return [box.left + bar.x + bar.width / 2, box.top + bar.y + bar.height / 2];
    }
  }
  return null;
}"""


@pytest.fixture
def touch_phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _table(page: Any) -> list[tuple[str, str]]:
    """The county table's rows as (town, 逾期隐患), in the order shown."""
    rows = page.locator("#county-table tbody tr")
    return [
        (rows.nth(i).locator("td").nth(0).inner_text().strip(), rows.nth(i).locator("td").nth(4).inner_text())
        for i in range(rows.count())
    ]


def test_the_county_on_a_phone(touch_phone: Any, live_server: Any) -> None:
    load_demo()
    page, base = touch_phone, live_server.url
    guard = Guard(page, "county-round2")
    login(page, base, "county", PASSWORD)
    assert page.url == f"{base}/county/"

    # The header names the county, not one of its towns.
    assert page.locator("header .town-name").inner_text().strip() == "乌审旗 · 县级查看"

    # The chart draws: a canvas the width of the phone's column, with something on it.
    page.wait_for_selector("#chart-county[data-ready='1'] canvas")
    width, height, inked = page.evaluate(INKED)
    assert width > 0 and height > 0 and inked > 1000, (width, height, inked)
    assert page.locator("#chart-county").bounding_box()["width"] <= 390
    # It is described: its caption says where the same figures are as text.
    assert page.locator("#chart-county").get_attribute("aria-describedby") == "county-chart-caption"
    guard.check("1-county")
    # It follows the screen: narrower, the canvas is redrawn narrower, and back.
    wide = page.evaluate("document.querySelector('#chart-county canvas').clientWidth")
    page.set_viewport_size({"width": 320, "height": 844})
    page.wait_for_timeout(300)
    narrow = page.evaluate("document.querySelector('#chart-county canvas').clientWidth")
    assert narrow < wide and narrow <= 320, (wide, narrow)
    scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    page.set_viewport_size({"width": 390, "height": 844})

    # By name (the first order), then by name turned round: the chart follows the table.
    table = _table(page)
    names = [name for name, _overdue in table]
    assert len(names) == 2 and names == sorted(names)
    assert page.evaluate(CHART_ORDER) == names
    page.click(".chart-sorts a:has-text('按名称')")
    page.wait_for_selector("#chart-county[data-ready='1'] canvas")
    assert page.evaluate(CHART_ORDER) == names[::-1]
    assert [name for name, _overdue in _table(page)] == names[::-1]

    # By overdue hazards, most first: the order the table's own figures give.
    page.click(".chart-sorts a:has-text('按逾期隐患')")
    page.wait_for_selector("#chart-county[data-ready='1'] canvas")
    assert "sort=-overdue" in page.url
    by_overdue = sorted(table, key=lambda row: (-int(row[1]), row[0]))
    assert page.evaluate(CHART_ORDER) == [name for name, _overdue in by_overdue]
    assert page.locator(".chart-sorts a[aria-current]").inner_text().startswith("按逾期隐患")
    guard.check("2-by-overdue")

    # Tapping the first town's bar opens that town's page.
    first = page.evaluate(CHART_ORDER)[0]
    spot = page.evaluate(FIRST_BAR)
    assert spot is not None, "no bar wide enough to tap"
    page.touchscreen.tap(spot[0], spot[1])
    page.wait_for_url("**/county/*/?year=*")
    assert first in page.locator("main h2").inner_text()
    assert page.locator("header .town-name").inner_text().strip() == "乌审旗 · 县级查看"
    guard.check("3-town")

    # The duty heatmap of a town: the county header names the town read as well.
    page.goto(f"{base}/duties/heatmap/")
    page.wait_for_selector("#heatmap[data-ready='1'] canvas")
    town = page.locator("main h2").inner_text().split()[0]
    assert page.locator("header .town-name").inner_text().strip() == f"乌审旗 · 县级查看 · {town}"
    # Its scroll box takes keyboard focus and scrolls from the keyboard.
    box = page.locator(".heatmap-wrap")
    assert box.get_attribute("role") == "region" and box.get_attribute("aria-label")
    page.focus("main .year-pick button")  # the last control before it, then Tab: the box is in the tab order
    for _ in range(6):
        if page.evaluate("document.activeElement.classList.contains('heatmap-wrap')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('heatmap-wrap')")
    assert page.evaluate("document.querySelector('.heatmap-wrap').scrollLeft") == 0
    for _ in range(5):  # a key scrolls the box (smoothly: give it a moment)
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(100)
    assert page.evaluate("document.querySelector('.heatmap-wrap').scrollLeft") > 0
    # The table alternative: folded, it opens and holds every cell the chart draws, each in words.
    table = page.locator("#heatmap-table")
    assert not table.is_visible()
    page.click("#heatmap-table-details summary")
    assert table.is_visible()
    cells = page.evaluate("JSON.parse(document.getElementById('heatmap-data').textContent)")
    written = table.locator("tbody td:not(:empty)")
    assert written.count() == len(cells["cells"]) > 0
    labels = {s["label"] for s in cells["statuses"]}
    assert all(any(label in text for label in labels) for text in written.all_inner_texts())
    posts = table.locator("tbody th").all_inner_texts()
    assert [p.strip() for p in posts] == cells["posts"]
    guard.check("4-heatmap-table")
