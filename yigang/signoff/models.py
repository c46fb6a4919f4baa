"""Sign-off (签收确认): what each holder must read and confirm, and the confirmations themselves.

A `Document` is one thing to confirm: a regulation version (distributed to every holder of a post it names),
a year's 责任清单 round (each holder confirms their own list), or a year's 目标责任书 (one `TargetLetter` per body,
village and, optionally, leader, confirmed by both sides). A `Task` asks one person, holding one post, to confirm
one exact text; when the holder or the text changes the task ends and a new one opens. A `Confirmation` is
evidence: who, when, from where, how and the SHA-256 of the exact text; it is never edited or deleted.

Sign-off status is town-wide reference data like the register (who holds which post): every reading role of the
town sees it; only the holder confirms, only the 安委办 officer distributes and edits the target template.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yigang.evidence.models import StoredFile
from yigang.towns.models import TownScopedQuerySet


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Kind(models.TextChoices):
    REGULATION = "regulation", _("制度")
    DUTY_LIST = "duty_list", _("责任清单")
    TARGET_LETTER = "target_letter", _("目标责任书")


class Document(models.Model):
    """One thing to confirm: a regulation version, a year's duty lists, or a year's target letters."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    year = models.PositiveIntegerField(_("年度"), null=True, blank=True)
    regulation = models.ForeignKey(
        "regulations.Regulation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("制度版本"),
    )
    title = models.CharField(_("标题"), max_length=300)
    include_leaders = models.BooleanField(_("与镇领导签订"), default=False)
    issued_at = models.DateTimeField(
        _("下发时间"), null=True, blank=True, help_text=_("空：目标责任书模板编辑中")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("签收文件")
        verbose_name_plural = _("签收文件")
        ordering = ["town", "-year", "kind", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regulation"], condition=Q(kind="regulation"), name="signoff_one_per_regulation"
            ),
            models.UniqueConstraint(
                fields=["town", "kind", "year"],
                condition=Q(kind__in=["duty_list", "target_letter"]),
                name="signoff_one_per_town_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.issued_at is None


class ViaDocument(TownScopedQuerySet[Any]):
    town_field = "document__town"


class ViaConfirmation(TownScopedQuerySet[Any]):
    town_field = "confirmation__task__document__town"


class TargetItem(models.Model):
    """One target of a year's 目标责任书 template, measured by an indicator of Yigang's data where one exists."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("顺序"))
    text = models.CharField(_("目标内容"), max_length=300)
    indicator = models.CharField(_("考核指标"), max_length=40, blank=True)
    target = models.CharField(_("目标值"), max_length=20, blank=True)

    objects = ViaDocument.as_manager()

    class Meta:
        verbose_name = _("目标条目")
        verbose_name_plural = _("目标条目")
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return self.text


class TargetLetter(models.Model):
    """The letter between the town (甲方) and one body, village or leader (乙方), its text frozen at issue."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="letters")
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("乙方单位")
    )
    post = models.ForeignKey(
        "org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("乙方签署岗位")
    )
    party_b = models.CharField(_("乙方"), max_length=200)
    text = models.TextField(_("正文"))
    text_sha256 = models.CharField(_("正文校验值"), max_length=64)

    objects = ViaDocument.as_manager()

    class Meta:
        verbose_name = _("目标责任书")
        verbose_name_plural = _("目标责任书")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.party_b


class Side(models.TextChoices):
    HOLDER = "", _("本人")
    TOWN = "town", _("甲方（镇）")
    PARTY_B = "party_b", _("乙方")


class Task(models.Model):
    """One person, holding one post, asked to confirm one exact text; ends when the holder or the text changes."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="tasks")
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("岗位"))
    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    letter = models.ForeignKey(
        TargetLetter, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    side = models.CharField(_("签署方"), max_length=10, choices=Side.choices, blank=True, default="")
    regulation = models.ForeignKey(
        "regulations.Regulation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("依据版本"),
    )
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("文本"))
    text_sha256 = models.CharField(_("文本校验值"), max_length=64)
    created_at = models.DateTimeField(_("下发时间"), auto_now_add=True)
    ended_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    end_reason = models.CharField(_("失效原因"), max_length=100, blank=True)

    objects = ViaDocument.as_manager()

    class Meta:
        verbose_name = _("签收任务")
        verbose_name_plural = _("签收任务")
        ordering = ["document", "post__unit__name", "post__title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "post", "person"],
                condition=Q(ended_at__isnull=True, letter__isnull=True),
                name="signoff_task_one_open_per_holder",
            ),
            models.UniqueConstraint(
                fields=["letter", "side"],
                condition=Q(ended_at__isnull=True, letter__isnull=False),
                name="signoff_task_one_open_per_letter_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.person}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class ConfirmationQuerySet(TownScopedQuerySet["Confirmation"]):
    town_field = "task__document__town"

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("确认记录不可修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("确认记录不可删除")


class Method(models.TextChoices):
    PASSWORD = "password", _("重新输入密码")
    OTP = "otp", _("动态验证码")
    PAPER = "paper", _("纸质签字（安委办录入）")


class Confirmation(models.Model):
    """已阅知/已签署: evidence that one person confirmed one exact text. Never edited or deleted.

    `user` is the account that made the entry: the holder themselves, or — for a signature on paper
    (Method.PAPER) — the 安委办 officer who recorded it with the scan; `signed_on` is then the date on the paper,
    `at` the time it was entered."""

    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="confirmation")
    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("确认人")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("确认时间"))
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    method = models.CharField(_("验证方式"), max_length=10, choices=Method.choices)
    sha256 = models.CharField(_("所确认文本的 SHA-256"), max_length=64)
    signed_on = models.DateField(_("纸质件签字日期"), null=True, blank=True)

    objects = ConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("签收确认")
        verbose_name_plural = _("签收确认")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise PermissionError("确认记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("确认记录不可删除")


class Scan(StoredFile):
    """A scan of the paper copy signed by hand, attached to a confirmation (kept, never replaced).

    Its table is older than the shared stored file: a shorter name, a smaller size column, the checksum's own
    label, and an uploader who is required and kept (PROTECT) — overridden here so the schema stays."""

    confirmation = models.ForeignKey(Confirmation, on_delete=models.PROTECT, related_name="scans")
    name = models.CharField(_("文件名"), max_length=120)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("校验值"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ViaConfirmation.as_manager()

    class Meta:
        verbose_name = _("签字扫描件")
        verbose_name_plural = _("签字扫描件")
        ordering = ["confirmation", "id"]


class Policy(models.Model):
    """When the missing are reminded and when their leader is told (each notice once)."""

    town = models.OneToOneField("towns.Town", on_delete=models.CASCADE, related_name="+")
    remind_after_days = models.PositiveIntegerField(_("下发后几天提醒本人"), default=3)
    escalate_after_days = models.PositiveIntegerField(_("下发后几天告知其分管领导"), default=7)

    class Meta:
        verbose_name = _("签收提醒设置")
        verbose_name_plural = _("签收提醒设置")

    def __str__(self) -> str:
        return f"{self.town_id}: {self.remind_after_days}/{self.escalate_after_days}"

    @classmethod
    def for_town(cls, town: Any) -> Policy:
        return cls.objects.filter(town=town).first() or cls(town=town)
