"""Stronger passwords (issue 26.5): three character classes and eight characters let "Password123!" through; a
guessability estimate (zxcvbn) refuses it, with a Chinese message, while the demo password and the generated
ones pass."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

GUESSABLE = [
    "Password123!",
    "Qwerty123!",
    "Abcd1234!",
    "P@ssw0rd2024",
    "Welcome2025!",
]


@pytest.mark.parametrize("password", GUESSABLE)
def test_a_guessable_password_with_every_class_is_refused_in_chinese(password: str) -> None:
    from yigang.towns.passwords import CharacterClassValidator

    CharacterClassValidator().validate(password)  # the class rule alone would take it
    with pytest.raises(ValidationError) as exc:
        password_validation.validate_password(password)
    assert any("太容易被猜中" in m for m in exc.value.messages), exc.value.messages


def test_the_account_s_own_name_counts_as_a_known_word(make_user: Any) -> None:
    from yigang.towns.passwords import GuessabilityValidator

    user = make_user("baoyinchaoketu", None)
    GuessabilityValidator().validate("Baoyinchaoketu#1")  # unknown to the dictionaries: fine for someone else
    with pytest.raises(ValidationError):
        GuessabilityValidator().validate("Baoyinchaoketu#1", user)


def test_the_demo_password_and_the_suite_s_pass() -> None:
    from yigang.towns.passwords import DEMO_PASSWORD

    for password in (DEMO_PASSWORD, PASSWORD):
        password_validation.validate_password(password)


def test_generated_passwords_pass_every_validator(make_user: Any) -> None:
    from yigang.towns.passwords import generate_password

    user = make_user("c2", None)
    for _ in range(50):
        password_validation.validate_password(generate_password())
        password_validation.validate_password(generate_password(user=user), user)


def test_the_rule_is_configured_and_explained_on_the_form(users: dict[str, Any]) -> None:
    names = [v["NAME"] for v in __import__("django.conf").conf.settings.AUTH_PASSWORD_VALIDATORS]
    assert "yigang.towns.passwords.GuessabilityValidator" in names
    client = Client()
    client.force_login(users["officer"])
    page = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "Password123!", "new_password2": "Password123!"},
    )
    assert page.status_code == 200
    assert "太容易被猜中" in page.content.decode()
    users["officer"].refresh_from_db()
    assert users["officer"].check_password(PASSWORD)  # unchanged
