"""The audit trail: one entry per write and per security event, chained by hashes so tampering shows."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

GENESIS = "0" * 64


class AuditQuerySet(models.QuerySet["AuditEntry", "AuditEntry"]):
    """Append-only: entries are written by `yigang.audit.log.record` and never updated or deleted in bulk.

    The database refuses UPDATE too (triggers, migration 0003); only `yigang audit archive` removes entries,
    after writing them to an archive file and a checkpoint (`_archive_delete`).
    """

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise PermissionError("audit entries cannot be changed")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[AuditEntry]:
        raise PermissionError("audit entries are appended one by one through yigang.audit.log.record")

    def _archive_delete(self, last_id: int) -> int:
        # Only the archiver calls this, inside the transaction that wrote the checkpoint covering `last_id`.
        return self.filter(id__lte=last_id)._raw_delete(self.db)


class AuditEntry(models.Model):
    """An unalterable record of who did what, when, to which object, with what result."""

    at = models.DateTimeField(_("时间"), db_index=True)
    # PROTECT: deleting a user or town would rewrite these ids and break the chain; accounts are deactivated.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("用户"), max_length=150, blank=True)
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    event = models.CharField(_("事件"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象说明"), max_length=300, blank=True)
    success = models.BooleanField(_("成功"), default=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = pgettext_lazy("plural", "审计记录")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.event} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit entries cannot be deleted")

    def payload(self) -> str:
        """The canonical text the hash covers: every field but the hashes themselves."""
        return json.dumps(
            {
                # In UTC, as the database returns it, whatever time zone the caller's datetime had.
                "at": self.at.astimezone(datetime.UTC).isoformat(),
                "user": self.user_id,
                "username": self.username,
                "town": self.town_id,
                "event": self.event,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "object_repr": self.object_repr,
                "success": self.success,
                "changes": self.changes,
                "ip": self.ip,
            },
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.payload()).encode()).hexdigest()


class AuditCheckpoint(models.Model):
    """Where an archive cut the chain: entries up to `last_id` are in `archive_name`, ending in `last_hash`.

    `verify_chain` starts from the newest checkpoint, so the entries kept in the database still verify.
    """

    created_at = models.DateTimeField(_("归档时间"))
    first_id = models.BigIntegerField(_("首条编号"))
    last_id = models.BigIntegerField(_("末条编号"), unique=True)
    last_hash = models.CharField(_("末条哈希"), max_length=64)
    first_prev_hash = models.CharField(_("首条前序哈希"), max_length=64)
    count = models.PositiveIntegerField(_("条数"))
    first_at = models.DateTimeField(_("最早时间"))
    last_at = models.DateTimeField(_("最晚时间"))
    archive_name = models.CharField(_("归档文件"), max_length=255)
    archive_sha256 = models.CharField(_("归档文件校验值"), max_length=64)

    class Meta:
        verbose_name = _("审计归档点")
        verbose_name_plural = _("审计归档点")
        ordering = ["last_id"]

    def __str__(self) -> str:
        return f"#{self.first_id}–#{self.last_id} → {self.archive_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit checkpoints cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit checkpoints cannot be deleted")
