"""The audit administrator's pages (yigang/towns/audit_urls.py): only an auditor reaches them; for everyone else
they do not exist (404)."""

from __future__ import annotations

from typing import Any

from . import LOGIN, Expect, outcomes


def _an_entry_of_the_town(w: Any) -> dict[str, Any]:
    from yigang.audit.models import AuditEntry

    return {"pk": AuditEntry.objects.filter(town=w.town).order_by("id").values_list("pk", flat=True)[0]}


_auditor_only = outcomes(404, auditor=200, anonymous=LOGIN)

PAGES = {
    "audit:list": Expect(_auditor_only),
    "audit:detail": Expect(
        _auditor_only,
        kwargs=_an_entry_of_the_town,
    ),
    "audit:verify": Expect(outcomes(404, auditor=302, anonymous=LOGIN), method="POST"),
}
