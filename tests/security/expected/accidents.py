"""Accident pages (yigang/accidents/urls.py) and API operations (yigang/api/accidents.py).

Accidents belong to the part of the town their current report names (unit, sector, village): the officer,
leaders and county viewers read them all; body staff those of the sectors their body supervises, village staff
those of their village (the World's accident is both; its hidden one neither, so lists and figures are narrowed).
Only the 安委办 officer records an accident, changes its report (a new version), extends the investigation,
registers the investigation report, closes it (结案, with the password) checks an arrival (核实) and records a
瞒报/谎报/漏报 finding: other readers get an audited 403. An
on-site task's arrival is confirmed by its holder (the leader, who holds the safety deputy's post) or the officer.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD

from . import (
    NARROW,
    Expect,
    api_object_read,
    api_read,
    object_read,
    object_write,
    outcomes,
    town_read,
    town_write,
)


def _accident(w: Any) -> dict[str, int]:
    return {"pk": w.accident.pk}


def _report(w: Any) -> dict[str, Any]:
    return {
        "occurred_at": "2025-08-01T10:00",
        "learned_at": "2025-08-01T10:05",
        "reported_at": "2025-08-01T10:45",
        "unit_name": "某运输户",
        "sector": w.sector.pk,
        "kind": "road_traffic",
        "village": w.village.pk,
        "address": "嘎查村道",
        "course": "车辆侧翻。",
        "deaths": "0",
        "serious_injuries": "1",
        "missing": "0",
        "direct_loss": "30,000",
        "measures": "",
        "reporter": "安委办",
    }


def _change(w: Any) -> dict[str, Any]:
    data = _report(w)
    data.update(
        {
            "occurred_at": "2025-07-09T08:40",
            "learned_at": "2025-07-09T08:45",
            "reported_at": "2025-07-09T09:20",
            "unit_name": "乌审召加油站",
            "kind": "other",
            "address": "乌审召嘎查加油站",
            "course": "卸油时发生闪燃。",
            "deaths": "2",
            "serious_injuries": "0",
            "reason": "伤者抢救无效死亡",
        }
    )
    return data


def _api_report(w: Any) -> dict[str, Any]:
    return {
        "town": w.town.code,
        "occurred_at": "2025-08-01T10:00:00+08:00",
        "learned_at": "2025-08-01T10:05:00+08:00",
        "sector": w.sector.name,
        "kind": "other",
        "address": "嘎查村道",
        "course": "车辆侧翻。",
        "reporter": "安委办",
        "unit_name": "某运输户",
        "village": w.village.name,
        "serious_injuries": 1,
        "direct_loss": "30,000",
    }


def _api_change(w: Any) -> dict[str, Any]:
    return {
        "occurred_at": "2025-07-09T08:40:00+08:00",
        "learned_at": "2025-07-09T08:45:00+08:00",
        "reported_at": "2025-07-09T09:20:00+08:00",
        "sector": w.sector.name,
        "kind": "other",
        "address": "乌审召嘎查加油站",
        "course": "卸油时发生闪燃。",
        "reporter": "安委办",
        "unit_name": "乌审召加油站",
        "village": w.village.name,
        "deaths": 2,
        "reason": "伤者抢救无效死亡",
    }


def _arrived(w: Any) -> dict[str, Any]:
    """The leader confirmed arrival (inside the check's rolled-back transaction): the officer may check it."""
    import datetime

    from yigang.accidents.actions import confirm_arrival

    w.task.refresh_from_db()
    if w.task.arrived_at is None:  # the fuzz test builds the same request more than once
        arrived = w.accident.latest.occurred_at + datetime.timedelta(minutes=40)
        confirm_arrival(task=w.task, arrived_at=arrived, actor=w.users["leader"])
    return {}


def _registered(w: Any, **data: Any) -> dict[str, Any]:
    """The investigation report registered by the system (so the officer is not its registrar and may close)."""
    import datetime

    from yigang.accidents.actions import submit_investigation
    from yigang.accidents.models import InvestigationReport

    if not InvestigationReport.objects.filter(
        accident=w.accident
    ).exists():  # built more than once by the fuzz test
        submit_investigation(accident=w.accident, submitted_on=datetime.date(2025, 9, 1), actor=None)
    return {"closed_on": "2025-09-10", "secret": PASSWORD, **data}


# The leader holds the task's post: they may confirm arrival like the officer; the other readers may not.
_arrival = object_write(leader=302)
_outside_api = {"sysadmin": 404, "other_sysadmin": 404, "other_officer": 404, "nobody": 404, "anonymous": 401}

PAGES = {
    "accidents:list": Expect(town_read(), data=lambda w: {"year": 2025}, narrowed=NARROW),
    "accidents:new": Expect(
        town_write(other_officer=200),
        method="POST",
        data=_report,
        note="another town's sectors are not choices",
    ),
    "accidents:figures": Expect(town_read(), data=lambda w: {"year": 2025}, narrowed=NARROW),
    "accidents:figures_xlsx": Expect(town_read(), data=lambda w: {"year": 2025}, narrowed=NARROW),
    "accidents:detail": Expect(object_read(), kwargs=_accident),
    "accidents:docx": Expect(object_read(), kwargs=_accident),
    "accidents:attachment": Expect(
        object_read(auditor=200),
        kwargs=lambda w: {"pk": w.accident_attachment.pk},
        note="the audit administrator checks evidence files against their SHA-256 (issue 26.3)",
    ),
    "accidents:change": Expect(object_write(), method="POST", kwargs=_accident, data=_change),
    "accidents:extend": Expect(
        object_write(), method="POST", kwargs=_accident, data=lambda w: {"days": 30, "reason": "技术鉴定"}
    ),
    "accidents:investigation": Expect(
        object_write(), method="POST", kwargs=_accident, data=lambda w: {"submitted_on": "2025-09-01"}
    ),
    "accidents:finding": Expect(
        object_write(),
        method="POST",
        kwargs=_accident,
        data=lambda w: {"kind": "false", "reason": "伤亡人数故意少报"},
    ),
    "accidents:verify": Expect(
        object_write(),
        method="POST",
        kwargs=lambda w: {"pk": w.task.pk},
        data=_arrived,
        note="the 安委办 checks the leader's confirmed arrival (never its own confirmation)",
    ),
    "accidents:close": Expect(
        object_write(),
        method="POST",
        kwargs=_accident,
        data=lambda w: _registered(w, confirm="1"),
        note="结案 with the officer's password, the report registered by someone else",
    ),
    "accidents:arrive": Expect(
        _arrival,
        method="POST",
        kwargs=lambda w: {"pk": w.task.pk},
        data=lambda w: {"arrived_at": "2025-07-09T09:30"},
    ),
}

OPERATIONS = {
    "yigang_api_accidents_grade": Expect(
        api_read(), data=lambda w: {"deaths": 3, "serious_injuries": 0, "direct_loss": "12,000"}
    ),
    "yigang_api_accidents_list_accidents": Expect(api_read(), data=lambda w: {"year": 2025}, narrowed=NARROW),
    "yigang_api_accidents_get_accident": Expect(
        api_object_read(), kwargs=lambda w: {"accident_id": w.accident.pk}
    ),
    "yigang_api_accidents_report_accident": Expect(
        outcomes(
            officer=201,
            leader=403,
            body_staff=403,
            village_staff=403,
            county_viewer=403,
            auditor=404,
            **_outside_api,
        ),
        method="POST",
        data=_api_report,
    ),
    "yigang_api_accidents_change_report": Expect(
        outcomes(
            officer=201,
            leader=403,
            body_staff=403,
            village_staff=403,
            county_viewer=403,
            auditor=404,
            **_outside_api,
        ),
        method="POST",
        kwargs=lambda w: {"accident_id": w.accident.pk},
        data=_api_change,
    ),
    "yigang_api_accidents_verify_arrival": Expect(
        outcomes(
            officer=200,
            leader=403,
            body_staff=403,
            village_staff=403,
            county_viewer=403,
            auditor=404,
            **_outside_api,
        ),
        method="POST",
        kwargs=lambda w: {"task_id": w.task.pk},
        data=_arrived,
    ),
    "yigang_api_accidents_submit_investigation": Expect(
        outcomes(
            officer=201,
            leader=403,
            body_staff=403,
            village_staff=403,
            county_viewer=403,
            auditor=404,
            **_outside_api,
        ),
        method="POST",
        kwargs=lambda w: {"accident_id": w.accident.pk},
        data=lambda w: {"submitted_on": "2025-09-01"},
    ),
    "yigang_api_accidents_close_investigation": Expect(
        outcomes(
            officer=201,
            leader=403,
            body_staff=403,
            village_staff=403,
            county_viewer=403,
            auditor=404,
            **_outside_api,
        ),
        method="POST",
        kwargs=lambda w: {"accident_id": w.accident.pk},
        data=_registered,
    ),
    "yigang_api_accidents_confirm_arrival": Expect(
        outcomes(
            officer=200,
            leader=200,
            body_staff=403,
            village_staff=403,
            county_viewer=403,
            auditor=404,
            **_outside_api,
        ),
        method="POST",
        kwargs=lambda w: {"task_id": w.task.pk},
        data=lambda w: {"arrived_at": "2025-07-09T09:30:00+08:00"},
    ),
}
