"""Deliver messages at most once per key, on any channel, logging every try.

A caller (e.g. the duty reminders) names each message with a key that says what it is about and to whom
(`duty:…|post:…|period:…|stage:…|channel:…|to:…`). A key already delivered is skipped, so the caller may run
any number of times; a key that failed is retried on a later run, up to `MAX_ATTEMPTS`. E-mail and robots
bundle the new messages of one run into as few sends as their size limits allow.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import channels
from .models import Channel, Delivery, DeliveryAttempt, DeliveryStatus, Notification, Robot, kind_of_key

MAX_ATTEMPTS = 5
# A delivery claimed by a run that died mid-send is taken over after this long.
STALE_CLAIM = datetime.timedelta(minutes=15)


@dataclass
class Message:
    key: str
    subject: str
    text: str
    url: str = ""


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.skipped += other.skipped
        self.errors.extend(other.errors)


def _claim(town: Any, channel: str, recipient: str, message: Message) -> Delivery | None:
    """Take the message for this run, or None if it was delivered, is being delivered, or gave up."""
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(key=message.key).first()
        if delivery is None:
            try:
                with transaction.atomic():
                    return Delivery.objects.create(
                        key=message.key,
                        town=town,
                        channel=channel,
                        recipient=recipient[:300],
                        subject=message.subject[:200],
                        body=message.text,
                        claimed_at=now,
                    )
            except IntegrityError:  # another run created it a moment ago: it is theirs
                return None
        if delivery.status == DeliveryStatus.SENT or delivery.attempts >= MAX_ATTEMPTS:
            return None
        if (
            delivery.status == DeliveryStatus.PENDING
            and delivery.claimed_at
            and now - delivery.claimed_at < STALE_CLAIM
        ):
            return None
        delivery.status = DeliveryStatus.PENDING
        delivery.claimed_at = now
        delivery.save(update_fields=["status", "claimed_at"])
        return delivery


def _finish(deliveries: Sequence[Delivery], ok: bool, detail: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        for delivery in deliveries:
            delivery.attempts += 1
            delivery.status = DeliveryStatus.SENT if ok else DeliveryStatus.FAILED
            delivery.sent_at = now if ok else None
            delivery.last_error = "" if ok else detail[:2000]
            delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(delivery=d, ok=ok, detail=detail[:2000]) for d in deliveries
        )


def _claim_all(town: Any, channel: str, recipient: str, messages: Sequence[Message]) -> list[Delivery]:
    claimed = []
    for message in messages:
        delivery = _claim(town, channel, recipient, message)
        if delivery is not None:
            claimed.append(delivery)
    return claimed


def in_app(*, town: Any, user: Any, messages: Sequence[Message]) -> Outcome:
    """One notification per message in the user's bell."""
    outcome = Outcome(skipped=len(messages))
    by_key = {m.key: m for m in messages}
    for delivery in _claim_all(town, Channel.IN_APP, user.get_username(), messages):
        message = by_key[delivery.key]
        with transaction.atomic():
            Notification.objects.create(
                user=user,
                town=town,
                title=message.subject[:200],
                body=message.text,
                url=message.url[:300],
                kind=kind_of_key(message.key),
            )
            _finish([delivery], True, "")
        outcome.sent += 1
        outcome.skipped -= 1
    return outcome


def email(*, town: Any, user: Any, subject: str, messages: Sequence[Message]) -> Outcome:
    """The new messages for one user in one e-mail; users without an address get none (nothing to log)."""
    address = (getattr(user, "email", "") or "").strip()
    if not address or not channels.email_enabled() or not messages:
        return Outcome()
    claimed = _claim_all(town, Channel.EMAIL, address, messages)
    outcome = Outcome(skipped=len(messages) - len(claimed))
    if not claimed:
        return outcome
    body = "\n\n".join(d.body for d in claimed)
    try:
        detail = channels.send_email(address, subject, body)
        ok = True
    except channels.DeliveryError as exc:
        detail, ok = str(exc), False
    _finish(claimed, ok, detail)
    if ok:
        outcome.sent += len(claimed)
    else:
        outcome.failed += len(claimed)
        outcome.errors.append(f"{address}: {detail}")
    return outcome


def robot(*, robot: Robot, header: str, messages: Sequence[Message]) -> Outcome:
    """The new messages posted to a group robot, a few lines per post within the robot's size limit."""
    channel = Channel.DINGTALK if robot.kind == "dingtalk" else Channel.WECOM
    claimed = _claim_all(robot.town, channel, f"robot:{robot.pk}:{robot.name}", messages)
    outcome = Outcome(skipped=len(messages) - len(claimed))
    lines = [d.body[: channels.MAX_TEXT_BYTES // 3] for d in claimed]
    for chunk in channels.split_text(lines, header):
        batch = [claimed[i] for i in chunk]
        text = "\n".join([header, *(lines[i] for i in chunk)])
        try:
            detail = channels.post_robot(robot, text)
            ok = True
        except channels.DeliveryError as exc:
            detail, ok = str(exc), False
        except Exception as exc:  # never the run: a failing robot fails its own deliveries, logged
            detail, ok = f"发送失败：{type(exc).__name__}: {exc}"[:500], False
        _finish(batch, ok, detail)
        if ok:
            outcome.sent += len(batch)
        else:
            outcome.failed += len(batch)
            outcome.errors.append(f"{robot.name}: {detail}")
    return outcome
