"""The post × month heatmap: each cell shows the worst status among the rows that land in that month.

A row lands in the month its period ends, or in the current month while its period runs; so a monthly duty
fills every month, a yearly one shows in the current month while it runs and in December once judged.

Not by colour alone (WCAG 2.1 AA, issue 27 point 11): each cell carries its status's symbol, the legend names
both, and the page gives the same cells as a table (`heatmap_table`). The palette is chosen for 1.4.11 non-text
contrast: every colour reaches 3:1 against the white border between cells (and the white page an empty cell
shows), and each status against the next in severity; the symbol is written in a colour reaching 4.5:1 on its cell
(tests/duties/test_heatmap_palette.py works the ratios out).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .compliance import Status, TownYear

# Colour per status, worst first (same order as Status.SEVERITY): dark and light by turns, so that neighbours in
# the scale reach 3:1 against each other while all of them reach 3:1 against the white border.
COLOURS = {
    Status.MISSED: "#750000",
    Status.VACANT: "#ad78c4",
    Status.AT_RISK: "#4f3200",
    Status.ON_TRACK: "#3a98c2",
    Status.MET: "#0a4520",
    Status.NOT_APPLICABLE: "#8a8a8a",
}
BORDER = "#ffffff"  # between cells, and the page an empty cell shows
DARK_TEXT, LIGHT_TEXT = "#111111", "#ffffff"
# The symbol on each cell and in the legend: the status without its colour.
SYMBOLS = {
    Status.MISSED: "✗",
    Status.VACANT: "空",
    Status.AT_RISK: "!",
    Status.ON_TRACK: "○",
    Status.MET: "✓",
    Status.NOT_APPLICABLE: "—",
}


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def symbol_colour(colour: str) -> str:
    """The colour the symbol is written in on a cell of `colour`: whichever of near-black and white reads better."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda text: contrast(text, colour))


def heatmap_data(result: TownYear) -> dict[str, Any]:
    """What the ECharts heatmap draws: posts (y), months (x), cells [x, y, status index] and their details."""
    cells: dict[tuple[int, int], list[Any]] = defaultdict(list)
    posts: dict[int, str] = {}
    for row in result.rows:
        posts.setdefault(row.post_id, f"{row.post}" if row.unit in row.post else f"{row.unit} {row.post}")
        cells[(row.post_id, result.heatmap_month(row))].append(row)
    order = sorted(posts, key=lambda pk: posts[pk])
    index = {pk: i for i, pk in enumerate(order)}
    data = []
    details: dict[str, list[str]] = {}
    for (post_id, month), rows in cells.items():
        worst = min(rows, key=lambda r: Status.SEVERITY.index(r.status)).status
        data.append([month - 1, index[post_id], Status.SEVERITY.index(worst)])
        details[f"{month - 1},{index[post_id]}"] = [
            f"{r.period_label} {r.kind_label}（{r.place}）{r.person or '空缺'}：{r.done}/{r.required} {r.status_label}"
            for r in sorted(rows, key=lambda r: Status.SEVERITY.index(r.status))
        ]
    return {
        "year": result.year,
        "months": [f"{m}月" for m in range(1, 13)],
        "posts": [posts[pk] for pk in order],
        "cells": data,
        "details": details,
        "border": BORDER,
        "statuses": [
            {
                "label": str(Status.LABELS[s]),
                "color": COLOURS[s],
                "symbol": SYMBOLS[s],
                "text": symbol_colour(COLOURS[s]),
            }
            for s in Status.SEVERITY
        ],
    }


def heatmap_table(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The heatmap's text alternative, from the same data the chart draws: per post, its twelve months — each the
    cell's status (label and symbol) or None where the post has nothing that month."""
    grid: list[list[Any]] = [[None] * len(data["months"]) for _post in data["posts"]]
    for month, post, status in data["cells"]:
        grid[post][month] = data["statuses"][status]
    return [{"post": post, "months": grid[i]} for i, post in enumerate(data["posts"])]
