"""Telling people about hazards: when one is routed, when an extension is asked or decided (escalation.py
tells the levels of an overdue one).

Every message goes through `yigang.notify.dispatch` with a key naming the hazard, the step and the recipient,
so each person hears of each step once, however often the runs repeat (a failed send is retried later).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from yigang.notify import dispatch
from yigang.notify.fanout import Note, tell
from yigang.org import selectors
from yigang.org.models import Person, Post
from yigang.regulations.choices import PostKind
from yigang.towns.models import Role, Town

from .models import OPEN_STATUSES, EventKind, Extension, ExtensionStatus, Grade, Hazard

# Routing notices are (re)tried by the periodic run for hazards reported this recently.
ANNOUNCE_WINDOW = datetime.timedelta(days=7)


def url_of(hazard: Hazard) -> str:
    return reverse("hazards:detail", args=[hazard.pk])


def officers(town: Town) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, memberships__town=town, memberships__role=Role.OFFICER)
        .distinct()
    )


def enterprise_accounts(hazard: Hazard) -> list[Any]:
    """The accounts of the enterprise the hazard is at (企业安全管理人员, issue 24.5): it rectifies its own
    hazards, so it hears of them as those who answer for them do."""
    if hazard.enterprise_id is None:
        return []
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__town_id=hazard.town_id,
            memberships__role=Role.ENTERPRISE,
            memberships__unit_id=hazard.enterprise_id,
        )
        .distinct()
        .order_by("pk")
    )


def users_of(person_ids: Iterable[int | None]) -> list[Any]:
    ids = [p for p in person_ids if p]
    people = Person.objects.filter(pk__in=ids, user__isnull=False, user__is_active=True).select_related(
        "user"
    )
    return [p.user for p in people]


def holder_today(post_id: int | None, today: datetime.date) -> int | None:
    """The id of the person holding a post today (None if vacant or no post)."""
    person = selectors.holder(post_id, today)
    return person.pk if person is not None else None


def head_today(unit_id: int, today: datetime.date) -> int | None:
    """The id of the person heading the unit today (its head or party secretary), None if none."""
    person = selectors.head(unit_id, today)
    return person.pk if person is not None else None


def owner_person(hazard: Hazard, today: datetime.date) -> int | None:
    """Who answers for the owner today: the current holder of the owner seat the routing named (its head, or who
    stood in for a vacant or missing head); after the 安委办 gave the hazard to another unit, that unit's head.
    Never someone the routing did not name: a routing that named no owner seat has nobody here."""
    routing = hazard.routing or {}
    if "reassigned" in routing:  # the 安委办's decision named the unit: its head answers
        return head_today(hazard.owner_unit_id, today)
    return holder_today((routing.get("owner") or {}).get("post_id"), today)


def level_person(hazard: Hazard, level: int, today: datetime.date) -> int | None:
    """Who answers at escalation `level` today: 1 the owner's head (the seat the routing named), 2 the leader in
    charge, 3 the deputy in charge of safety, 4 the mayor (escalation.py climbs these; a 催办 reaches those
    already reached)."""
    if level == 1:
        return owner_person(hazard, today)
    if level == 2:
        leader = (hazard.routing or {}).get("leader") or {}
        return holder_today(leader.get("post_id"), today)
    kind = PostKind.SAFETY_DEPUTY if level == 3 else PostKind.MAYOR
    post = Post.objects.at(today).filter(town_id=hazard.town_id, kind=kind).order_by("id").first()
    return holder_today(post.pk if post else None, today)


def name_of(user: Any) -> str:
    """A person's name for a page or a message: the linked person's, else the account's full name, else the login."""
    person = Person.objects.filter(user_id=user.pk).only("name").first()
    if person is not None:
        return person.name
    return (getattr(user, "first_name", "") or "").strip() or user.get_username()


def answerers(hazard: Hazard, today: datetime.date) -> list[Any]:
    """The accounts of those who answer for a hazard now (a 催办 goes to them): the owner unit's staff, the owner's
    head, every escalation level the hazard has reached (the leader in charge, the safety deputy, the mayor), and
    the accounts of the enterprise it is at."""
    staff = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__town_id=hazard.town_id,
            memberships__role__in=(Role.BODY_STAFF, Role.VILLAGE_STAFF),
            memberships__unit_id=hazard.owner_unit_id,
        )
        .distinct()
        .order_by("pk")
    )
    levels = range(1, max(1, hazard.escalation_level) + 1)
    people = users_of([level_person(hazard, level, today) for level in levels])
    return list(dict.fromkeys([*people, *staff, *enterprise_accounts(hazard)]))


def closing_recipients(hazard: Hazard, today: datetime.date) -> list[Any]:
    """Told when a hazard is closed (销号): who submitted it, the owner's head, the leader in charge on the
    routing, the village secretary (属地) and the enterprise's own accounts."""
    routing = hazard.routing or {}
    submitted = hazard.events.filter(kind=EventKind.SUBMITTED, actor__is_active=True).order_by("-at", "-id")
    submitter = [e.actor for e in submitted.select_related("actor")[:1]]
    seats = [routing.get("leader"), routing.get("village")]
    people = users_of([owner_person(hazard, today), *(s.get("person_id") for s in seats if s)])
    return list(dict.fromkeys([*submitter, *people, *enterprise_accounts(hazard)]))


def closed(hazard: Hazard, recipients: Iterable[Any]) -> dispatch.Outcome:
    """Tell those who answered for a hazard that it is closed (销号), in the app and by e-mail."""
    subject = f"【隐患销号】{hazard.number}"
    assert hazard.closed_on is not None
    text = (
        f"【隐患销号】{hazard.number} {hazard.sector.name}：{hazard.address}，{hazard.description[:60]}。"
        f"已于{hazard.closed_on:%Y年%m月%d日}验收合格销号（责任单位{hazard.owner_unit.name}）。"
    )
    return send(
        hazard.town, recipients, f"hazard:{hazard.pk}|closed", subject, text, url_of(hazard), robots=False
    )


def send(
    town: Town, recipients: Iterable[Any], key: str, subject: str, text: str, url: str, robots: bool = True
) -> dispatch.Outcome:
    """Tell these people, and unless `robots` is off (an extension is between its asker and its deciders) the
    town's group robots."""
    header = f"【隐患督办】{town.name}" if robots else None
    return tell(town, recipients, Note(key, subject, text, url), robot_header=header)


def announce(hazard: Hazard) -> dispatch.Outcome:
    """Tell the owner, the leader in charge, the village secretary (属地), the copied bodies and the accounts of
    the enterprise it is at; for a major hazard also the party secretary, the mayor and the deputy in charge of
    safety, at once."""
    today = timezone.localdate()
    routing = hazard.routing or {}
    seats = [routing.get("owner"), routing.get("leader"), routing.get("village"), *routing.get("copied", [])]
    person_ids = [s.get("person_id") for s in seats if s]
    if routing.get("owner", {}).get("unit_id") != hazard.owner_unit_id:  # reassigned by the 安委办
        person_ids.append(head_today(hazard.owner_unit_id, today))
    major = hazard.grade == Grade.MAJOR
    if major:
        person_ids.extend(s.get("person_id") for s in routing.get("town_leaders", []))
    recipients = users_of(person_ids)
    if major or hazard.flagged:
        recipients.extend(officers(hazard.town))
    recipients.extend(enterprise_accounts(hazard))  # the enterprise's own account hears of its hazard
    recipients = list(dict.fromkeys(recipients))
    label = "重大隐患（挂牌督办）" if major else "隐患"
    subject = f"【{label}交办】{hazard.number} {hazard.sector.name}"
    text = (
        f"【{label}交办】{hazard.number}：{hazard.address}，{hazard.description[:80]}。"
        f"责任单位：{hazard.owner_unit.name}；整改期限：{hazard.deadline:%Y年%m月%d日}。"
        + ("该行业领域无主管部门，由属地负责，请安委办协调。" if hazard.flagged else "")
    )
    key = f"hazard:{hazard.pk}|routed:{hazard.owner_unit_id}"
    return send(hazard.town, recipients, key, subject, text, url_of(hazard))


def extension_asked(extension: Extension) -> dispatch.Outcome:
    """Tell those who decide (the supervising body's staff, the 安委办 officers) that an extension waits."""
    from .access import supervising_units

    hazard = extension.hazard
    deciders = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__town_id=hazard.town_id,
            memberships__role=Role.BODY_STAFF,
            memberships__unit_id__in=supervising_units(hazard),
        )
        .distinct()
    )
    recipients = [u for u in [*deciders, *officers(hazard.town)] if u.pk != extension.asked_by_id]
    subject = f"【延期整改申请】{hazard.number}"
    text = (
        f"【延期整改申请】{hazard.number} {hazard.sector.name}：{hazard.description[:60]}。"
        f"{extension.asked_by_name}申请将整改期限由{extension.deadline_before:%Y年%m月%d日}延至"
        f"{extension.requested:%Y年%m月%d日}，理由：{extension.reason[:100]}。请审批。"
    )
    key = f"hazard:{hazard.pk}|extension:{extension.pk}|asked"
    return send(hazard.town, recipients, key, subject, text, url_of(hazard), robots=False)


def extension_decided(extension: Extension) -> dispatch.Outcome:
    """Tell the asker how their extension was decided."""
    hazard = extension.hazard
    if extension.asked_by is None or not extension.asked_by.is_active:
        return dispatch.Outcome()
    if extension.status == ExtensionStatus.APPROVED:
        assert extension.approved is not None
        subject = f"【延期整改已批准】{hazard.number}"
        text = f"{hazard.number}的整改期限已批准延至{extension.approved:%Y年%m月%d日}（原期限{extension.deadline_before:%Y年%m月%d日}）。"
    else:
        subject = f"【延期整改未批准】{hazard.number}"
        text = (
            f"{hazard.number}的延期整改申请未获批准，整改期限仍为{extension.deadline_before:%Y年%m月%d日}。"
            f"理由：{extension.decision_note[:100]}"
        )
    key = f"hazard:{hazard.pk}|extension:{extension.pk}|{extension.status}"
    return send(
        hazard.town,
        [extension.asked_by],
        key,
        subject,
        text + f"（{extension.decided_by_name}）",
        url_of(hazard),
        robots=False,
    )


def announce_recent(town: Town, today: datetime.date) -> dispatch.Outcome:
    """Retry routing notices of recent open hazards (a key already delivered is skipped)."""
    since = timezone.now() - ANNOUNCE_WINDOW
    outcome = dispatch.Outcome()
    for hazard in Hazard.objects.filter(
        town=town, status__in=OPEN_STATUSES, reported_at__gte=since
    ).select_related("sector", "owner_unit", "town"):
        outcome.add(announce(hazard))
    return outcome
