"""The heatmap, not by colour alone (issue 27 point 11; WCAG 2.1 1.1.1, 1.4.1, 1.4.11, 2.1.1).

The palette's contrast ratios are worked out here from WCAG's own definition (relative luminance of the sRGB
channels), written again rather than imported, so a wrong formula in heatmap.py cannot agree with itself:
neighbours in the severity scale and every colour against the border between cells reach 3:1, and each cell's
symbol reaches 4.5:1 on it. The page gives the same cells as a table and its scroll box takes keyboard focus.
"""

from __future__ import annotations

import itertools
import re
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from yigang.duties.compliance import Status
from yigang.duties.heatmap import (
    BORDER,
    COLOURS,
    SYMBOLS,
    contrast,
    heatmap_data,
    heatmap_table,
    symbol_colour,
)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _ratio(a: str, b: str) -> float:
    def lum(hex_colour: str) -> float:
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_ratio_formula_against_known_values() -> None:
    # WCAG's extremes and two well-known pairs: black on white 21:1, a colour on itself 1:1, #767676 on white
    # 4.54:1 (the lightest grey passing AA for text), #949494 on white 3.03:1.
    assert _ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert _ratio("#777777", "#777777") == pytest.approx(1.0)
    assert _ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert _ratio("#949494", "#ffffff") == pytest.approx(3.03, abs=0.01)
    for a, b in [("#000000", "#ffffff"), ("#750000", "#ad78c4"), ("#0a4520", "#8a8a8a")]:
        assert contrast(a, b) == pytest.approx(_ratio(a, b))


def test_neighbouring_levels_reach_three_to_one() -> None:
    colours = [COLOURS[s] for s in Status.SEVERITY]
    assert len(set(colours)) == len(colours)
    for worse, better in itertools.pairwise(colours):
        assert _ratio(worse, better) >= 3.0, (worse, better, round(_ratio(worse, better), 2))


def test_every_level_reaches_three_to_one_against_the_border_and_the_page() -> None:
    assert BORDER == "#ffffff"  # the cells' border, and the white page an empty cell shows
    for status in Status.SEVERITY:
        assert _ratio(COLOURS[status], BORDER) >= 3.0, (status, round(_ratio(COLOURS[status], BORDER), 2))


def test_each_symbol_reads_on_its_cell_and_no_two_statuses_share_one() -> None:
    assert len(set(SYMBOLS.values())) == len(Status.SEVERITY)
    for status in Status.SEVERITY:
        text = symbol_colour(COLOURS[status])
        assert _ratio(text, COLOURS[status]) >= 4.5, (status, text, round(_ratio(text, COLOURS[status]), 2))


def test_the_data_carries_symbols_text_colours_and_the_border() -> None:
    class Nothing:
        year, rows = 2025, []

    data = heatmap_data(Nothing())  # type: ignore[arg-type]
    assert data["border"] == BORDER
    assert [s["symbol"] for s in data["statuses"]] == [SYMBOLS[s] for s in Status.SEVERITY]
    assert [s["text"] for s in data["statuses"]] == [symbol_colour(COLOURS[s]) for s in Status.SEVERITY]


def test_the_table_holds_the_same_cells_as_the_chart() -> None:
    statuses = [{"label": str(Status.LABELS[s]), "symbol": SYMBOLS[s]} for s in Status.SEVERITY]
    data = {
        "months": [f"{m}月" for m in range(1, 13)],
        "posts": ["镇长", "应急站 负责人"],
        # [month index, post index, status index]: 镇长 missed in March, met in December; 应急站 vacant in June.
        "cells": [[2, 0, 0], [11, 0, 4], [5, 1, 1]],
        "statuses": statuses,
    }
    rows = heatmap_table(data)
    assert [r["post"] for r in rows] == ["镇长", "应急站 负责人"]
    assert [(m, s["label"]) for m, s in enumerate(rows[0]["months"]) if s] == [(2, "未完成"), (11, "已完成")]
    assert [(m, s["label"]) for m, s in enumerate(rows[1]["months"]) if s] == [(5, "岗位空缺")]
    assert sum(s is not None for r in rows for s in r["months"]) == 3


@pytest.mark.django_db
def test_the_page_gives_a_table_and_a_focusable_scroll_box(users: Any, world: Any, login: Any) -> None:
    client = login(users["officer"])
    response = client.get(reverse("duties:heatmap"), {"year": "2025"})
    page = response.content.decode()
    data = response.context["data"]
    assert data["cells"], "the world fixture has duties to draw"
    wrap = re.search(r'<div class="heatmap-wrap"[^>]*>', page)
    assert wrap and 'tabindex="0"' in wrap.group() and 'role="region"' in wrap.group()
    assert 'aria-label="' in wrap.group()
    assert 'aria-describedby="heatmap-note"' in page and 'id="heatmap-note"' in page
    table = page[page.index('<table id="heatmap-table">') : page.index("</table>")]
    body = table[table.index("<tbody>") :]
    cells = [unescape(c) for c in re.findall(r"<td>([^<]*)</td>", body)]
    written = [c for c in cells if c]
    assert len(written) == len(data["cells"])  # one written cell per drawn cell
    labels = {f"{s['symbol']} {s['label']}" for s in data["statuses"]}
    assert set(written) <= labels
    # Cell by cell: the table's (post, month) → status is the chart's.
    width = len(data["months"])
    drawn = {
        (post, month): f"{data['statuses'][s]['symbol']} {data['statuses'][s]['label']}"
        for month, post, s in data["cells"]
    }
    shown = {(i // width, i % width): c for i, c in enumerate(cells) if c}
    assert shown == drawn
    posts = [unescape(p) for p in re.findall(r'<th scope="row">([^<]*)</th>', body)]
    assert posts == data["posts"]
    assert "2025 年各岗位逐月履职状态" in table
