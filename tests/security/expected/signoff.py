"""Sign-off pages (yigang/signoff/urls.py) and API (yigang/api/signoff.py).

Sign-off status is town-wide reference data like the register: every reading role of the town reads the
documents, the tracking, a task's text and its confirmation; another town's people get 404. Confirming is the
holder's own act: anyone else who may read the task gets the page back with "只能由本人确认" (200, audited as a
failed `signoff.confirm`), the API a 400. Distributing and editing the target template are the officer's
(403, audited). A scan of the signed paper copy may be attached by the confirmer (the leader) or the officer.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import PASSWORD

from . import (
    LOGIN,
    Expect,
    api_object_read,
    api_read,
    object_read,
    object_write,
    outcomes,
    town_read,
    town_write,
)


def _pk(attr: str) -> Any:
    return lambda w: {"pk": getattr(w.signoff, attr).pk}


def _confirm(w: Any) -> dict[str, Any]:
    return {"secret": PASSWORD, "sha256": w.signoff.waiting.text_sha256}


def _scan(w: Any) -> dict[str, Any]:
    from tests.security.conftest import PNG

    return {"file": SimpleUploadedFile("scan.png", PNG, content_type="image/png")}


def _paper(w: Any) -> dict[str, Any]:
    from django.utils import timezone

    from tests.security.conftest import PNG

    return {
        "signed_on": timezone.localdate().isoformat(),
        "secret": PASSWORD,
        "sha256": w.signoff.waiting.text_sha256,
        "file": SimpleUploadedFile("scan.png", PNG, content_type="image/png"),
    }


_outside = {"sysadmin": 404, "other_sysadmin": 404, "other_officer": 404, "nobody": 404}

PAGES = {
    "signoff:overview": Expect(town_read()),
    "signoff:mine": Expect(town_read()),
    "signoff:county": Expect(
        town_read(), note="every town the user reads; another town's officer sees theirs"
    ),
    "signoff:distribute": Expect(
        town_write(),
        method="POST",
        data=lambda w: {"secret": PASSWORD, "confirm": "1"},
        note="下发 with the officer's own password, after the page showed what follows (GET, the officer's too)",
    ),
    "signoff:nudge_all": Expect(town_write(), method="POST", note="提醒未签收人员 of every document"),
    "signoff:nudge": Expect(object_write(), method="POST", kwargs=_pk("regulation_doc")),
    "signoff:settings": Expect(
        town_write(), method="POST", data=lambda w: {"remind_after_days": "2", "escalate_after_days": "5"}
    ),
    "signoff:document": Expect(object_read(), kwargs=_pk("regulation_doc")),
    "signoff:document_xlsx": Expect(object_read(), kwargs=_pk("regulation_doc")),
    "signoff:task": Expect(object_read(), kwargs=_pk("waiting")),
    "signoff:confirm": Expect(
        object_read(leader=302),
        method="POST",
        kwargs=_pk("waiting"),
        data=_confirm,
        note="only the holder confirms; other readers get the refusal on the page",
    ),
    "signoff:paper": Expect(
        object_write(),
        method="POST",
        kwargs=_pk("waiting"),
        data=_paper,
        note="the officer enters a signature made on paper, with its scan and their own password",
    ),
    "signoff:scan": Expect(
        outcomes(
            officer=302,
            leader=302,
            body_staff=403,
            village_staff=403,
            county_viewer=403,
            anonymous=LOGIN,
            **_outside,
        ),
        method="POST",
        kwargs=_pk("confirmation"),
        data=_scan,
    ),
    "signoff:scan_file": Expect(
        object_read(body_staff=404, village_staff=404, auditor=200),
        kwargs=_pk("scan"),
        note="the leader's own scan: the person, the officer, the auditor and the county; others 404 (issue 26.1)",
    ),
    "signoff:targets": Expect(town_read()),
    "signoff:target_create": Expect(town_write(), method="POST", data=lambda w: {"year": "2030"}),
    "signoff:target_item_add": Expect(
        object_write(),
        method="POST",
        kwargs=_pk("draft"),
        data=lambda w: {"text": "开展应急演练", "indicator": "trainings_held", "target": "2"},
    ),
    "signoff:target_item_remove": Expect(object_write(), method="POST", kwargs=_pk("item")),
    "signoff:target_issue": Expect(
        object_write(),
        method="POST",
        kwargs=_pk("draft"),
        data=lambda w: {"secret": PASSWORD, "confirm": "1"},
        note="issuing binds both sides: the officer's password and a tick",
    ),
    "signoff:letter_docx": Expect(object_read(), kwargs=_pk("letter")),
}

_officer_api = outcomes(
    officer=200,
    leader=403,
    body_staff=403,
    village_staff=403,
    county_viewer=403,
    auditor=404,
    anonymous=401,
    sysadmin=404,
    other_sysadmin=404,
    other_officer=404,
    nobody=404,
)

OPERATIONS = {
    "yigang_api_signoff_distribute_preview": Expect(_officer_api, data=lambda w: {"town": w.town.code}),
    "yigang_api_signoff_distribute": Expect(
        _officer_api, method="POST", data=lambda w: {"town": w.town.code, "secret": PASSWORD}
    ),
    "yigang_api_signoff_nudge": Expect(_officer_api, method="POST", data=lambda w: {"town": w.town.code}),
    "yigang_api_signoff_status": Expect(api_object_read(), data=lambda w: {"town": w.town.code}),
    "yigang_api_signoff_my_tasks": Expect(
        api_read(), note="the caller's own tasks; outsiders get an empty list"
    ),
    "yigang_api_signoff_confirm": Expect(
        outcomes(
            leader=201,
            officer=400,
            body_staff=400,
            village_staff=400,
            county_viewer=400,
            anonymous=401,
            **_outside,
        ),
        method="POST",
        kwargs=lambda w: {"task_id": w.signoff.waiting.pk},
        data=_confirm,
    ),
}
