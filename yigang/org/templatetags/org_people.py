"""`{% load org_people %}{% my_person as me %}`: the register's person whose account is the reader's, in the town being read."""

from __future__ import annotations

from typing import Any

from django import template

from yigang.org.models import Person

register = template.Library()


@register.simple_tag(takes_context=True)
def my_person(context: Any) -> Person | None:
    request = context.get("request")
    town = context.get("current_town")
    user = getattr(request, "user", None)
    if town is None or user is None or not user.is_authenticated:
        return None
    return Person.objects.for_user(user).filter(town=town, user_id=user.pk).first()
