"""The audit trail: one entry per write and per security event, chained by hashes so tampering shows."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yigang.towns.models import TownScopedQuerySet

GENESIS = "0" * 64


class AuditEntry(models.Model):
    """An unalterable record of who did what, when, to which object, with what result."""

    at = models.DateTimeField(_("时间"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("用户"), max_length=150, blank=True)
    town = models.ForeignKey("towns.Town", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    event = models.CharField(_("事件"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象说明"), max_length=300, blank=True)
    success = models.BooleanField(_("成功"), default=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
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
                "at": self.at.isoformat(),
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
