"""Standing fixtures: a town with its regulation, one user per role, and an officer of another town."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

SEED = resources.files("yigang.regulations").joinpath("data/wushenzhao-2022.txt").read_bytes()
PASSWORD = "Test-pass-123"


@pytest.fixture(autouse=True)
def _nothing_kept_between_tests() -> None:
    """Each test starts with empty caches — the kept compliance (duties/cache.py) and Django's cache (the overview's
    rendered tables); tests roll their writes back, so a mark seen in one test can come back in the next — and in
    the default language."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    from yigang.duties import cache as compliance_cache

    compliance_cache.forget()
    cache.clear()
    # The language a request activated stays active in the thread after it (LocaleMiddleware does not reset it):
    # a test that asks in English must not leave the next test on this worker speaking English.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED


@pytest.fixture
def make_town(db: Any) -> Callable[..., Any]:
    from yigang.towns.models import Town

    def make(code: str = "wushenzhao", name: str = "乌审召镇", county: str = "乌审旗") -> Town:
        return Town.objects.create(code=code, name=name, county=county)

    return make


@pytest.fixture
def town(make_town: Callable[..., Any]) -> Any:
    return make_town()


@pytest.fixture
def other_town(make_town: Callable[..., Any]) -> Any:
    return make_town(code="tuke", name="图克镇", county="乌审旗")


@pytest.fixture
def far_town(make_town: Callable[..., Any]) -> Any:
    return make_town(code="far", name="远方镇", county="别的旗")


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from yigang.towns.models import Membership, Role

    def make(username: str, role: str | None, town: Any = None, county: str = "", unit: Any = None) -> Any:
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
        if role is not None:
            if role == Role.COUNTY_VIEWER:
                Membership.objects.create(user=user, role=role, county=county or town.county)
            else:
                Membership.objects.create(user=user, role=role, town=town, unit=unit)
        return user

    return make


@pytest.fixture
def users(town: Any, other_town: Any, make_user: Callable[..., Any]) -> dict[str, Any]:
    """One user per role in `town`, plus outsiders: another town's officer and a user with no role."""
    from yigang.towns.models import Role

    return {
        "officer": make_user("officer", Role.OFFICER, town),
        "leader": make_user("leader", Role.LEADER, town),
        "body_staff": make_user("body", Role.BODY_STAFF, town),
        "village_staff": make_user("village", Role.VILLAGE_STAFF, town),
        "county_viewer": make_user("county", Role.COUNTY_VIEWER, town),
        "sysadmin": make_user("sysadmin", Role.SYSADMIN, town),
        "auditor": make_user("auditor", Role.AUDITOR, town),
        "other_officer": make_user("other", Role.OFFICER, other_town),
        "nobody": make_user("nobody", None),
    }


@pytest.fixture
def login(client: Client) -> Callable[[Any], Client]:
    def do(user: Any) -> Client:
        client.force_login(user)
        return client

    return do


@pytest.fixture
def regulation(town: Any, users: dict[str, Any]) -> Any:
    """The seed imported as version 1 and activated, with its sectors table adopted."""
    from yigang.org.actions import sync_sectors_from_regulation
    from yigang.regulations import actions

    reg = actions.import_regulation(
        town=town, data=SEED, filename="wushenzhao-2022.txt", actor=users["officer"]
    )
    actions.activate_regulation(regulation=reg, actor=users["officer"])
    sync_sectors_from_regulation(regulation=reg, actor=users["officer"])
    return reg
