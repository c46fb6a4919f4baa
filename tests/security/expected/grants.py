"""The 安委办's side of 三员分立 (yigang/towns/grant_views.py): confirming the roles a system administrator asked for,
and the audit administrator's view of business content. Only the town's officer decides; the town's other readers
are refused (403, audited); administrators and other towns find nothing (404)."""

from __future__ import annotations

from typing import Any

from . import Expect, object_write, town_write


def _pending(w: Any) -> dict[str, int]:
    """A leader role the town's sysadmin asked for on a new account (created once, outside the rolled-back calls)."""
    from yigang.towns import actions
    from yigang.towns.models import RoleGrant

    grant = RoleGrant.objects.filter(user__username="applicant").first()
    if grant is None:
        user, _password = actions.create_account(username="applicant", actor=w.users["sysadmin"])
        grant = actions.add_membership(user=user, role="leader", town=w.town, actor=w.users["sysadmin"])
    return {"pk": grant.pk}


PAGES = {
    "accounts:grants": Expect(town_write(200), note="the officer's list of requests in their own town"),
    "accounts:grant_decide": Expect(
        object_write(),
        method="POST",
        kwargs=_pending,
        data=lambda w: {"decision": "refuse", "note": "不认识此人"},
    ),
    "accounts:audit_disclosure": Expect(town_write(), method="POST", data=lambda w: {"enabled": "1"}),
}
