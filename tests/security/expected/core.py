"""Project-level routes: home, town switcher, login/logout, language."""

from __future__ import annotations

from . import LOGIN, PRINCIPALS, Expect, outcomes

_everyone_logged_in = {p: 200 for p in PRINCIPALS if p != "anonymous"}
# The enterprise's own account (企业安全管理人员) logs in and out, changes its language and has a home; the town
# switcher is not among its pages (it works in its enterprise's town only).

PAGES = {
    "home": Expect(
        outcomes(**{**_everyone_logged_in, "county_viewer": 302}, anonymous=LOGIN),
        note="a county viewer's home is the county view",
    ),
    "switch_town": Expect(
        outcomes(
            302, sysadmin=404, auditor=404, other_sysadmin=404, other_officer=404, nobody=404, anonymous=LOGIN
        ),
        method="POST",
        data=lambda w: {"town": w.town.pk, "next": "/"},
        note="only to a town the user may read",
    ),
    "login": Expect(outcomes(302, anonymous=200, enterprise=302), note="a logged-in user is sent on"),
    "logout": Expect(outcomes(302, enterprise=302), method="POST"),
    "set_language": Expect(
        outcomes(302, enterprise=302), method="POST", data=lambda w: {"language": "en", "next": "/"}
    ),
    "jsi18n": Expect(outcomes(200, enterprise=200)),
}
