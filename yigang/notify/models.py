"""In-app notifications, the group robots a town posts to, and the log of every delivery and failure."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yigang.towns.models import TownScopedQuerySet


class NotificationKind(models.TextChoices):
    """What a notification is about, read off the first word of its delivery key (see `kind_of_key`)."""

    HAZARD = "hazard", _("隐患")
    ACCIDENT = "accident", _("事故")
    DUTY = "duty", _("履职提醒")
    SIGNOFF = "signoff", _("签收确认")
    OTHER = "other", _("其他")


# The first word of a delivery key (`hazard:12|…`, `town_duty:3|…`) → its kind; anything else is 其他.
KEY_KINDS = {
    "hazard": NotificationKind.HAZARD,
    "accident": NotificationKind.ACCIDENT,
    "duty": NotificationKind.DUTY,
    "town_duty": NotificationKind.DUTY,
    "signoff": NotificationKind.SIGNOFF,
}


def kind_of_key(key: str) -> str:
    """The kind of a notification sent under this delivery key."""
    word = key.split("|", 1)[0].split(":", 1)[0]
    return KEY_KINDS.get(word, NotificationKind.OTHER)


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: Any) -> NotificationQuerySet:
        """A user sees only the notifications addressed to them."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message shown in the app to one user (the bell in the header)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("用户"),
    )
    town = models.ForeignKey(
        "towns.Town",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("乡镇"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    kind = models.CharField(
        _("类别"), max_length=20, choices=NotificationKind.choices, default=NotificationKind.OTHER
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title


class RobotKind(models.TextChoices):
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WECOM = "wecom", _("企业微信群机器人")


class Robot(models.Model):
    """A DingTalk or WeCom group robot (custom webhook) a town's reminders are posted to."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=20, choices=RobotKind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    # DingTalk's optional signing secret (加签, starts with SEC). Kept in the database like the webhook URL
    # itself, which is equally a credential; only officers of the town see either, and only masked.
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = pgettext_lazy("plural", "群机器人")
        ordering = ["town", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="robot_unique_name_in_town")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    @property
    def masked_url(self) -> str:
        head, sep, _query = self.url.partition("?")
        return f"{head}{sep}…" if sep else head


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内通知")
    EMAIL = "email", _("电子邮件")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WECOM = "wecom", _("企业微信群机器人")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("发送中")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("失败")


class Delivery(models.Model):
    """One message to one recipient on one channel, identified by a key so it is sent at most once."""

    key = models.CharField(_("幂等键"), max_length=255, unique=True)
    town = models.ForeignKey(
        "towns.Town",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("乡镇"),
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    recipient = models.CharField(_("接收方"), max_length=300)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    status = models.CharField(
        _("状态"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    claimed_at = models.DateTimeField(_("开始发送"), null=True, blank=True)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent") | Q(sent_at__isnull=True), name="delivery_sent_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject}"


class DeliveryAttempt(models.Model):
    """The log: every try to deliver, successful or not, with the error or the server's answer."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="log", verbose_name=_("投递")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    ok = models.BooleanField(_("成功"))
    detail = models.TextField(_("详情"), blank=True)

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {'ok' if self.ok else 'failed'} {self.at:%Y-%m-%d %H:%M}"
