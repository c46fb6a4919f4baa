"""Register pages: the sectors table and the register's gaps (yigang/org/urls.py)."""

from __future__ import annotations

from . import Expect, object_write, town_read, town_write

PAGES = {
    "org:sectors": Expect(town_read()),
    "org:sector_add": Expect(town_write(), method="POST", data=lambda w: {"name": "新增行业领域"}),
    "org:sectors_sync": Expect(town_write(), method="POST"),
    "org:supervision_add": Expect(
        town_write(),
        method="POST",
        data=lambda w: {"sector": w.sector.pk, "unit": w.village.pk, "scope": "测试"},
        note="another town's officer posts ids of this town: the form refuses them, nothing is written",
    ),
    "org:supervision_remove": Expect(
        object_write(), method="POST", kwargs=lambda w: {"pk": w.supervision.pk}
    ),
    "org:lint": Expect(town_read()),
}
