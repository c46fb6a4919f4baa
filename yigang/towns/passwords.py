"""Password rule of 等保2.0 common practice: at least three character classes."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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
