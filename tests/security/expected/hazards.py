"""Hazard pages (yigang/hazards/urls.py).

Reading follows the hazard's part of the town: the officer and county viewers read all, leaders their
portfolios' (the World's leader is the deputy in charge of safety, who reads all); body staff the
hazards of the sectors their body supervises or that it owns; village staff those of their village. The
standing hazard lies in the body's sector and the village, so both read it; the World's other hazard (another
sector, no village) is outside both parts and the lists and statistics must not mention it.
Reporting: every role that enters its own records (the county viewer reads only: 403). A step (here a decline)
is for the owner body's staff and the officer. A 催办 of the (overdue) standing hazard is for the officer and a
leader who answers for it (the World's leader is the deputy in charge of safety: the whole town).
"""

from __future__ import annotations

from typing import Any

from . import NARROW, NARROW_AND_ENTERPRISE, Expect, object_read, object_write, town_read, town_write


def _hazard(w: Any) -> dict[str, int]:
    return {"pk": w.hazard.pk}


PAGES = {
    "hazards:list": Expect(town_read(enterprise=200), narrowed=NARROW_AND_ENTERPRISE),
    "hazards:new": Expect(town_read(county_viewer=403, enterprise=200), note="the enterprise: 企业自查"),
    "hazards:stats": Expect(town_read(), data=lambda w: {"year": 2025}, narrowed=NARROW),
    "hazards:stats_xlsx": Expect(town_read(), data=lambda w: {"year": 2025}, narrowed=NARROW),
    "hazards:settings": Expect(town_write(), method="POST", data=lambda w: {"escalation_days": "5"}),
    "hazards:detail": Expect(
        object_read(enterprise=200), kwargs=_hazard, note="the hazard is at the enterprise"
    ),
    "hazards:photo": Expect(
        object_read(auditor=200, enterprise=200),
        kwargs=lambda w: {"pk": w.hazard.photos.get().pk},
        note="the audit administrator checks evidence files against their SHA-256 (issue 26.3)",
    ),
    "hazards:step": Expect(
        object_write(body_staff=302),
        method="POST",
        kwargs=_hazard,
        data=lambda w: {"step": "decline", "note": "不属本单位职责"},
        note="the owner body's staff may decline; the leader, the village, the county and the enterprise may not",
    ),
    "hazards:nudge": Expect(
        object_write(leader=302),
        method="POST",
        kwargs=_hazard,
        data=lambda w: {"message": "请尽快整改"},
        note="the officer and a leader who answers for the hazard; the owner's own staff are the ones pressed",
    ),
}
