"""The regulation as data: versions, chapters, articles, items, the posts it binds and their frequency duties."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yigang.towns.models import Town, TownScopedQuerySet
from yigang.words import chinese_number

from .choices import ALL_POSTS, Designation, DutyKind, Level, Period, PostKind, RegionPost
from .parser.document import simplify
from .parser.header import effective_date


class ViaRegulation(TownScopedQuerySet[Any]):
    town_field = "regulation__town"


class ViaArticle(TownScopedQuerySet[Any]):
    town_field = "article__regulation__town"


class Status(models.TextChoices):
    DRAFT = "draft", _("待审核")
    ACTIVE = "active", _("现行有效")
    SUPERSEDED = "superseded", _("已被替代")
    DISCARDED = "discarded", _("已作废")


_NULLABLE: dict[str, Any] = {"null": True, "blank": True}


class Regulation(models.Model):
    """One version of a town's regulation, or of a level's above it (a 旗县's, a 盟市's: issue 25.5), with its
    source text kept verbatim. Exactly one of `town` and `region` owns it; a region's version has no town, so every
    town-scoped read (`for_user`, `filter(town=…)`) leaves it out."""

    # Nullable in the database (a region's version has none) but typed as a Town (the options passed as a dict,
    # which the type checker's Django plugin does not read): every reader outside this app reaches a regulation
    # through its town (`filter(town=…)`, `for_user`), so the one it holds has a town. The region's pages and the
    # model check (region_views, model_check, actions.owner_of) go by `region` and test `town_id`.
    town: models.ForeignKey[Town, Town] = models.ForeignKey(
        "towns.Town", on_delete=models.PROTECT, related_name="regulations", **_NULLABLE
    )
    region = models.ForeignKey(
        "towns.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regulations",
        verbose_name=_("行政区域"),
    )
    title = models.CharField(_("标题"), max_length=300)
    issuer = models.CharField(_("发文机关"), max_length=200, blank=True)
    issued_on = models.DateField(_("发文日期"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    recipients = models.CharField(_("主送"), max_length=300, blank=True)
    reason = models.CharField(_("修订原因"), max_length=500, blank=True)
    preamble = models.TextField(_("通知正文"), blank=True)
    version = models.PositiveIntegerField(_("版本"))
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("替代版本")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    effective_until = models.DateField(_("失效日期"), null=True, blank=True)
    source_text = models.TextField(_("原文"))
    source_filename = models.CharField(_("原文件名"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("原文校验值"), max_length=64)
    parse_warnings = models.JSONField(_("解析提示"), default=list, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    activated_at = models.DateTimeField(_("启用时间"), null=True, blank=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("制度")
        verbose_name_plural = pgettext_lazy("plural", "制度")
        ordering = ["town", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["town", "version"], name="regulation_unique_version"),
            models.UniqueConstraint(
                fields=["town"], condition=Q(status="active"), name="regulation_one_active_per_town"
            ),
            models.UniqueConstraint(fields=["region", "version"], name="regulation_unique_region_version"),
            models.UniqueConstraint(
                fields=["region"], condition=Q(status="active"), name="regulation_one_active_per_region"
            ),
            models.CheckConstraint(
                condition=(Q(town__isnull=False) & Q(region__isnull=True))
                | (Q(town__isnull=True) & Q(region__isnull=False)),
                name="regulation_owned_by_town_or_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def stated_effective_from(self) -> datetime.date | None:
        """The day the text itself names (自…起施行), the default when the regulation is put in force."""
        return effective_date(simplify(self.source_text), self.issued_on)


class Chapter(models.Model):
    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveIntegerField(_("章"))
    title = models.CharField(_("章名"), max_length=200)

    objects = ViaRegulation.as_manager()

    class Meta:
        verbose_name = _("章")
        verbose_name_plural = _("章")
        ordering = ["regulation", "number"]
        constraints = [models.UniqueConstraint(fields=["regulation", "number"], name="chapter_unique_number")]

    def __str__(self) -> str:
        return f"第{chinese_number(self.number)}章 {self.title}"


class Article(models.Model):
    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="articles")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="articles"
    )
    number = models.PositiveIntegerField(_("条"))
    heading = models.TextField(_("条文导语"), blank=True)
    text = models.TextField(_("条文"))
    post = models.CharField(_("所涉岗位"), max_length=40, choices=ALL_POSTS, blank=True)

    objects = ViaRegulation.as_manager()

    class Meta:
        verbose_name = _("条")
        verbose_name_plural = _("条")
        ordering = ["regulation", "number"]
        constraints = [models.UniqueConstraint(fields=["regulation", "number"], name="article_unique_number")]

    def __str__(self) -> str:
        return f"第{chinese_number(self.number)}条"


class Item(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField(_("项"))
    text = models.TextField(_("内容"))

    objects = ViaArticle.as_manager()

    class Meta:
        verbose_name = _("项")
        verbose_name_plural = _("项")
        ordering = ["article", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="item_unique_number")]

    def __str__(self) -> str:
        return f"{self.article}第{self.number}项"


class RegulationPost(models.Model):
    """A post the regulation binds, with the level of responsibility Art. 3 gives it."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="posts")
    kind = models.CharField(_("岗位"), max_length=40, choices=ALL_POSTS)
    level = models.CharField(_("责任层级"), max_length=20, choices=Level.choices)
    designation = models.CharField(_("责任定位"), max_length=20, choices=Designation.choices)
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ViaRegulation.as_manager()

    class Meta:
        verbose_name = _("制度岗位")
        verbose_name_plural = _("制度岗位")
        ordering = ["regulation", "article__number", "kind"]
        constraints = [models.UniqueConstraint(fields=["regulation", "kind"], name="regulation_post_unique")]

    def __str__(self) -> str:
        return self.get_kind_display()


class Duty(models.Model):
    """A duty with a frequency (or 定期 without a count) that binds a post; compliance counts against it."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="duties")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="duties"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, null=True, blank=True, related_name="duties")
    post = models.CharField(_("岗位"), max_length=40, choices=ALL_POSTS, blank=True)
    kind = models.CharField(_("履职方式"), max_length=20, choices=DutyKind.choices, default=DutyKind.OTHER)
    min_count = models.PositiveIntegerField(_("最少次数"), null=True, blank=True)
    period = models.CharField(_("周期"), max_length=20, choices=Period.choices, blank=True)
    text = models.TextField(_("条文"))
    phrase = models.CharField(_("频次原文"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("顺序"), default=0)
    corrected = models.BooleanField(_("已人工校正"), default=False)
    # On a region's regulation: the level requires this duty of every town below it (issue 25.5). The mark is
    # the version's own: a new version carries it to the same duty or asks again (actions.import_regulation).
    is_model = models.BooleanField(_("示范条款"), default=False)

    objects = ViaRegulation.as_manager()

    class Meta:
        verbose_name = _("履职要求")
        verbose_name_plural = _("履职要求")
        ordering = ["regulation", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_count__isnull=True) | Q(min_count__gte=1), name="duty_count_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_count__isnull=True) | ~Q(period=""), name="duty_count_needs_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_post_display() or '—'}：{self.frequency_label}"

    @property
    def frequency_label(self) -> str:
        if self.min_count is None:
            return str(_("定期"))
        return f"{self.get_period_display()}至少{self.min_count}次"

    @property
    def place_label(self) -> str:
        parts = []
        if self.article_id is not None and self.article is not None:
            parts.append(str(self.article))
        if self.item_id is not None and self.item is not None:
            parts.append(f"第{self.item.number}项")
        return "".join(parts)


class SectorClaim(models.Model):
    """A body and the sectors it supervises as the regulation lists them (Art. 12 of the seed)."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="sector_claims")
    item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    unit_name = models.CharField(_("单位"), max_length=120)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    sectors = models.JSONField(_("行业领域"), default=list, help_text=_('[{"name": …, "scope": …}]'))

    objects = ViaRegulation.as_manager()

    class Meta:
        verbose_name = _("制度所列监管职责")
        verbose_name_plural = _("制度所列监管职责")
        ordering = ["regulation", "id"]

    def __str__(self) -> str:
        return self.unit_name


class PostMapping(models.Model):
    """Which town post a level's post stands for when its model duties are held against the towns (issue 25.5).

    Without a row the default of `choices.DEFAULT_TOWN_POST` holds (旗委书记 ↔ 镇党委书记, 旗长 ↔ 镇长 …); a row
    is the region's own correction, and an empty `town_post` says no town post answers for it.
    """

    region = models.ForeignKey(
        "towns.Region", on_delete=models.PROTECT, related_name="post_mappings", verbose_name=_("行政区域")
    )
    region_post = models.CharField(_("本级岗位"), max_length=40, choices=RegionPost.choices)
    town_post = models.CharField(_("乡镇岗位"), max_length=40, choices=PostKind.choices, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("岗位对应")
        verbose_name_plural = _("岗位对应")
        ordering = ["region", "region_post"]
        constraints = [
            models.UniqueConstraint(fields=["region", "region_post"], name="post_mapping_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_region_post_display()} → {self.get_town_post_display() or '—'}"
