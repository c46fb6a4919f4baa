"""Telling an enterprise that a 责令限期整改通知书 was issued to it: its own accounts (a membership whose unit is
the place's registered unit), in the app and by e-mail, through the one fan-out. No such account: no one is told,
and nothing fails. The town's group robots are not told: the notice is between the body and the enterprise."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from yigang.notify import dispatch
from yigang.notify.fanout import Note, tell

from .models import RectificationOrder


def enterprise_accounts(order: RectificationOrder) -> list[Any]:
    if order.place.unit_id is None:
        return []
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__town_id=order.town_id,
            memberships__unit_id=order.place.unit_id,
        )
        .distinct()
        .order_by("pk")
    )


def order_issued(order: RectificationOrder) -> dispatch.Outcome:
    subject = f"【责令限期整改】{order.number}"
    text = (
        f"{order.organ}向{order.addressee}下达{order.number}《责令限期整改通知书》，"
        f"请于{order.deadline:%Y年%m月%d日}前完成整改：{'；'.join(order.items)[:200]}"
    )
    url = reverse("places:detail", args=[order.place_id])
    return tell(order.town, enterprise_accounts(order), Note(f"order:{order.pk}|issued", subject, text, url))
