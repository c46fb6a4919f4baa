"""Expected outcome of every route and API operation for every kind of user.

Each app declares its own routes in its own module here (`core.py`, `accounts.py`, `regulations.py`, `org.py`,
`api.py`, …): a dict `PAGES` keyed by URL name (`"regulations:detail"`) and/or `OPERATIONS` keyed by OpenAPI
operationId, each value an `Expect`. `tests/security/test_authorisation.py` walks the URL resolver and the
OpenAPI document: a route or operation with no entry here fails the suite, and so does an entry whose route
is gone.

An `Expect` says how to call the route (method, URL kwargs and data built from the standing `World` of
`tests/security/conftest.py`) and what each principal gets: an HTTP status, or `LOGIN` for a redirect to the
login page. Build the outcome map with `outcomes(...)` or the shorthands `town_read`, `object_read`,
`town_write`, `object_write` — they spell out the scoping rules of docs/security.md, so an entry only states
what differs.

An enterprise's own account (`enterprise`, 企业安全管理人员, issue 24.5) reaches only the pages and operations its
gate names (yigang/towns/enterprise.py): wherever an entry does not name it, it gets a 403 (audited). An entry
that it may use says what it gets, and its successful lists must not mention what lies outside its place.

Body and village staff read only their part of the town's records: an object outside it is a 404 (say so in the
outcome), and a list or summary is narrowed to their part — name them in `narrowed`, and the test checks that
their successful response mentions nothing the `World` lists as outside their part (`World.outside_part`).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOGIN = "login"  # a redirect to the login page (pages); the API answers anonymous calls with 401

# Everyone the test tries: each role of the town, the same kinds of people elsewhere, and nobody at all.
PRINCIPALS = (
    "officer",
    "leader",
    "body_staff",
    "village_staff",
    "county_viewer",
    "sysadmin",
    "auditor",
    "enterprise",
    "other_officer",
    "other_sysadmin",
    "nobody",
    "anonymous",
)
READERS = ("officer", "leader", "body_staff", "village_staff", "county_viewer")
NON_OFFICER_READERS = ("leader", "body_staff", "village_staff", "county_viewer")
# People with no business in the standing town: their successful responses must not mention it.
OUTSIDERS = ("other_officer", "other_sysadmin", "nobody")
# Readers of part of the town (their unit's or village's records); `Expect.narrowed` names them on a list.
NARROW = ("body_staff", "village_staff")
# Readers of part of the town, the enterprise's own account too: a successful list must keep to its part.
NARROW_AND_ENTERPRISE = (*NARROW, "enterprise")
# The enterprise's account outside its allow-list (yigang/towns/enterprise.py): refused, audited.
ENTERPRISE_REFUSED = 403

Outcome = int | str


def outcomes(default: Outcome | None = None, **given: Outcome) -> dict[str, Outcome]:
    """Every principal's outcome: the ones named, the rest `default` (which must then be given)."""
    result: dict[str, Outcome] = {}
    for principal in PRINCIPALS:
        if principal in given:
            result[principal] = given[principal]
        elif principal == "enterprise":
            result[principal] = ENTERPRISE_REFUSED  # the gate's allow-list, whatever the others get
        elif default is not None:
            result[principal] = default
        elif principal == "auditor" and "sysadmin" in given:
            # The audit administrator, like the system administrator, has no business data: unless an entry
            # says otherwise, they get what the sysadmin gets.
            result[principal] = given["sysadmin"]
        else:
            raise ValueError(f"no outcome for {principal}")
    unknown = set(given) - set(PRINCIPALS)
    if unknown:
        raise ValueError(f"unknown principals {unknown}")
    return result


def _by(groups: dict[tuple[str, ...], Outcome], **given: Outcome) -> dict[str, Outcome]:
    flat: dict[str, Outcome] = {}
    for names, outcome in groups.items():
        for name in names:
            flat[name] = outcome
    flat.update(given)
    return outcomes(**flat)


def town_read(ok: Outcome = 200, **given: Outcome) -> dict[str, Outcome]:
    """A page about the user's current town: readers get it; another town's officer gets their own town's;
    users with no town (sysadmin, nobody) get 404."""
    return _by(
        {
            READERS: ok,
            ("other_officer",): ok,
            ("sysadmin", "other_sysadmin", "nobody"): 404,
            ("anonymous",): LOGIN,
        },
        **given,
    )


def object_read(ok: Outcome = 200, **given: Outcome) -> dict[str, Outcome]:
    """A page about one object of the standing town: readers get it, everyone else a 404 (never a 403)."""
    return _by(
        {READERS: ok, ("sysadmin", "other_sysadmin", "other_officer", "nobody"): 404, ("anonymous",): LOGIN},
        **given,
    )


def town_write(ok: Outcome = 302, **given: Outcome) -> dict[str, Outcome]:
    """A write in the user's current town: the officer (and another town's officer, in theirs) may; other
    readers get 403; users with no town 404."""
    return _by(
        {
            ("officer", "other_officer"): ok,
            NON_OFFICER_READERS: 403,
            ("sysadmin", "other_sysadmin", "nobody"): 404,
            ("anonymous",): LOGIN,
        },
        **given,
    )


def object_write(ok: Outcome = 302, **given: Outcome) -> dict[str, Outcome]:
    """A write to one object of the standing town: its officer may; readers 403; everyone else 404."""
    return _by(
        {
            ("officer",): ok,
            NON_OFFICER_READERS: 403,
            ("sysadmin", "other_sysadmin", "other_officer", "nobody"): 404,
            ("anonymous",): LOGIN,
        },
        **given,
    )


def api_read(ok: Outcome = 200, **given: Outcome) -> dict[str, Outcome]:
    """An API call any logged-in user may make (answers are scoped); anonymous gets 401."""
    return _by({tuple(p for p in PRINCIPALS if p != "enterprise"): ok, ("anonymous",): 401}, **given)


def api_object_read(ok: Outcome = 200, **given: Outcome) -> dict[str, Outcome]:
    return _by(
        {READERS: ok, ("sysadmin", "other_sysadmin", "other_officer", "nobody"): 404, ("anonymous",): 401},
        **given,
    )


def _none(world: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Expect:
    """How to call one route and what each principal gets."""

    outcome: dict[str, Outcome]
    method: str = "GET"
    kwargs: Callable[[Any], dict[str, Any]] = _none  # URL kwargs from the World
    data: Callable[[Any], dict[str, Any]] = _none  # POST data or GET query from the World
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # Principals who get this list or summary narrowed to their part of the town: a successful response must
    # not mention the World's data outside their part.
    narrowed: tuple[str, ...] = ()


def _collect() -> tuple[dict[str, Expect], dict[str, Expect]]:
    pages: dict[str, Expect] = {}
    operations: dict[str, Expect] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for target, source in (
            (pages, getattr(module, "PAGES", {})),
            (operations, getattr(module, "OPERATIONS", {})),
        ):
            for key, expect in source.items():
                if key in target:
                    raise ValueError(f"{key} is declared twice (second time in {info.name}.py)")
                target[key] = expect
    return pages, operations


PAGES, OPERATIONS = _collect()
