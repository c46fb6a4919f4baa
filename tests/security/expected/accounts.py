"""The user's own account pages and the system administrator's account management."""

from __future__ import annotations

from . import LOGIN, Expect, outcomes

# Account management: the town's sysadmin manages the town's accounts; another town's sysadmin cannot see
# them (404); everyone else is refused (403, audited).
_admin = {"sysadmin": 200, "other_sysadmin": 200, "anonymous": LOGIN}


def _admin_object(ok: int) -> dict[str, int | str]:
    return outcomes(403, sysadmin=ok, other_sysadmin=404, anonymous=LOGIN)


def _managed(w: object) -> dict[str, int]:
    return {"pk": w.managed.pk}  # type: ignore[attr-defined]


PAGES = {
    "accounts:profile": Expect(outcomes(200, anonymous=LOGIN, enterprise=200)),
    "accounts:password_change": Expect(outcomes(200, anonymous=LOGIN, enterprise=200)),
    "accounts:otp_verify": Expect(
        outcomes(302, anonymous=LOGIN, enterprise=302), note="nothing to verify: sent on"
    ),
    "accounts:otp_setup": Expect(outcomes(200, anonymous=LOGIN, enterprise=200)),
    "accounts:otp_disable": Expect(
        outcomes(302, anonymous=LOGIN, enterprise=302), method="POST", data=lambda w: {"token": "1"}
    ),
    "accounts:list": Expect(outcomes(403, **_admin)),
    "accounts:create": Expect(outcomes(403, **_admin)),
    "accounts:detail": Expect(_admin_object(200), kwargs=_managed),
    "accounts:membership_add": Expect(
        _admin_object(302),
        method="POST",
        kwargs=_managed,
        data=lambda w: {"role": "officer", "town": w.town.pk},
    ),
    "accounts:membership_remove": Expect(
        _admin_object(302),
        method="POST",
        kwargs=lambda w: {"pk": w.managed.pk, "membership_pk": w.managed_membership.pk},
    ),
    "accounts:password_reset": Expect(_admin_object(200), method="POST", kwargs=_managed),
    "accounts:unlock": Expect(_admin_object(302), method="POST", kwargs=_managed),
    "accounts:set_active": Expect(
        _admin_object(302), method="POST", kwargs=_managed, data=lambda w: {"active": "0"}
    ),
    "accounts:otp_reset": Expect(_admin_object(302), method="POST", kwargs=_managed),
    "accounts:person_link": Expect(
        _admin_object(200),
        method="POST",
        kwargs=_managed,
        data=lambda w: {"person": w.person.pk},
        note="the managed account is the leader's person's already: the form says so",
    ),
    "accounts:person_unlink": Expect(_admin_object(302), method="POST", kwargs=_managed),
}
