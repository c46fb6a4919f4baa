"""The API under odd input: schemathesis as an anonymous caller (no server error), and the shapes of the
penetration test in every field of every operation. The logged-in schema-driven test (officer and village
secretary, every check of the contract) is test_api_contract.py; both schemathesis tests run in the
`api_contract` CI step (pytest -m api_contract), in-process against the WSGI application, bounded and derandomized.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from yigang.api.urls import api

from .expected import OPERATIONS

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    # The WSGI handler closes "old" database connections when a request ends; inside a test transaction that
    # would close the test's own connection (on PostgreSQL). Django's test client switches this off the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.api_contract
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=5, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_the_api_never_fails_for_an_anonymous_caller(case: Any) -> None:
    case.call_and_validate(checks=[not_a_server_error])


# The shapes the penetration test found (issue 9.9), tried in every parameter and form field of every operation,
# with the declared call's other values left as they are (expected/): an answer below 500 for each.
HUGE = "9" * 20
ODD_SHAPES = [HUGE, "abc", "-1", "１２", "1e400", "", "//evil.example/"]


def _fields(operation: dict[str, Any]) -> list[tuple[str, str]]:
    found = [(p["in"], p["name"]) for p in operation.get("parameters", [])]
    for media in operation.get("requestBody", {}).get("content", {}).values():
        found += [("body", name) for name in media.get("schema", {}).get("properties", {})]
        for ref in media.get("schema", {}).get("allOf", []):
            found += [("body", name) for name in ref.get("properties", {})]
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_no_operation_fails_on_the_odd_shapes(operation_id: str, world: Any) -> None:
    from django.db import transaction

    from .test_authorisation import openapi

    expect = OPERATIONS[operation_id]
    document = openapi()
    method, path, operation = next(
        (m.upper(), p, op)
        for p, methods in document["paths"].items()
        for m, op in methods.items()
        if op["operationId"] == operation_id
    )
    client = world.client("officer")
    failures = []
    for where, name in _fields(operation):
        for shape in ODD_SHAPES:
            kwargs = {**expect.kwargs(world)}
            data = {**expect.data(world)}
            if where == "path":
                kwargs[name] = shape
                if not shape or "/" in shape:
                    continue  # not a path segment
            else:
                data[name] = [shape] if isinstance(data.get(name), list) else shape
            url = path.format(**kwargs)
            with transaction.atomic():
                if method == "GET":
                    response = client.get(url, data)
                else:
                    response = client.generic(method, url) if not data else client.post(url, data)
                transaction.set_rollback(True)
            if response.status_code >= 500:
                failures.append(f"{method} {url} {name}={shape!r}: {response.status_code}")
    assert not failures, "\n".join(failures[:10])
