"""Every URL pattern and every API operation, tried by every role, another town's people and anonymous.

The expected outcomes live in tests/security/expected/ (one module per app). A route or operation that has no
expectation fails here — so a new page cannot ship without someone deciding who may use it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from yigang.audit.models import AuditEntry

from .expected import LOGIN, OPERATIONS, OUTSIDERS, PAGES, PRINCIPALS, Expect

pytestmark = pytest.mark.django_db


def walk(patterns: list[Any], prefix: str = "", namespace: str | None = None) -> list[tuple[str, str | None]]:
    """(route, qualified name) of every URL pattern the resolver knows, includes unfolded."""
    found: list[tuple[str, str | None]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            found += walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            found.append((prefix + str(p.pattern), name))
    return found


def openapi() -> dict[str, Any]:
    from yigang.api.urls import api

    return api.get_openapi_schema()


def operations() -> dict[str, tuple[str, str]]:
    """operationId → (method, path template) of every operation in the OpenAPI document."""
    found = {}
    for path, methods in openapi()["paths"].items():
        for method, op in methods.items():
            found[op["operationId"]] = (method.upper(), path)
    return found


def _as_openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def page_routes() -> dict[str, str]:
    """Qualified URL name → route for every pattern that is not an OpenAPI operation."""
    api_paths = {path for _, path in operations().values()}
    routes: dict[str, str] = {}
    for route, name in walk(get_resolver().url_patterns):
        if _as_openapi_path(route) in api_paths:
            continue  # checked per operation below
        assert name, f"URL pattern {route!r} has no name: name it and declare it in tests/security/expected/"
        routes[name] = route
    return routes


def test_every_url_pattern_has_a_declared_expectation() -> None:
    routes = page_routes()
    missing = sorted(set(routes) - set(PAGES))
    assert not missing, f"routes with no expected outcome in tests/security/expected/: {missing}"
    stale = sorted(set(PAGES) - set(routes))
    assert not stale, f"expectations for routes that no longer exist: {stale}"


def test_every_api_operation_has_a_declared_expectation() -> None:
    ops = operations()
    missing = sorted(set(ops) - set(OPERATIONS))
    assert not missing, f"API operations with no expected outcome in tests/security/expected/: {missing}"
    stale = sorted(set(OPERATIONS) - set(ops))
    assert not stale, f"expectations for operations that no longer exist: {stale}"


def test_every_expectation_names_every_principal() -> None:
    for key, expect in {**PAGES, **OPERATIONS}.items():
        assert set(expect.outcome) == set(PRINCIPALS), key


def _mentions(content: bytes, text: str) -> bool:
    """Whether a response body holds `text` as UTF-8 or as JSON escapes (the API and json_script escape Chinese)."""
    return text.encode() in content or json.dumps(text)[1:-1].encode() in content


def _check(world: Any, key: str, expect: Expect, method: str, url: str) -> None:
    failures = []
    for principal in PRINCIPALS:
        # Each principal acts on the same world: roll back whatever the previous one changed.
        with transaction.atomic():
            denials = AuditEntry.objects.filter(event="auth.permission_denied").count()
            client = world.client(principal)
            data = expect.data(world)
            if method == "POST":
                response = client.post(url, data)
            elif method == "GET":
                response = client.get(url, data)
            else:
                response = client.generic(method, url)
            wanted = expect.outcome[principal]
            got: int | str = response.status_code
            if (
                wanted == LOGIN
                and response.status_code == 302
                and response["Location"].startswith(reverse("login"))
            ):
                got = LOGIN
            if got != wanted:
                failures.append(f"{principal}: expected {wanted}, got {got}")
            if response.status_code == 403 and key not in OPERATIONS:
                recorded = AuditEntry.objects.filter(event="auth.permission_denied").count()
                if recorded != denials + 1:
                    failures.append(f"{principal}: 403 without an audit entry")
            visible = 200 <= response.status_code < 300 and not response.streaming
            if principal in OUTSIDERS and visible and _mentions(response.content, world.town.name):
                failures.append(f"{principal}: response mentions {world.town.name}")
            if principal in expect.narrowed and visible:
                for text in world.outside_part[principal]:
                    if _mentions(response.content, text):
                        failures.append(f"{principal}: response mentions {text}, outside their part")
            transaction.set_rollback(True)
    assert not failures, f"{method} {url} ({key}):\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_outcome_for_every_principal(name: str, world: Any) -> None:
    expect = PAGES[name]
    url = reverse(name, kwargs=expect.kwargs(world) or None)
    _check(world, name, expect, expect.method, url)


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_api_operation_outcome_for_every_principal(operation_id: str, world: Any) -> None:
    expect = OPERATIONS[operation_id]
    method, path = operations()[operation_id]
    url = path.format(**expect.kwargs(world))
    _check(world, operation_id, expect, method, url)
