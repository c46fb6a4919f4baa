"""Login hardening: password rules, lockout after failures, idle timeout, forced change, TOTP second factor."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from tests.conftest import PASSWORD
from yigang.audit.models import AuditEntry
from yigang.towns import actions
from yigang.towns.middleware import REFRESHED_KEY
from yigang.towns.passwords import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _events(*names: str) -> list[tuple[str, bool, str]]:
    return list(AuditEntry.objects.filter(event__in=names).values_list("event", "success", "object_repr"))


def _login(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/login/", {"username": username, "password": password})


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1-xyz", "password_too_short"),
        ("abcdefgh12", "password_too_simple"),
        ("Officer-2024x", "password_contains_username"),
        ("Password1!", "password_too_common"),
    ],
)
def test_passwords_need_eight_characters_three_classes_and_not_the_username(
    password: str, code: str, users: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.change_password(user=users["officer"], password=password, actor=users["officer"])
    assert code in {e.code for e in exc.value.error_list}


def test_five_failures_lock_the_account_and_the_lockout_is_audited(users: dict[str, Any]) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "officer", "wrong").status_code == 200
    locked = _login(client, "officer", "wrong")
    assert locked.status_code == 429
    assert "已被暂时锁定" in locked.content.decode()
    # Now even the right password is refused, from any client.
    assert _login(Client(), "officer").status_code == 429
    assert ("auth.lockout", False, "officer") in _events("auth.lockout")
    assert len(_events("auth.login_failed")) >= settings.AXES_FAILURE_LIMIT
    # Another account is not affected.
    assert _login(Client(), "leader").status_code == 302


def test_the_sysadmin_unlocks_a_locked_account(users: dict[str, Any]) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "leader", "wrong")
    assert _login(Client(), "leader").status_code == 429
    admin = Client()
    admin.force_login(users["sysadmin"])
    assert "已锁定" in admin.get(f"/accounts/{users['leader'].pk}/").content.decode()
    assert admin.post(f"/accounts/{users['leader'].pk}/unlock/").status_code == 302
    assert _login(Client(), "leader").status_code == 302
    assert ("account.unlock", True, "leader") in _events("account.unlock")


@override_settings(AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=datetime.timedelta(minutes=1))
def test_the_limit_and_lockout_time_are_configurable(users: dict[str, Any]) -> None:
    for _ in range(3):
        _login(Client(), "officer", "wrong")
    assert _login(Client(), "officer").status_code == 429
    from axes.models import AccessAttempt

    # Once the cool-off has passed, the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=2))
    assert _login(Client(), "officer").status_code == 302


def test_an_idle_session_expires_after_thirty_minutes_by_default(users: dict[str, Any]) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_REFRESH_SECONDS == 60
    client = Client()
    assert _login(client, "officer").status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Within a minute of the last push nothing is written: the expiry stays where it is.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date < timezone.now() + datetime.timedelta(minutes=6)
    # A minute on, activity pushes the expiry out to a full idle period again (and the cookie with it).
    store = SessionStore(session_key=key)
    store[REFRESHED_KEY] = int(time.time()) - 61
    store.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    response = client.get("/")
    assert response.status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + datetime.timedelta(minutes=29)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_idle_timeout_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import yigang.settings as real

    monkeypatch.setenv("SESSION_IDLE_MINUTES", "10")
    try:
        assert importlib.reload(real).SESSION_COOKIE_AGE == 600
    finally:
        monkeypatch.delenv("SESSION_IDLE_MINUTES")
        importlib.reload(real)


@pytest.fixture
def imported(users: dict[str, Any]) -> tuple[Any, str]:
    user, password = actions.create_account(username="newcomer", full_name="新 同事", actor=users["sysadmin"])
    actions.add_membership(user=user, role="leader", town=users["officer"].memberships.get().town, actor=None)
    return user, password


def test_a_created_account_must_change_its_password_before_anything_else(imported: tuple[Any, str]) -> None:
    user, password = imported
    client = Client()
    assert _login(client, "newcomer", password)["Location"] == "/"
    page = client.get("/regulations/")
    assert page.status_code == 302 and page["Location"].startswith("/account/password/")
    api = client.get("/api/regulations")
    assert api.status_code == 403 and "修改初始密码" in api.json()["detail"]
    form = client.get("/account/password/")
    assert "首次登录" in form.content.decode()
    bad = client.post(
        "/account/password/", {"old_password": password, "new_password1": "short", "new_password2": "short"}
    )
    assert bad.status_code == 200 and client.get("/").status_code == 302
    new = "Fresh-pass-2024"
    done = client.post(
        "/account/password/", {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert client.get("/regulations/").status_code == 200
    user.account.refresh_from_db()
    assert not user.account.must_change_password
    assert ("account.password_change", True, "newcomer") in _events("account.password_change")


@override_settings(FORCE_PASSWORD_CHANGE=False)
def test_the_forced_change_is_a_production_rule(imported: tuple[Any, str]) -> None:
    client = Client()
    _login(client, "newcomer", imported[1])
    assert client.get("/regulations/").status_code == 200


@override_settings(PASSWORD_MAX_AGE_DAYS=90)
def test_an_expired_password_must_be_changed(users: dict[str, Any]) -> None:
    user = users["leader"]
    get_user_model().objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=91)
    )
    client = Client()
    _login(client, "leader")
    assert client.get("/regulations/")["Location"].startswith("/account/password/")


def _totp(device: Any, offset: int = 0) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _unthrottle(device: Any) -> None:
    # django-otp delays the next try after a wrong code (1 s, 2 s, 4 s …); the test does not wait it out.
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def test_a_user_enrols_a_totp_device_and_then_needs_a_code_at_login(users: dict[str, Any]) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    _login(client, "officer")
    setup = client.get("/account/otp/setup/")
    html = setup.content.decode()
    assert 'src="data:image/svg+xml' in html and "密钥" in html
    device = TOTPDevice.objects.get(user=users["officer"])
    assert not device.confirmed
    assert "不正确" in client.post("/account/otp/setup/", {"token": "000000"}).content.decode()
    _unthrottle(device)
    assert client.post("/account/otp/setup/", {"token": _totp(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.post("/logout/")

    client = Client()
    assert _login(client, "officer").status_code == 302
    blocked = client.get("/regulations/")
    assert blocked["Location"].startswith("/account/otp/")
    assert client.get("/api/regulations").status_code == 403
    wrong = client.post("/account/otp/", {"token": "123456"})
    assert "不正确" in wrong.content.decode()
    _unthrottle(device)
    assert client.post("/account/otp/", {"token": _totp(device, 1)}).status_code == 302
    assert client.get("/regulations/").status_code == 200
    events = {e for e, _s, _o in _events("account.otp_enable", "auth.otp_failed", "auth.otp_verified")}
    assert events == {"account.otp_enable", "auth.otp_failed", "auth.otp_verified"}


@override_settings(OTP_REQUIRED=True)
def test_a_deployment_can_require_every_account_to_enrol(users: dict[str, Any]) -> None:
    client = Client()
    _login(client, "leader")
    assert client.get("/regulations/")["Location"].startswith("/account/otp/setup/")


def _change(client: Client, old: str, new: str) -> Any:
    return client.post(
        "/account/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_a_forced_change_to_the_same_password_is_refused(imported: tuple[Any, str]) -> None:
    user, password = imported
    client = Client()
    _login(client, "newcomer", password)
    same = _change(client, password, password)
    assert same.status_code == 200 and "不能与当前密码" in same.content.decode()
    assert client.get("/regulations/")["Location"].startswith("/account/password/")  # still owed
    user.account.refresh_from_db()
    assert user.account.must_change_password


def test_the_demo_accounts_must_change_their_printed_password_which_is_then_stored_at_full_strength(
    db: Any,
) -> None:
    from django.contrib.auth.hashers import get_hasher, identify_hasher
    from django.core.management import call_command

    from yigang.towns.models import Account
    from yigang.towns.passwords import DemoPasswordHasher

    call_command("demo", "--quiet")  # one demo load for the whole story: it is the slow part
    flagged = set(Account.objects.filter(must_change_password=True).values_list("user__username", flat=True))
    assert {"anweiban", "zhenzhang", "sysadmin"} <= flagged
    # The demo hashed its printed password with few rounds; the configured hashers are back afterwards.
    officer = get_user_model().objects.get(username="anweiban")
    assert officer.password.startswith("yigang_demo_pbkdf2_sha256$1000$")
    assert not isinstance(get_hasher(), DemoPasswordHasher)

    client = Client()
    _login(client, "anweiban", DEMO_PASSWORD)
    officer.refresh_from_db()
    assert identify_hasher(officer.password).algorithm == get_hasher().algorithm  # re-hashed at first login
    assert not officer.password.startswith("yigang_demo")
    kept = _change(client, DEMO_PASSWORD, DEMO_PASSWORD)
    assert kept.status_code == 200 and "不能与当前密码" in kept.content.decode()


def test_a_new_password_differs_from_the_last_five(users: dict[str, Any]) -> None:
    user = users["leader"]
    used = [f"Rotate-{n}-pass!" for n in range(6)]
    actions.change_password(user=user, password=used[0], actor=user)
    for previous in used[1:]:
        actions.change_password(user=user, password=previous, actor=user)
    # The current one and the four before it are refused (five in all); the sixth-newest is allowed again.
    for recent in used[1:]:
        with pytest.raises(ValidationError) as exc:
            actions.change_password(user=user, password=recent, actor=user)
        assert "password_reused" in {e.code for e in exc.value.error_list}
    actions.change_password(user=user, password=used[0], actor=user)
    assert user.password_history.count() == 5  # only the hashes the rule needs are kept


def test_a_reset_password_cannot_be_kept(users: dict[str, Any]) -> None:
    user = users["leader"]
    temporary = actions.reset_password(user=user, actor=users["sysadmin"])
    with pytest.raises(ValidationError):
        actions.change_password(user=user, password=temporary, actor=user)
    with pytest.raises(ValidationError):  # nor the one before the reset
        actions.change_password(user=user, password=PASSWORD, actor=user)


def _enrol(user: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def test_while_a_second_factor_is_owed_the_password_cannot_be_changed(users: dict[str, Any]) -> None:
    user = users["officer"]
    _enrol(user)
    client = Client()
    assert _login(client, "officer").status_code == 302  # the password alone: a code is still owed
    page = client.get("/account/password/")
    assert page.status_code == 302 and page["Location"].startswith("/account/otp/")
    new = "Stolen-pass-2024"
    attempt = _change(client, PASSWORD, new)
    assert attempt.status_code == 302 and attempt["Location"].startswith("/account/otp/")
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.check_password(new)
    # Nothing but the second-factor page and logout: not the profile, the OTP set-up or its removal either.
    for path in ("/account/", "/account/otp/setup/", "/accounts/"):
        assert client.get(path)["Location"].startswith("/account/otp/"), path
    assert client.get("/api/docs").status_code == 403
    assert client.post("/account/otp/disable/", {"token": "123456"})["Location"].startswith("/account/otp/")
    assert client.get("/account/otp/").status_code == 200
    assert client.post("/logout/").status_code == 302


def test_a_forced_change_waits_for_the_second_factor_first(imported: tuple[Any, str]) -> None:
    user, password = imported
    device = _enrol(user)
    client = Client()
    _login(client, "newcomer", password)
    assert client.get("/account/password/")["Location"].startswith("/account/otp/")
    assert client.post("/account/otp/", {"token": _totp(device)}).status_code == 302
    # The code given, the forced password change is next, and reachable.
    assert client.get("/regulations/")["Location"].startswith("/account/password/")
    assert client.get("/account/password/").status_code == 200
