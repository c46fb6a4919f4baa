"""Duty performance as evidence: records (履职记录), the posts they credit, attachments, amendments.

A record is never edited or deleted. A correction is a new version of the record (`amends` the previous one)
with a reason; every version stays visible, and only the latest version of a chain counts (unless it
withdraws the record). Hazards a record finds will link here once hazards exist; there is no field for them yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yigang.evidence.models import StoredFile
from yigang.org.models import Tenure
from yigang.regulations.choices import DutyKind, Period
from yigang.towns.models import NARROW_ROLES, READ_ROLES, ScopeFilter, TownScopedQuerySet, user_towns

from .rules import LATE_AFTER_DAYS, RecordKind

if TYPE_CHECKING:
    from yigang.towns.models import AnyUser


class Source(models.TextChoices):
    FORM = "form", _("网页填报")
    API = "api", _("接口")
    IMPORT = "import", _("表格导入")
    DEMO = "demo", _("示范数据")


class DutyRecordQuerySet(TownScopedQuerySet["DutyRecord"]):
    """Records belong to the part of the town of the posts they credit (a joint inspection: each post's unit).

    Body and village staff read a record when some version of it credits a post of their unit or village, or a
    post their own person held on the record's date. A record is its chain of versions: the unit whose post a
    correction took away still sees the correction (every version stays visible, docs/compliance.md). The
    own-post clause mirrors `access.creditable_posts`, so whatever they may enter or amend they may read.
    """

    def for_user(self, user: AnyUser, roles: frozenset[str] = READ_ROLES) -> DutyRecordQuerySet:
        if roles != READ_ROLES or not user.is_authenticated:
            return super().for_user(user, roles)  # type: ignore[return-value]
        scope = ScopeFilter(user)
        held = Tenure.objects.filter(
            post_id=OuterRef("post_id"),
            person__user_id=user.pk,
            start__lte=OuterRef("record__occurred_on"),
        ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef("record__occurred_on")))
        # Only the credits of the towns where the user reads a part (a chain's versions and credits are all in its
        # record's town): without it the database walks every credit of the county for a village secretary.
        # The ids themselves, not a subquery: PostgreSQL cannot estimate the subquery and plans for every town.
        narrow_towns = [town.pk for town in user_towns(user, NARROW_ROLES)]
        credits = Credit.objects.filter(town_id__in=narrow_towns).filter(
            Q(post__unit_id__in=scope.units()) | Q(post__unit_id__in=scope.villages()) | Exists(held)
        )
        # Subqueries of chain roots, not a join through credits: a join would repeat a record once per
        # matching credit (and the paginated list would count it twice).
        chains = credits.annotate(chain=Coalesce("record__root_id", "record_id")).values("chain")
        part = Q(pk__in=chains) | Q(root_id__in=chains)
        return self.filter(scope.q(town_field=self.town_field, part=part))

    def current(self) -> DutyRecordQuerySet:
        """The latest version of every chain (withdrawn ones included: they are visible, but count for nothing)."""
        return self.filter(amended_by__isnull=True)

    def counting(self) -> DutyRecordQuerySet:
        return self.current().filter(withdrawn=False)


class DutyRecord(models.Model):
    """Evidence that a duty was performed: what, when (the date that counts), where, who, and the minutes."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    kind = models.CharField(_("履职方式"), max_length=20, choices=RecordKind.choices)
    occurred_at = models.DateTimeField(_("履职时间"))
    # The Asia/Shanghai calendar date of `occurred_at`, kept beside it so periods are counted by date in SQL.
    occurred_on = models.DateField(_("履职日期"))
    title = models.CharField(_("主题"), max_length=200)
    place = models.CharField(_("地点"), max_length=200)
    participants = models.TextField(_("参加人员"), blank=True)
    summary = models.TextField(_("内容摘要或会议纪要"))
    findings = models.TextField(_("发现的问题"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    root = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("原始记录")
    )
    amends = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
        verbose_name=_("更正的版本"),
    )
    reason = models.TextField(_("更正理由"), blank=True)
    withdrawn = models.BooleanField(_("已撤销"), default=False, help_text=_("更正为“此记录不应计入”"))
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.FORM)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    # When the record was first entered (server time; an amendment keeps its first version's), beside the day
    # it reports (occurred_on); `is_late` (补录) compares the two when the record is entered (rules.py).
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    is_late = models.BooleanField(_("补录"), default=False)
    # A phone that kept the record offline sends it again with the same key: still one record (js/outbox.js).
    client_key = models.CharField(_("客户端幂等键"), max_length=100, blank=True)

    objects = DutyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("履职记录")
        verbose_name_plural = pgettext_lazy("plural", "履职记录")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["town", "occurred_on"], name="dutyrecord_town_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amends__isnull=True, root__isnull=True, version=1)
                | Q(amends__isnull=False, root__isnull=False, version__gt=1),
                name="dutyrecord_version_chain",
            ),
            models.CheckConstraint(
                condition=Q(amends__isnull=True) | ~Q(reason=""), name="dutyrecord_amendment_has_reason"
            ),
            models.UniqueConstraint(
                fields=["town", "client_key"],
                condition=~Q(client_key=""),
                name="dutyrecord_unique_client_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.title}"

    @property
    def chain_root_id(self) -> int:
        return self.root_id or self.pk


class RecordPartQuerySet(TownScopedQuerySet[Any]):
    """Rows that belong to a duty record (its credits, its attachments): readable exactly when the record is."""

    def for_user(self, user: AnyUser, roles: frozenset[str] = READ_ROLES) -> RecordPartQuerySet:
        if roles != READ_ROLES:
            return super().for_user(user, roles)  # type: ignore[return-value]
        return self.filter(record__in=DutyRecord.objects.for_user(user).values("pk"))


class Credit(models.Model):
    """A record credits a post, and the person who held it on the record's date (a joint inspection: several)."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    record = models.ForeignKey(
        DutyRecord, on_delete=models.PROTECT, related_name="credits", verbose_name=_("履职记录")
    )
    post = models.ForeignKey(
        "org.Post", on_delete=models.PROTECT, related_name="duty_credits", verbose_name=_("岗位")
    )
    # Who held the post on the record's date, as the register said when the record was made. Compliance reads
    # the tenures themselves (so a later correction of a tenure moves the credit with it); this is the evidence.
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_credits",
        verbose_name=_("时任人员"),
    )
    led = models.BooleanField(_("主持或组织"), default=False)

    objects = RecordPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("履职认定")
        verbose_name_plural = _("履职认定")
        ordering = ["record", "post__title"]
        constraints = [models.UniqueConstraint(fields=["record", "post"], name="credit_unique_post")]

    def __str__(self) -> str:
        return f"{self.record} → {self.post}"


class Attachment(StoredFile):
    """A photo, scan or PDF kept as evidence: typed by content, size-limited, checksummed, never served raw."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    record = models.ForeignKey(
        DutyRecord, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("履职记录")
    )

    objects = RecordPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = pgettext_lazy("plural", "附件")
        ordering = ["record", "id"]


# Days before a period ends when the holder of a post that has not met a duty is reminded.
DEFAULT_DAYS_BEFORE: dict[str, int] = {
    Period.WEEK: 2,
    Period.TWO_WEEKS: 3,
    Period.TEN_DAYS: 3,
    Period.HALF_MONTH: 4,
    Period.MONTH: 7,
    Period.TWO_MONTHS: 10,
    Period.QUARTER: 15,
    Period.HALF_YEAR: 30,
    Period.YEAR: 30,
}


class ReminderPolicy(models.Model):
    """A town's reminder setting: how many days before each kind of period ends to remind the holder."""

    town = models.OneToOneField(
        "towns.Town", on_delete=models.CASCADE, related_name="reminder_policy", verbose_name=_("乡镇")
    )
    week_days = models.PositiveIntegerField(_("每周事项提前天数"), default=DEFAULT_DAYS_BEFORE[Period.WEEK])
    two_weeks_days = models.PositiveIntegerField(
        _("每两周事项提前天数"), default=DEFAULT_DAYS_BEFORE[Period.TWO_WEEKS]
    )
    ten_days_days = models.PositiveIntegerField(
        _("每旬事项提前天数"), default=DEFAULT_DAYS_BEFORE[Period.TEN_DAYS]
    )
    half_month_days = models.PositiveIntegerField(
        _("每半月事项提前天数"), default=DEFAULT_DAYS_BEFORE[Period.HALF_MONTH]
    )
    month_days = models.PositiveIntegerField(_("每月事项提前天数"), default=DEFAULT_DAYS_BEFORE[Period.MONTH])
    two_months_days = models.PositiveIntegerField(
        _("每两个月事项提前天数"), default=DEFAULT_DAYS_BEFORE[Period.TWO_MONTHS]
    )
    quarter_days = models.PositiveIntegerField(
        _("每季度事项提前天数"), default=DEFAULT_DAYS_BEFORE[Period.QUARTER]
    )
    half_year_days = models.PositiveIntegerField(
        _("每半年事项提前天数"), default=DEFAULT_DAYS_BEFORE[Period.HALF_YEAR]
    )
    year_days = models.PositiveIntegerField(_("每年事项提前天数"), default=DEFAULT_DAYS_BEFORE[Period.YEAR])

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")
        ordering = ["town"]

    def __str__(self) -> str:
        return f"{self.town} 提醒设置"

    def days_before(self) -> dict[str, int]:
        return {p: getattr(self, f"{p}_days") for p in Period.values}

    @classmethod
    def for_town(cls, town: Any) -> dict[str, int]:
        policy = cls.objects.filter(town=town).first()
        return policy.days_before() if policy else dict(DEFAULT_DAYS_BEFORE)


class RecordRules(models.Model):
    """What the town asks of its records: after how many days an entry is 补录, and per record kind what an
    entry must carry (rules.py). No row: the defaults."""

    town = models.OneToOneField(
        "towns.Town", on_delete=models.CASCADE, related_name="record_rules", verbose_name=_("乡镇")
    )
    late_after_days = models.PositiveSmallIntegerField(
        _("补录天数"), default=LATE_AFTER_DAYS, help_text=_("履职日期之后超过该天数录入的记录标为补录")
    )
    # {record kind: [requirement code]}; None: the defaults of rules.DEFAULT_REQUIREMENTS.
    requirements = models.JSONField(_("记录要求"), null=True, blank=True)
    # {duty kind: [record kind]}: which record kinds meet a duty of that kind; None: rules.DEFAULT_MATCHES.
    matches = models.JSONField(_("履职方式对应"), null=True, blank=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("记录规则")
        verbose_name_plural = _("记录规则")
        ordering = ["town"]

    def __str__(self) -> str:
        return f"{self.town} 记录规则"

    @classmethod
    def for_town(cls, town: Any) -> RecordRules:
        return cls.objects.filter(town=town).first() or cls(town=town)


class TownDutyQuerySet(TownScopedQuerySet["TownDuty"]):
    def in_force(self, first: Any, last: Any) -> TownDutyQuerySet:
        """Duties in force on some day from `first` to `last`."""
        return self.filter(valid_from__lte=last).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=first)
        )


class TownDuty(models.Model):
    """A frequency duty the town sets on one of its posts itself (镇定要求), apart from the regulation's: e.g.
    a monthly inspection for a body's head, whom the regulation binds without a number. Judged in compliance
    like the regulation's duties and marked as the town's. Never deleted: it ends on a date."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    post = models.ForeignKey(
        "org.Post", on_delete=models.PROTECT, related_name="town_duties", verbose_name=_("岗位")
    )
    kind = models.CharField(_("履职方式"), max_length=20, choices=DutyKind.choices)
    period = models.CharField(_("周期"), max_length=20, choices=Period.choices)
    min_count = models.PositiveSmallIntegerField(_("至少次数"))
    text = models.TextField(_("要求内容"))
    valid_from = models.DateField(_("起始日期"))
    valid_until = models.DateField(_("终止日期"), null=True, blank=True, help_text=_("要求适用的最后一天"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("设定时间"), auto_now_add=True)

    objects = TownDutyQuerySet.as_manager()

    class Meta:
        verbose_name = _("本镇履职要求")
        verbose_name_plural = _("本镇履职要求")
        ordering = ["post__unit__name", "post__title", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(min_count__gte=1), name="townduty_count_positive"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="townduty_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.get_period_display()}至少{self.min_count}次{self.get_kind_display()}"
