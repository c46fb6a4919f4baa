"""Writes to notification settings and state: one transaction and one audit entry each."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yigang.audit.log import record
from yigang.towns.models import Town

from . import dispatch
from .channels import check_webhook_url
from .models import Notification, NotificationKind, Robot, RobotKind


def add_robot(*, town: Town, name: str, kind: str, url: str, secret: str = "", actor: Any) -> Robot:
    """A DingTalk or WeCom group robot that receives the town's reminders."""
    name = " ".join(name.split())
    url = url.strip()
    secret = secret.strip()
    if not name:
        raise ValidationError("请填写机器人名称。")
    if len(name) > 80:
        raise ValidationError("机器人名称不能超过 80 个字。")
    if kind not in RobotKind.values:
        raise ValidationError("机器人类型无效。")
    refusal = check_webhook_url(url)
    if refusal:
        raise ValidationError(refusal)
    if secret and kind != RobotKind.DINGTALK:
        raise ValidationError("只有钉钉机器人使用加签密钥。")
    if Robot.objects.filter(town=town, name=name).exists():
        raise ValidationError(f"已有名为“{name}”的机器人。")
    with transaction.atomic():
        robot = Robot.objects.create(town=town, name=name, kind=kind, url=url, secret=secret)
        # The URL and secret are credentials: the audit trail keeps that they were set, not their values.
        record(
            "notify.robot.add",
            actor=actor,
            obj=robot,
            changes={"name": name, "kind": kind, "url": robot.masked_url, "signed": bool(secret)},
        )
    return robot


def set_robot_active(*, robot: Robot, active: bool, actor: Any) -> Robot:
    """Pause or resume posting to a robot."""
    if robot.active == active:
        return robot
    with transaction.atomic():
        robot.active = active
        robot.save(update_fields=["active"])
        record("notify.robot.active", actor=actor, obj=robot, changes={"active": [not active, active]})
    return robot


def remove_robot(*, robot: Robot, actor: Any) -> None:
    """Forget a robot (its past deliveries stay in the log)."""
    with transaction.atomic():
        record(
            "notify.robot.remove",
            actor=actor,
            obj=robot,
            changes={"name": robot.name, "kind": robot.kind, "url": robot.masked_url},
        )
        robot.delete()


def send_test_message(*, robot: Robot, actor: Any) -> dispatch.Outcome:
    """Post a test message now; the outcome is in the delivery log like any other."""
    message = dispatch.Message(
        key=f"robot-test:{robot.pk}:{uuid.uuid4().hex}",
        subject="测试消息",
        text=f"这是一岗双责系统发往“{robot.name}”的测试消息。",
    )
    outcome = dispatch.robot(robot=robot, header="【一岗双责】", messages=[message])
    record(
        "notify.robot.test",
        actor=actor,
        obj=robot,
        success=outcome.failed == 0,
        changes={"sent": outcome.sent, "errors": outcome.errors},
    )
    return outcome


def mark_read(*, notification: Notification, actor: Any) -> Notification:
    """The user has seen one notification."""
    if notification.read_at is not None:
        return notification
    with transaction.atomic():
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        record("notify.read", actor=actor, obj=notification, town=notification.town)
    return notification


def mark_all_read(*, user: Any, actor: Any, kind: str | None = None) -> int:
    """The user has seen every unread notification in their own bell, or every one of one `kind`. Only the
    user's own are touched (`for_user`), whoever the actor; an unknown kind is refused, not read as "all"."""
    if kind is not None and kind not in NotificationKind.values:
        raise ValidationError("通知类别无效。")
    with transaction.atomic():
        unread = Notification.objects.for_user(user).unread()
        if kind is not None:
            unread = unread.filter(kind=kind)
        count = unread.update(read_at=timezone.now())
        if count:
            changes: dict[str, Any] = {"count": count}
            if kind is not None:
                changes["kind"] = kind
            record("notify.read_all", actor=actor, changes=changes)
    return count
