"""Password rules of 等保2.0 common practice: at least three character classes; not one of the last few."""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The demo accounts' password (yigang demo, the sign-off demo's confirmations): printed for the demo; production
# forces a change at first login (docs/security.md). Here, low in the house, so the apps' demos may take it.
DEMO_PASSWORD = "Yigang@2022"  # noqa: S105


class CharacterClassValidator:
    """Requires at least `classes` of: lower case, upper case, digits, other characters."""

    def __init__(self, classes: int = 3) -> None:
        self.classes = classes

    def validate(self, password: str, user: Any = None) -> None:
        found = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(found) < self.classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、其他符号中的至少 %(n)d 类。") % {"n": self.classes},
                code="password_too_simple",
            )
        username = str(getattr(user, "username", "") or "")
        if username and username.lower() in password.lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("密码须包含小写字母、大写字母、数字、其他符号中的至少 %(n)d 类。") % {"n": self.classes}


class GuessabilityValidator:
    """Refuses a password an attacker would guess early: zxcvbn's estimate (dictionary words, names, keyboard
    runs, years, "l33t" substitutions and the usual word + digits + symbol pattern) must reach `min_score` of 0–4.
    "Password123!" has three character classes and twelve characters, and scores 1; 3 means about 10⁸ guesses
    or more. The account's username, name and e-mail count as words an attacker knows."""

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        from zxcvbn import zxcvbn

        known = [
            str(value)
            for value in (
                getattr(user, "username", ""),
                getattr(user, "first_name", ""),
                getattr(user, "last_name", ""),
                getattr(user, "email", ""),
            )
            if value
        ]
        if zxcvbn(password, user_inputs=known)["score"] < self.min_score:
            raise ValidationError(
                _(
                    "密码太容易被猜中：常见单词、姓名、年份或键盘顺序加上数字和符号（如 Password123!）"
                    "是破解工具最先尝试的。请改用更长、无规律的密码，例如几个不相关的词组合或随机字符。"
                ),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _("密码不能是常见单词、姓名、年份或键盘顺序加数字和符号这类容易被猜中的组合。")


class PasswordHistoryValidator:
    """A new password must differ from the current one and from the last `keep` (hashes in PasswordHistory).

    So a demo, imported or reset account told to change its password cannot "change" it to the same one.
    """

    def __init__(self, keep: int = 5) -> None:
        self.keep = keep

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or getattr(user, "pk", None) is None:
            return  # a new account has no history
        from .models import PasswordHistory

        hashes = [user.password] if user.password else []
        if self.keep:
            recent = PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)
            hashes += list(recent[: self.keep])
        for encoded in dict.fromkeys(hashes):  # the newest history entry is usually the current hash
            if encoded and check_password(password, encoded):
                raise ValidationError(self.message(), code="password_reused")

    def message(self) -> str:
        return ngettext(
            "新密码不能与当前密码或最近 %(n)d 次使用过的密码相同。",
            "新密码不能与当前密码或最近 %(n)d 次使用过的密码相同。",
            self.keep,
        ) % {"n": self.keep}

    def get_help_text(self) -> str:
        return self.message()


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few rounds under its own name, for the accounts `yigang demo` creates with its printed password
    (yigang.cli.demo_data.quick_demo_hashes). Listed last in PASSWORD_HASHERS, so it only ever checks such a
    hash; the first login then stores the password with the first (full-strength) hasher."""

    algorithm = "yigang_demo_pbkdf2_sha256"
    iterations = 1_000


def generate_password(length: int = 14, user: Any = None) -> str:
    """A random password that passes the validators: letters of both cases, digits and a symbol — and, given the
    account it is for, every configured validator (a short username such as "c2" turns up inside a random
    password now and then, and the rule against containing the username would refuse it)."""
    alphabet = string.ascii_letters + string.digits + "-_.@#%"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if not (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(not c.isalnum() for c in candidate)
        ):
            continue
        if user is not None:
            try:
                password_validation.validate_password(candidate, user)
            except ValidationError:
                continue
        return candidate
