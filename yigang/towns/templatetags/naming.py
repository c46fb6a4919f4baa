"""`{% load naming %}`: `{{ user|who:day }}` names the person behind an account as of a day (towns/naming.py);
`{{ user|who_and_login:day }}` adds the login for the auditor's pages."""

from __future__ import annotations

from typing import Any

from django import template

from yigang.towns.naming import display_name, name_and_login

register = template.Library()


@register.filter
def who(user: Any, on: Any = None) -> str:
    """The person's name and posts on `on` (a date or datetime; empty: today); "" for nobody."""
    return display_name(user, on or None)


@register.filter
def who_and_login(user: Any, on: Any = None) -> str:
    return name_and_login(user, on or None)
