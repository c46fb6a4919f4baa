"""Assessment pages (yigang/assessment/urls.py) and API operations (yigang/api/assessment.py).

The 安委办 officer and the county viewer read every result; everyone else only their own rows (a body's or
village's staff their unit's, a leader their own person's), so lists are narrowed and another unit's workings
are a 404. Only the officer adjusts a score or publishes a round (other readers: an audited 403). The
accountability file of an accident or a hazard is readable by whoever reads the accident or hazard; its
per-person entries are narrowed the same way.
"""

from __future__ import annotations

from typing import Any

from . import NARROW, Expect, api_object_read, object_read, object_write, town_read, town_write

_year = {"year": 2025}


def _body_key(w: Any) -> dict[str, Any]:
    return {"year": 2025, "key": f"unit:{w.body.pk}"}


def _adjustment(w: Any) -> dict[str, int]:
    """An adjustment of the body's row with its file (made here: the World has no round of its own)."""
    import io

    from tests.security.conftest import PNG as png
    from yigang.assessment import actions

    rnd = actions.open_round(town=w.town, year=2025, actor=w.users["officer"])
    adj = actions.add_adjustment(
        rnd=rnd,
        subject=f"unit:{w.body.pk}",
        points="1",
        reason="表彰",
        upload=io.BytesIO(png),
        filename="表彰.png",
        actor=w.users["officer"],
    )
    return {"pk": adj.pk}


def _marking(w: Any) -> dict[str, int]:
    """A 不适用 marking of the body's hazard item (made here, in a round opened for it)."""
    from yigang.assessment import actions

    rnd = actions.open_round(town=w.town, year=2025, actor=w.users["officer"])
    na = actions.mark_not_applicable(
        rnd=rnd,
        subject=f"unit:{w.body.pk}",
        item="hazards_on_time",
        reason="本单位无监管行业",
        actor=w.users["officer"],
    )
    return {"pk": na.pk}


PAGES = {
    "assessment:index": Expect(town_read(), data=lambda w: _year, narrowed=NARROW),
    "assessment:subject": Expect(
        town_read(village_staff=404, other_officer=404),
        data=_body_key,
        note="the body's row: its staff, the officer, the county and the leader in charge of it (分管, issue 27) "
        "read it; others see only their own rows",
    ),
    "assessment:adjust": Expect(
        town_write(),
        method="POST",
        data=lambda w: {**_body_key(w), "points": "1", "reason": "无佐证"},
        note="no file: refused with a message, nothing saved",
    ),
    "assessment:scheme": Expect(town_read(), data=lambda w: _year),
    "assessment:adjustment_file": Expect(
        object_read(village_staff=404),
        kwargs=_adjustment,
        note="the body's adjustment: its staff, the officer, the county and the leader in charge of the body see "
        "the file; others 404",
    ),
    "assessment:open": Expect(town_write(), method="POST", data=lambda w: _year),
    "assessment:publish": Expect(town_write(), method="POST", data=lambda w: _year),
    "assessment:not_applicable": Expect(
        town_write(),
        method="POST",
        data=lambda w: {**_body_key(w), "item": "hazards_on_time", "reason": ""},
        note="no reason (and no round opened): refused with a message, nothing saved",
    ),
    "assessment:not_applicable_withdraw": Expect(
        object_write(),
        method="POST",
        kwargs=_marking,
        data=lambda w: {"reason": ""},
        note="no reason: refused with a message, the marking stays",
    ),
    "assessment:tie": Expect(
        town_write(),
        method="POST",
        data=lambda w: {"year": 2025, "group": "units", "reason": ""},
        note="no reason: refused with a message, nothing saved",
    ),
    "assessment:notice_docx": Expect(town_read(), data=lambda w: _year),
    "assessment:notice_xlsx": Expect(town_read(), data=lambda w: _year),
    "assessment:accident_file": Expect(object_read(), kwargs=lambda w: {"pk": w.accident.pk}),
    "assessment:accident_file_docx": Expect(object_read(), kwargs=lambda w: {"pk": w.accident.pk}),
    "assessment:hazard_file": Expect(object_read(), kwargs=lambda w: {"pk": w.hazard.pk}),
    "assessment:hazard_file_docx": Expect(object_read(), kwargs=lambda w: {"pk": w.hazard.pk}),
    "assessment:accident_file_pdf": Expect(object_read(), kwargs=lambda w: {"pk": w.accident.pk}),
    "assessment:hazard_file_pdf": Expect(object_read(), kwargs=lambda w: {"pk": w.hazard.pk}),
    # The accountability file's writes (issue 21): only the officer of the accident's town.
    "assessment:file_admit": Expect(
        object_write(),
        method="POST",
        kwargs=lambda w: {"kind": "accident", "pk": w.accident.pk},
        data=lambda w: {"record": "1", "reason": ""},
        note="no reason: refused with a message, nothing saved",
    ),
    "assessment:file_finding": Expect(
        object_write(),
        method="POST",
        kwargs=lambda w: {"kind": "accident", "pk": w.accident.pk},
        data=lambda w: {"subject": "0:0", "verdict": "exempt", "reasons": "", "secret": ""},
        note="no reasons, no password: refused with a message, nothing saved",
    ),
    "assessment:file_issue": Expect(
        object_write(), method="POST", kwargs=lambda w: {"kind": "hazard", "pk": w.hazard.pk}
    ),
}

OPERATIONS = {
    "yigang_api_assessment_get_results": Expect(
        api_object_read(), kwargs=lambda w: {"town": w.town.code, "year": 2025}, narrowed=NARROW
    ),
    "yigang_api_assessment_accident_file": Expect(
        api_object_read(), kwargs=lambda w: {"town": w.town.code, "accident_id": w.accident.pk}
    ),
    "yigang_api_assessment_hazard_file": Expect(
        api_object_read(), kwargs=lambda w: {"town": w.town.code, "hazard_id": w.hazard.pk}
    ),
}
