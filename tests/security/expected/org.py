"""Register pages (yigang/org/urls.py): sectors and lint, the chain, units, people, tenures, portfolios, bulk.

The register is town-wide reference data: every reading role of the town reads all of it; only the town's
安委办 officer changes it (`require_role`, audited 403 for the other readers). Another town's officer works on
their own town: a form naming this town's ids is refused by its choices and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from . import Expect, object_read, object_write, town_read, town_write
from ._files import xlsx


def _unit(w: Any) -> dict[str, int]:
    return {"pk": w.body.pk}


def _person(w: Any) -> dict[str, int]:
    return {"pk": w.person.pk}


def _people_sheet(w: Any) -> dict[str, Any]:
    """One new tenure: a holder for the village's vacant secretary post."""
    header = ["单位", "单位类别", "岗位", "制度岗位", "姓名", "电话", "任职日期", "离任日期", "任免依据"]
    row = [
        w.village.name,
        "嘎查村（社区）",
        w.village_post.title,
        "嘎查村（社区）党支部书记",
        "其木格",
        "",
        "2024-01-01",
    ]
    return {"file": xlsx("people.xlsx", header, row, sheet="人员任职")}


def _rename_village(w: Any) -> dict[str, Any]:
    return {
        "kind": "rename",
        "effective": timezone.localdate().isoformat(),
        "sources": [w.village.pk],
        "results": "乌审召社区",
        "document": "乌政发〔2025〕1号",
        "confirm": "1",
    }


PAGES = {
    "org:sectors": Expect(town_read()),
    "org:sector_add": Expect(town_write(), method="POST", data=lambda w: {"name": "新增行业领域"}),
    "org:sectors_sync": Expect(town_write(), method="POST"),
    "org:sector_words": Expect(
        object_write(),
        method="POST",
        kwargs=lambda w: {"pk": w.sector.pk},
        data=lambda w: {"synonyms": "别称"},
    ),
    "org:supervision_add": Expect(
        town_write(),
        method="POST",
        data=lambda w: {"sector": w.sector.pk, "unit": w.body.pk, "scope": "测试"},
        note="another town's officer posts ids of this town: the form refuses them, nothing is written",
    ),
    "org:supervision_end": Expect(
        object_write(),
        method="POST",
        kwargs=lambda w: {"pk": w.supervision.pk},
        data=lambda w: {"end": timezone.localdate().isoformat(), "confirm": "on"},
        note="ends the supervision on a date after a ticked confirmation; nothing is deleted",
    ),
    "org:lint": Expect(town_read()),
    "org:chain": Expect(town_read(), data=lambda w: {"sector": w.sector.pk}),
    "org:units": Expect(town_read()),
    "org:unit_add": Expect(
        town_write(), method="POST", data=lambda w: {"name": "应急管理站", "kind": "body"}
    ),
    "org:unit": Expect(object_read(), kwargs=_unit),
    "org:post_add": Expect(
        object_write(), method="POST", kwargs=_unit, data=lambda w: {"title": "安全员", "kind": ""}
    ),
    "org:reorganise": Expect(
        town_write(other_officer=200),
        method="POST",
        data=_rename_village,
        note="applied at once (confirm=1); another town's officer gets the form back: the unit is not theirs",
    ),
    "org:people": Expect(town_read()),
    "org:person_add": Expect(town_write(), method="POST", data=lambda w: {"name": "张伟", "phone": ""}),
    "org:person": Expect(object_read(), kwargs=_person),
    "org:person_duty_list_docx": Expect(object_read(), kwargs=_person, note="an audited export"),
    "org:person_duty_list_xlsx": Expect(object_read(), kwargs=_person, note="an audited export"),
    "org:appoint": Expect(
        town_write(),
        method="POST",
        data=lambda w: {"post": w.village_post.pk, "person": w.person.pk, "start": "2024-01-01"},
        note="another town's officer: this town's post and person are not among the choices; nothing written",
    ),
    "org:tenure_end": Expect(
        object_write(),
        method="POST",
        kwargs=lambda w: {"pk": w.tenure.pk},
        data=lambda w: {"end": "2025-06-30"},
    ),
    "org:portfolios": Expect(town_read()),
    "org:portfolio_assign": Expect(
        town_write(),
        method="POST",
        data=lambda w: {"post": w.leader_post.pk, "sector": w.sector.pk, "start": "2024-01-01"},
    ),
    "org:portfolio_end": Expect(
        object_write(),
        method="POST",
        kwargs=lambda w: {"pk": w.portfolio.pk},
        data=lambda w: {"end": "2025-06-30"},
    ),
    "org:bulk": Expect(
        town_write(),
        method="POST",
        data=_people_sheet,
        note="another town's officer imports the sheet into their own town",
    ),
    "org:bulk_template": Expect(town_read(), note="the blank template: no data beyond the town's name"),
    "org:bulk_export": Expect(town_write(200), note="an audited export of the people: the officer's"),
}
