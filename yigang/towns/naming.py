"""Who someone is, in the words a reader knows: the register person's name and the posts they held that day
("赵永军（分管安全生产副镇长）"), never the login ("anweiban") where a person is linked.

Every timeline, page and export that says who entered, decided or confirmed something asks here. The link from an
account to its register person (`org.Person.user`) lives on the register's floor, above this one: it is reached
with `apps.get_model`, the way `towns.models.ScopeFilter` reaches the sectors a body supervises
(docs/architecture.md), so `towns` still imports no domain app.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _


def _day(on: datetime.date | datetime.datetime | None) -> datetime.date:
    if on is None:
        return timezone.localdate()
    if isinstance(on, datetime.datetime):
        return timezone.localtime(on).date() if timezone.is_aware(on) else on.date()
    return on


def _in_force(day: datetime.date) -> Q:
    return (Q(start__isnull=True) | Q(start__lte=day)) & (Q(end__isnull=True) | Q(end__gte=day))


def account_label(user: Any) -> str:
    """An account without a register person: its full name, else its login marked as an account."""
    full = (user.get_full_name() or "").strip()
    return full or _("账号 %(login)s") % {"login": user.get_username()}


def display_name(user: Any, on: datetime.date | datetime.datetime | None = None) -> str:
    """The person behind an account as of a day (a datetime counts by its Asia/Shanghai date; none: today): the
    linked register person's name with the posts they held that day, or just the name if they held none; an
    account linked to nobody by its full name, and only as a last resort by its login, marked as an account.
    Nobody (None): the empty string — the caller says 系统 or — as its page does.

    One query for a person who held a post that day, two otherwise."""
    if user is None or not getattr(user, "pk", None):
        return ""
    day = _day(on)
    tenure: Any = apps.get_model("org", "Tenure")
    held = list(
        tenure.objects.filter(_in_force(day), person__user_id=user.pk)
        .select_related("person", "post")
        .order_by("post__title", "pk")
    )
    if held:
        titles = "、".join(dict.fromkeys(t.post.title for t in held))
        return f"{held[0].person.name}（{titles}）"
    person: Any = apps.get_model("org", "Person")
    name = person.objects.filter(user_id=user.pk).values_list("name", flat=True).first()
    return name or account_label(user)


def name_and_login(user: Any, on: datetime.date | datetime.datetime | None = None) -> str:
    """The auditor's form: the name as everywhere else, and the login beside it (they need both)."""
    if user is None or not getattr(user, "pk", None):
        return ""
    name = display_name(user, on)
    login = user.get_username()
    return name if login in name else f"{name} · {login}"


def display_names(pairs: Iterable[tuple[Any, datetime.date | datetime.datetime | None]]) -> list[str]:
    """`display_name` for many (account, day) pairs — a page of a list or the audit trail — in two queries."""
    pairs = list(pairs)
    ids = {u.pk for u, _on in pairs if u is not None and getattr(u, "pk", None)}
    person: Any = apps.get_model("org", "Person")
    tenure: Any = apps.get_model("org", "Tenure")
    people = {p.user_id: p for p in person.objects.filter(user_id__in=ids)} if ids else {}
    held: dict[int, list[Any]] = {}
    for t in (
        tenure.objects.filter(person__in=list(people.values()))
        .select_related("post")
        .order_by("post__title", "pk")
        if people
        else []
    ):
        held.setdefault(t.person_id, []).append(t)
    out = []
    for user, on in pairs:
        if user is None or not getattr(user, "pk", None):
            out.append("")
            continue
        day = _day(on)
        p = people.get(user.pk)
        if p is None:
            out.append(account_label(user))
            continue
        titles = "、".join(
            dict.fromkeys(
                t.post.title
                for t in held.get(p.pk, [])
                if (t.start is None or t.start <= day) and (t.end is None or t.end >= day)
            )
        )
        out.append(f"{p.name}（{titles}）" if titles else p.name)
    return out


def names_and_logins(pairs: Iterable[tuple[Any, datetime.date | datetime.datetime | None]]) -> list[str]:
    """`name_and_login` for many (account, day) pairs — a page of the audit trail — in two queries."""
    pairs = list(pairs)
    out = []
    for (user, _on), name in zip(pairs, display_names(pairs), strict=True):
        if not name:
            out.append("")
            continue
        login = user.get_username()
        out.append(name if login in name else f"{name} · {login}")
    return out
