"""What every `yigang` sub-command shares: naming a town, the acting user, printing JSON.

In towns, not in cli, so that an app's own commands (the assessment's `assess`, `accountability`) take it without
importing the cli app, which sits above them all."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from .models import Town


def town_arg(value: str | None) -> Town:
    """A town by its code or full name; with none given and exactly one town in the database, that one."""
    if value:
        try:
            return Town.lookup(value)
        except Town.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
    towns = list(Town.objects.all()[:2])
    if len(towns) == 1:
        return towns[0]
    raise CommandError("请用 --town 指定乡镇（代码或全称）")


def actor_arg(username: str | None) -> Any:
    """The user a command acts as (recorded in the audit trail); None means the system itself."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"没有用户“{username}”") from None


def dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
