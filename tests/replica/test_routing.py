"""The router's and the middleware's decisions, on any database (no replica needed): which requests may read a
replica, the pin after a write (in the session, so an API client that keeps only its session cookie is pinned
too), the API's reads, and that nothing reads anywhere but the primary when no replica is configured."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from yigang import replica


class FakeSession(dict[str, Any]):
    """What the middleware asks of a session: its values, its key and save()."""

    def __init__(self, key: str | None = "abc", **values: Any) -> None:
        super().__init__(values)
        self.session_key = key
        self.saved = 0

    def save(self) -> None:
        self.saved += 1


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    """A replica configured, as far as the router and the middleware ask (no connection is made)."""
    monkeypatch.setattr(replica, "configured", lambda: True)


@pytest.fixture
def without_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "configured", lambda: False)


def _request(method: str, view_name: str, pin_until: Any = None, logged_in: bool = True) -> Any:
    request = RequestFactory().generic(method, "/")
    request.resolver_match = SimpleNamespace(view_name=view_name)
    request.session = FakeSession(**({} if pin_until is None else {replica.PIN_KEY: pin_until}))
    request.user = SimpleNamespace(is_authenticated=logged_in)
    return request


def _model(app_label: str) -> Any:
    return SimpleNamespace(_meta=SimpleNamespace(app_label=app_label))


@pytest.mark.usefixtures("without_replica")
def test_without_a_replica_everything_reads_the_primary() -> None:
    router = replica.ReplicaRouter()
    with replica.reads_replica():
        assert router.db_for_read(_model("hazards")) == "default"
    assert not replica.may_read_replica(_request("GET", "county:towns"))
    assert not replica.may_read_replica(_request("GET", "api:stats"), api=True)


@pytest.mark.usefixtures("with_replica")
def test_only_the_read_only_pages_read_the_replica_and_only_by_get() -> None:
    assert replica.may_read_replica(_request("GET", "county:towns"))
    assert replica.may_read_replica(_request("HEAD", "hazards:stats_xlsx"))
    assert not replica.may_read_replica(_request("POST", "county:towns"))
    assert not replica.may_read_replica(_request("GET", "hazards:detail"))
    assert not replica.may_read_replica(_request("GET", "home"))
    # The API's marked reads whatever their URL's name, by GET only.
    assert replica.may_read_replica(_request("GET", "api:stats"), api=True)
    assert not replica.may_read_replica(_request("POST", "api:stats"), api=True)


@pytest.mark.usefixtures("with_replica")
def test_a_session_that_wrote_is_pinned_to_the_primary_until_the_pin_runs_out() -> None:
    assert not replica.may_read_replica(_request("GET", "county:towns", pin_until=time.time() + 20))
    assert not replica.may_read_replica(_request("GET", "api:stats", pin_until=time.time() + 20), api=True)
    assert replica.may_read_replica(_request("GET", "county:towns", pin_until=time.time() - 1))
    # A value that is not a time pins nothing; a request with no session at all is not pinned.
    assert replica.may_read_replica(_request("GET", "county:towns", pin_until="soon"))
    bare = RequestFactory().get("/")
    bare.resolver_match = SimpleNamespace(view_name="county:towns")
    assert replica.may_read_replica(bare)


@pytest.mark.usefixtures("with_replica")
@override_settings(DATABASE_REPLICA_PIN_SECONDS=30)
def test_an_unsafe_request_pins_the_session_after_the_view_and_a_get_does_not() -> None:
    finished: list[float] = []

    def slow_write(request: Any) -> HttpResponse:
        time.sleep(0.05)
        finished.append(time.time())
        return HttpResponse("ok")

    middleware = replica.ReplicaMiddleware(slow_write)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        request = _request(method, "api:read_all")
        middleware(request)
        # The pin runs from the end of the write, and is saved (the session middleware has already run).
        assert finished[-1] + 29 <= request.session[replica.PIN_KEY] <= time.time() + 30, method
        assert request.session.saved == 1, method
    request = _request("GET", "county:towns")
    middleware(request)
    assert replica.PIN_KEY not in request.session
    assert request.session.saved == 0


@pytest.mark.usefixtures("with_replica")
def test_nobody_logged_in_gets_no_pin_and_no_session() -> None:
    middleware = replica.ReplicaMiddleware(lambda request: HttpResponse("ok"))
    request = _request("POST", "login", logged_in=False)
    middleware(request)
    assert replica.PIN_KEY not in request.session
    assert request.session.saved == 0
    unsaved = _request("POST", "hazards:report")
    unsaved.session = FakeSession(key=None)
    middleware(unsaved)
    assert unsaved.session.saved == 0


@pytest.mark.usefixtures("without_replica")
def test_no_pin_is_set_without_a_replica() -> None:
    middleware = replica.ReplicaMiddleware(lambda request: HttpResponse("ok"))
    request = _request("POST", "hazards:report")
    middleware(request)
    assert replica.PIN_KEY not in request.session


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("with_replica")
def test_accounts_sessions_and_reads_inside_a_transaction_stay_on_the_primary() -> None:
    router = replica.ReplicaRouter()
    with replica.reads_replica():
        assert router.db_for_read(_model("hazards")) == "replica"
        for app in ("auth", "sessions", "otp_totp", "axes", "towns"):
            assert router.db_for_read(_model(app)) == "default", app
        with transaction.atomic():
            assert router.db_for_read(_model("hazards")) == "default"
    assert router.db_for_read(_model("hazards")) == "default"
    assert router.db_for_write(_model("hazards")) == "default"
    assert router.allow_migrate("default", "hazards")
    assert not router.allow_migrate("replica", "hazards")


@pytest.mark.usefixtures("with_replica")
def test_the_flag_lasts_for_the_view_only(monkeypatch: pytest.MonkeyPatch) -> None:
    usable = [True]
    monkeypatch.setattr(replica, "replica_usable", lambda: usable[0])
    seen: list[bool] = []

    def view(request: Any) -> HttpResponse:
        seen.append(replica._on_replica.get())
        return HttpResponse("ok")

    middleware = replica.ReplicaMiddleware(
        lambda request: (middleware.process_view(request, view, (), {}), view(request))[1]
    )
    middleware(_request("GET", "county:towns"))
    middleware(_request("GET", "hazards:detail"))
    usable[0] = False  # unreachable, or too far behind
    middleware(_request("GET", "county:towns"))
    assert seen == [True, False, False]
    assert replica._on_replica.get() is False


@pytest.mark.usefixtures("with_replica")
def test_an_api_read_reads_the_replica_for_the_whole_operation_unless_pinned_or_unusable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    usable = [True]
    monkeypatch.setattr(replica, "replica_usable", lambda: usable[0])
    seen: list[bool] = []

    def run(request: Any, **kwargs: Any) -> HttpResponse:
        seen.append(replica._on_replica.get())
        return HttpResponse("ok")

    reading = replica._reading_replica(run)
    reading(_request("GET", "api:stats"))
    reading(_request("GET", "api:stats", pin_until=time.time() + 20))
    reading(_request("POST", "api:stats"))
    usable[0] = False
    reading(_request("GET", "api:stats"))
    assert seen == [True, False, False, False]
    assert replica._on_replica.get() is False


def test_the_api_reads_of_figures_and_only_they_are_marked() -> None:
    """The statistics, compliance, sign-off status, coverage and a year's assessment: reads of figures, as their
    pages are; never a record's own detail (a user may have just written it) nor any write."""
    from yigang.api.urls import api

    marked = {
        (method, operation.operation_id or api.get_openapi_operation_id(operation))
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
        if replica._reading_replica in getattr(operation, "_run_decorators", [])
        for method in operation.methods
    }
    assert marked == {
        ("GET", "yigang_api_hazards_stats"),
        ("GET", "yigang_api_duties_compliance"),
        ("GET", "yigang_api_signoff_status"),
        ("GET", "yigang_api_places_coverage"),
        ("GET", "yigang_api_assessment_get_results"),
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("with_replica")
def test_a_marked_api_read_asks_and_an_unmarked_one_does_not(
    town: Any, users: dict[str, Any], login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the real API: the marked statistics ask whether to read the replica (here it is unusable, so
    the primary answers), the hazard list (a working list a user has just written to) never asks."""
    asked: list[str] = []
    monkeypatch.setattr(replica, "replica_usable", lambda: asked.append("usable?") is not None)
    client = login(users["officer"])
    assert client.get("/api/hazards/stats", {"town": town.code, "year": 2024}).status_code == 200
    assert asked == ["usable?"]
    assert client.get("/api/hazards/").status_code == 200
    assert asked == ["usable?"]
