"""The stored file every kind of evidence is: duty attachments, hazard photos, accident attachments, the
file behind an assessment adjustment and the scans of signed paper.

Abstract (this package is no app and has no tables): each concrete model keeps its own table and adds what
ties the file to its business row. The fields are those the concrete models had, to the verbose name, so the
schema is unchanged; a model whose field differs (the scans' shorter name, the adjustment's creator) overrides
that one field, in its own class, where the difference can be seen.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """Typed by content, size-limited and checksummed at upload (`yigang.evidence.uploads.check`), served only
    through `yigang.evidence.download.serve` after the calling view's own scope check."""

    # A path under MEDIA_ROOT the server chose; never the uploader's name.
    file = models.FileField(_("文件"), max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
