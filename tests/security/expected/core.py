"""Project-level routes: home, town switcher, login/logout, language."""

from __future__ import annotations

from . import LOGIN, PRINCIPALS, Expect, outcomes

_everyone_logged_in = {p: 200 for p in PRINCIPALS if p != "anonymous"}

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
    "login": Expect(outcomes(302, anonymous=200), note="a logged-in user is sent on"),
    "logout": Expect(outcomes(302), method="POST"),
    "set_language": Expect(outcomes(302), method="POST", data=lambda w: {"language": "en", "next": "/"}),
    "jsi18n": Expect(outcomes(200)),
}
