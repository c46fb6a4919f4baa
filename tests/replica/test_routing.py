"""The router's and the middleware's decisions, on any database (no replica needed): which requests may read a
replica, the pin after a write, and that nothing reads anywhere but the primary when no replica is configured."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from yigang import replica


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    """A replica configured, as far as the router and the middleware ask (no connection is made)."""
    monkeypatch.setattr(replica, "configured", lambda: True)


def _request(method: str, view_name: str, cookie: str | None = None) -> Any:
    request = RequestFactory().generic(method, "/")
    request.resolver_match = SimpleNamespace(view_name=view_name)
    if cookie is not None:
        request.COOKIES[replica.PIN_COOKIE] = cookie
    return request


def _model(app_label: str) -> Any:
    return SimpleNamespace(_meta=SimpleNamespace(app_label=app_label))


@pytest.fixture
def without_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "configured", lambda: False)


@pytest.mark.usefixtures("without_replica")
def test_without_a_replica_everything_reads_the_primary() -> None:
    router = replica.ReplicaRouter()
    with replica.reads_replica():
        assert router.db_for_read(_model("hazards")) == "default"
    assert not replica.may_read_replica(_request("GET", "county:towns"))


@pytest.mark.usefixtures("with_replica")
def test_only_the_read_only_pages_read_the_replica_and_only_by_get() -> None:
    assert replica.may_read_replica(_request("GET", "county:towns"))
    assert replica.may_read_replica(_request("HEAD", "hazards:stats_xlsx"))
    assert not replica.may_read_replica(_request("POST", "county:towns"))
    assert not replica.may_read_replica(_request("GET", "hazards:detail"))
    assert not replica.may_read_replica(_request("GET", "home"))


@pytest.mark.usefixtures("with_replica")
def test_a_browser_that_wrote_is_pinned_to_the_primary_until_the_pin_runs_out() -> None:
    assert not replica.may_read_replica(_request("GET", "county:towns", cookie=f"{time.time() + 20}"))
    assert replica.may_read_replica(_request("GET", "county:towns", cookie=f"{time.time() - 1}"))
    # A cookie that is not a time pins nothing (it can only make its own browser read the primary).
    assert replica.may_read_replica(_request("GET", "county:towns", cookie="soon"))


@pytest.mark.usefixtures("with_replica")
@override_settings(DATABASE_REPLICA_PIN_SECONDS=30)
def test_an_unsafe_request_sets_the_pin_and_a_get_does_not() -> None:
    middleware = replica.ReplicaMiddleware(lambda request: HttpResponse("ok"))
    before = time.time()
    response = middleware(_request("POST", "hazards:report"))
    cookie = response.cookies[replica.PIN_COOKIE]
    assert before + 29 <= float(cookie.value) <= time.time() + 31
    assert cookie["max-age"] == 30
    assert cookie["httponly"]
    assert replica.PIN_COOKIE not in middleware(_request("GET", "county:towns")).cookies


@pytest.mark.usefixtures("without_replica")
def test_no_pin_is_set_without_a_replica() -> None:
    middleware = replica.ReplicaMiddleware(lambda request: HttpResponse("ok"))
    assert replica.PIN_COOKIE not in middleware(_request("POST", "hazards:report")).cookies


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
    monkeypatch.setattr(replica, "replica_reachable", lambda: True)
    seen: list[bool] = []

    def view(request: Any) -> HttpResponse:
        seen.append(replica._on_replica.get())
        return HttpResponse("ok")

    middleware = replica.ReplicaMiddleware(
        lambda request: (middleware.process_view(request, view, (), {}), view(request))[1]
    )
    middleware(_request("GET", "county:towns"))
    middleware(_request("GET", "hazards:detail"))
    assert seen == [True, False]
    assert replica._on_replica.get() is False
