"""Who is responsible: units (bodies, villages, enterprises), the sectors they supervise, posts, people.

Everything that changes over time carries its dates so the register can answer for any past day
(lifelong accountability): units and posts (`valid_from`/`valid_until`), supervision, tenures and portfolios
(`start`/`end`); all bounds are inclusive and an empty bound is open. A reorganisation (机构改革) ends records
and starts new ones on its effective date; it never rewrites them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yigang.regulations.choices import PostKind
from yigang.towns.models import TownScopedQuerySet


def in_force(day: datetime.date, start: str = "start", end: str = "end", prefix: str = "") -> Q:
    """Records whose inclusive span [start, end] holds `day`; an empty bound is open."""
    return (Q(**{f"{prefix}{start}__isnull": True}) | Q(**{f"{prefix}{start}__lte": day})) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": day})
    )


class DatedQuerySet(TownScopedQuerySet[Any]):
    """A town-scoped queryset whose rows hold for a span of days."""

    start_field = "start"
    end_field = "end"

    def at(self, day: datetime.date) -> DatedQuerySet:
        return self.filter(in_force(day, self.start_field, self.end_field))


class ValidQuerySet(DatedQuerySet):
    start_field = "valid_from"
    end_field = "valid_until"


class EntryTimes(models.Model):
    """When the register itself recorded a dated row and its end (issue 21): the accountability file shows a
    chain as it stood on record at a moment, and flags rows entered or ended later for dates before it.

    `recorded_at` is stamped when the row is made; `end_recorded_at` when its end is set afterwards (a row made
    with its end already given has it entered at `recorded_at`). Rows made before entry times were kept have
    neither: nothing is invented for them (`entered_unknown`).
    """

    recorded_at = models.DateTimeField(
        _("录入时间"), null=True, blank=True, default=timezone.now, editable=False
    )
    end_recorded_at = models.DateTimeField(_("终止日期录入时间"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        loaded = getattr(self, "_loaded_end", None)
        if not self._state.adding and self.end is not None and self.end != loaded:  # type: ignore[attr-defined]
            self.end_recorded_at = timezone.now()
            fields = kwargs.get("update_fields")
            if fields is not None and "end_recorded_at" not in fields:
                kwargs["update_fields"] = [*fields, "end_recorded_at"]
        super().save(*args, **kwargs)
        self._loaded_end = self.end  # type: ignore[attr-defined]

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        instance._loaded_end = instance.__dict__.get("end")
        return instance

    @property
    def end_entered_at(self) -> datetime.datetime | None:
        """When the end now on record was entered (None: open, or entered before entry times were kept)."""
        if self.end is None:  # type: ignore[attr-defined]
            return None
        return self.end_recorded_at or self.recorded_at


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("镇人民政府")
    PARTY = "party", _("镇党委")
    CONGRESS = "congress", _("镇人大")
    DISCIPLINE = "discipline", _("镇纪委")
    BODY = "body", _("镇属机构及驻镇单位")
    VILLAGE = "village", _("嘎查村（社区）")
    ENTERPRISE = "enterprise", _("生产经营单位")
    COUNTY = "county", _("旗县级行业主管部门")


# A post the register knows beyond the regulation's own kinds: the enterprise's legal representative bears its
# 主体责任 (Safety Law Art. 5; Art. 3 of the regulation: each 企事业单位's principal head). The regulation binds
# no duty to it, so it lives here and not in `PostKind` (which the parser and the duty lists share).
ENTERPRISE_HEAD = "enterprise_head"
POST_KINDS: list[tuple[str, Any]] = [*PostKind.choices, (ENTERPRISE_HEAD, _("法定代表人（主体责任）"))]
POST_KIND_VALUES = [value for value, _label in POST_KINDS]
# The posts that head a unit (its 负责人): a body's head, a village's party secretary (org/selectors.py).
HEAD_POST_KINDS = (PostKind.DEPARTMENT_HEAD, PostKind.VILLAGE_SECRETARY)


class Unit(models.Model):
    """A body of the town: government, party committee, an office, a stationed unit, a village, an enterprise.

    A unit keeps its name for life: a rename, merger or split (UnitChange) ends it the day before the effective
    date and starts its successors, so the register shows the names that were in force on any day.
    """

    town = models.ForeignKey(
        "towns.Town", on_delete=models.PROTECT, related_name="units", verbose_name=_("乡镇")
    )
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=20, choices=UnitKind.choices, default=UnitKind.BODY)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    active = models.BooleanField(_("现存"), default=True, help_text=_("机构改革撤销后为否"))
    valid_from = models.DateField(_("设立日期"), null=True, blank=True, help_text=_("空：登记前已存在"))
    valid_until = models.DateField(_("撤销日期"), null=True, blank=True, help_text=_("存续的最后一天"))
    sector = models.ForeignKey(
        "Sector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("所属行业领域"),
        help_text=_("仅生产经营单位填写"),
    )
    village = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises_here",
        verbose_name=_("所在嘎查村（社区）"),
        help_text=_("仅生产经营单位填写"),
    )

    objects = ValidQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = pgettext_lazy("plural", "单位")
        ordering = ["kind", "name"]
        constraints = [
            # A dissolved unit keeps its name on record; a later unit may take the name again.
            models.UniqueConstraint(
                fields=["town", "name"], condition=Q(active=True), name="unit_unique_current_name_in_town"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="unit_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_enterprise(self) -> bool:
        return self.kind == UnitKind.ENTERPRISE

    def exists_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or self.valid_until >= day
        )


class Sector(models.Model):
    """A sector (行业领域) of safety work, e.g. 道路交通, 烟花爆竹, 九小场所消防."""

    town = models.ForeignKey(
        "towns.Town", on_delete=models.PROTECT, related_name="sectors", verbose_name=_("乡镇")
    )
    name = models.CharField(_("行业领域"), max_length=80)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    # Other names the town's documents use for it (烟花鞭炮 = 烟花爆竹), and the wider sector it is part of
    # (道路 ⊂ 道路交通): the lint flags bodies that supervise the same ground under different names.
    synonyms = models.CharField(
        _("同义词"), max_length=300, blank=True, help_text=_("用顿号分隔，如：烟花鞭炮、鞭炮")
    )
    broader = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="narrower",
        verbose_name=_("所属行业领域"),
        help_text=_("如：道路属于道路交通"),
    )

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("行业领域")
        verbose_name_plural = _("行业领域")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="sector_unique_name_in_town")]

    def __str__(self) -> str:
        return self.name


class Supervision(EntryTimes):
    """A body supervises a sector (谁主管、谁负责), possibly only part of it (`scope`, e.g. 运输, 九小场所)."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    sector = models.ForeignKey(
        Sector, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("行业领域")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("监管单位")
    )
    scope = models.CharField(_("范围"), max_length=80, blank=True)
    source = models.CharField(_("依据"), max_length=120, blank=True, help_text=_("如：第十二条第7项"))
    start = models.DateField(_("起始日期"), null=True, blank=True, help_text=_("空：登记前已开始"))
    end = models.DateField(_("终止日期"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("行业监管")
        verbose_name_plural = _("行业监管")
        ordering = ["sector__name", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "unit", "scope"],
                condition=Q(end__isnull=True),
                name="supervision_unique_open",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="supervision_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        scope = f"（{self.scope}）" if self.scope else ""
        return f"{self.unit} → {self.sector}{scope}"


class Post(models.Model):
    """A seat with duties (镇长); duties attach to the post through its kind, not to the person."""

    town = models.ForeignKey(
        "towns.Town", on_delete=models.PROTECT, related_name="posts", verbose_name=_("乡镇")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="posts", verbose_name=_("单位"))
    title = models.CharField(_("岗位名称"), max_length=120)
    kind = models.CharField(_("制度岗位"), max_length=40, choices=POST_KINDS, blank=True)
    active = models.BooleanField(_("现设"), default=True)
    valid_from = models.DateField(_("设立日期"), null=True, blank=True)
    valid_until = models.DateField(_("撤销日期"), null=True, blank=True)

    objects = ValidQuerySet.as_manager()

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["unit__name", "title"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "title"], name="post_unique_title_in_unit"),
            models.CheckConstraint(condition=~Q(title=""), name="post_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class Person(models.Model):
    """A person who holds or held posts; kept for lifelong accountability, never deleted."""

    town = models.ForeignKey(
        "towns.Town", on_delete=models.PROTECT, related_name="people", verbose_name=_("乡镇")
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("系统账号"),
    )

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = pgettext_lazy("plural", "人员")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Tenure(EntryTimes):
    """A person held a post from `start` to `end` (inclusive; open while `end` is empty)."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="tenures", verbose_name=_("岗位"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="tenures", verbose_name=_("人员")
    )
    start = models.DateField(_("任职日期"))
    end = models.DateField(_("离任日期"), null=True, blank=True)
    note = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("任免文件等"))

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["post", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="tenure_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["post", "start", "end"], name="tenure_post_dates")]

    def __str__(self) -> str:
        return f"{self.person} · {self.post} · {self.start}—{self.end or ''}"


class Portfolio(EntryTimes):
    """分管: a leader's post is in charge of a body or a sector over a span of dates."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="portfolios", verbose_name=_("分管领导岗位")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portfolios",
        verbose_name=_("分管单位"),
    )
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portfolios",
        verbose_name=_("分管行业领域"),
    )
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("终止日期"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("分管")
        verbose_name_plural = _("分管")
        ordering = ["post", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(sector__isnull=False), name="portfolio_has_unit_or_sector"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="portfolio_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} 分管 {self.unit or self.sector}"


class ChangeKind(models.TextChoices):
    RENAME = "rename", _("更名")
    MERGE = "merge", _("合并")
    SPLIT = "split", _("拆分")


class UnitChange(models.Model):
    """机构改革: units renamed, merged or split on an effective date.

    The sources end the day before `effective`; the results (new units, or a source that carries on) take over
    their supervision, posts, holders and portfolios from `effective`. `details` keeps what moved where.
    """

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    kind = models.CharField(_("类型"), max_length=10, choices=ChangeKind.choices)
    effective = models.DateField(_("生效日期"))
    document = models.CharField(_("依据文件"), max_length=200, blank=True)
    sources = models.ManyToManyField(Unit, related_name="changes_out", verbose_name=_("改革前单位"))
    results = models.ManyToManyField(Unit, related_name="changes_in", verbose_name=_("改革后单位"))
    details = models.JSONField(_("调整明细"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构改革")
        verbose_name_plural = _("机构改革")
        ordering = ["-effective", "-id"]

    def __str__(self) -> str:
        return f"{self.effective} {self.get_kind_display()}"
