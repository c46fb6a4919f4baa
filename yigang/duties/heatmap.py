"""The post × month heatmap: each cell shows the worst status among the rows that land in that month.

A row lands in the month its period ends, or in the current month while its period runs; so a monthly duty
fills every month, a yearly one shows in the current month while it runs and in December once judged.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .compliance import Status, TownYear

# Colour per status, worst first (same order as Status.SEVERITY).
COLOURS = {
    Status.MISSED: "#d9534f",
    Status.VACANT: "#8e44ad",
    Status.AT_RISK: "#f0ad4e",
    Status.ON_TRACK: "#5bc0de",
    Status.MET: "#5cb85c",
    Status.NOT_APPLICABLE: "#e0e0e0",
}


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
        "statuses": [{"label": str(Status.LABELS[s]), "color": COLOURS[s]} for s in Status.SEVERITY],
    }
