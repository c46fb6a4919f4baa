"""Accidents (事故) as evidence: the report and every later version of it, the on-site tasks, the findings.

An accident's report is never edited: a correction or a 补报 (a change in casualties) is a new `Report` version
with who, when and why; each version keeps the grade it had, so the grade history is the versions' grades.
`Accident.latest` points at the newest version (a pointer the actions move; the versions themselves never
change). The responsibility chain at the accident's moment is frozen on the accident when it is recorded.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yigang.evidence.models import StoredFile
from yigang.towns.models import READ_ROLES, TownScopedQuerySet
from yigang.words import span_in_words

if TYPE_CHECKING:
    from yigang.towns.models import AnyUser


class AccidentKind(models.TextChoices):
    ROAD_TRAFFIC = "road_traffic", _("道路交通事故")
    FIRE = "fire", _("火灾事故")
    OTHER = "other", _("其他生产安全事故")


class Source(models.TextChoices):
    FORM = "form", _("网页填报")
    API = "api", _("接口")
    DEMO = "demo", _("示范数据")


class FindingKind(models.TextChoices):
    CONCEALED = "concealed", _("瞒报")
    FALSE = "false", _("谎报")
    OMITTED = "omitted", _("漏报")


class AccidentQuerySet(TownScopedQuerySet["Accident"]):
    """An accident belongs to the part of the town its current report names: the unit, the sector, the village."""

    unit_field = "latest__unit"
    sector_field = "latest__sector"
    village_field = "latest__village"

    def in_year(self, year: int) -> AccidentQuerySet:
        return self.filter(latest__occurred_on__year=year)


class Accident(models.Model):
    """One accident: its identity, the frozen chain of responsibility, and the pointer to its newest report."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    latest = models.OneToOneField(
        "Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最新版本"),
    )
    # `yigang who` for the sector and village on the accident's (Asia/Shanghai) date, as it stood when recorded.
    chain = models.JSONField(_("事故发生时的责任链"), default=dict)
    chain_on = models.DateField(_("责任链日期"))
    created_at = models.DateTimeField(_("首报录入时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )

    objects = AccidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("事故")
        verbose_name_plural = _("事故")
        ordering = ["-chain_on", "-id"]

    def __str__(self) -> str:
        if self.latest is not None:
            return (
                f"{self.latest.occurred_on:%Y-%m-%d} {self.latest.unit_label}{self.latest.get_kind_display()}"
            )
        return f"事故 {self.pk}"


class PartQuerySet(TownScopedQuerySet[Any]):
    """Rows that belong to an accident (its versions, tasks, findings): readable exactly when the accident is."""

    def for_user(self, user: AnyUser, roles: frozenset[str] = READ_ROLES) -> PartQuerySet:
        if roles != READ_ROLES:
            return super().for_user(user, roles)  # type: ignore[return-value]
        return self.filter(accident__in=Accident.objects.for_user(user).values("pk"))


class Report(models.Model):
    """One version of an accident's report (493号令 Art. 12), with the grade and the flags it had then."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    accident = models.ForeignKey(
        Accident, on_delete=models.PROTECT, related_name="versions", verbose_name=_("事故")
    )
    version = models.PositiveIntegerField(_("版本"))
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("事故单位"),
    )
    unit_name = models.CharField(_("事故单位（未登记）"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    occurred_on = models.DateField(_("发生日期"))
    learned_at = models.DateTimeField(_("单位负责人接到报告时间"))
    reported_at = models.DateTimeField(_("向县级部门报告时间"), null=True, blank=True)
    village = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在嘎查村（社区）"),
    )
    address = models.CharField(_("地点"), max_length=200)
    sector = models.ForeignKey(
        "org.Sector", on_delete=models.PROTECT, related_name="+", verbose_name=_("行业领域")
    )
    kind = models.CharField(_("事故类型"), max_length=20, choices=AccidentKind.choices)
    course = models.TextField(_("事故简要经过"))
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    serious_injuries = models.PositiveIntegerField(_("重伤人数（含急性工业中毒）"), default=0)
    missing = models.PositiveIntegerField(_("失踪人数"), default=0)
    direct_loss = models.DecimalField(_("直接经济损失（元）"), max_digits=16, decimal_places=2, default=0)
    measures = models.TextField(_("已经采取的措施"), blank=True)
    reporter = models.CharField(_("报告人"), max_length=100)
    grade = models.CharField(_("事故等级"), max_length=10)
    grade_reasons = models.JSONField(_("定级依据"), default=list)
    # 迟报: how far past the 1-hour limit the county was told (empty: in time, or not yet reported).
    late_by = models.DurationField(_("迟报时长"), null=True, blank=True)
    casualties_changed = models.BooleanField(
        _("补报"), default=False, help_text=_("伤亡人数较上一版本有变化")
    )
    past_window = models.BooleanField(_("超出补报期限"), default=False)
    changed = models.JSONField(_("变更字段"), default=list)
    # When this version was reported (a 补报 phoned in and entered later); `created_at` is when it was entered.
    made_at = models.DateTimeField(_("报告（补报）时间"))
    reason = models.TextField(_("变更说明"), blank=True)
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

    objects = PartQuerySet.as_manager()

    class Meta:
        verbose_name = _("事故报告版本")
        verbose_name_plural = _("事故报告版本")
        ordering = ["accident", "version"]
        constraints = [
            models.UniqueConstraint(fields=["accident", "version"], name="accident_report_unique_version"),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="accident_report_change_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(unit_name=""), name="accident_report_has_unit"
            ),
            models.CheckConstraint(
                condition=Q(learned_at__gte=models.F("occurred_at")), name="accident_report_learned_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.accident_id} v{self.version}"

    @property
    def unit_label(self) -> str:
        return self.unit.name if self.unit_id and self.unit else self.unit_name

    @property
    def changed_labels(self) -> list[str]:
        """The changed fields by their names on the form."""
        labels = {f.name: str(f.verbose_name) for f in self._meta.fields}
        return [labels.get(name, name) for name in self.changed]

    @property
    def is_late(self) -> bool:
        return self.late_by is not None


class Extension(models.Model):
    """The one extension of the investigation report's deadline (Art. 29: at most 60 days), with its reason."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    accident = models.OneToOneField(
        Accident, on_delete=models.PROTECT, related_name="extension", verbose_name=_("事故")
    )
    days = models.PositiveIntegerField(_("延长天数"))
    reason = models.TextField(_("延长理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PartQuerySet.as_manager()

    class Meta:
        verbose_name = _("调查期限延长")
        verbose_name_plural = _("调查期限延长")
        ordering = ["accident"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=60), name="accident_extension_days"),
        ]

    def __str__(self) -> str:
        return f"{self.accident_id} +{self.days}"


class InvestigationReport(models.Model):
    """The investigation report was submitted (the investigation clock stops)."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    accident = models.OneToOneField(
        Accident, on_delete=models.PROTECT, related_name="investigation", verbose_name=_("事故")
    )
    submitted_on = models.DateField(_("提交日期"))
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PartQuerySet.as_manager()

    class Meta:
        verbose_name = _("事故调查报告")
        verbose_name_plural = _("事故调查报告")
        ordering = ["accident"]

    def __str__(self) -> str:
        return f"{self.accident_id} {self.submitted_on}"


class Closure(models.Model):
    """结案: the accident's investigation is closed (the government's reply to the investigation report, 493号令
    Art. 32, given on `closed_on`). Closed by a 安委办 officer other than the one who registered the report, with
    their password or TOTP; after it the report, the investigation and the on-site tasks no longer change."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    accident = models.OneToOneField(
        Accident, on_delete=models.PROTECT, related_name="closure", verbose_name=_("事故")
    )
    closed_on = models.DateField(_("结案日期"))
    note = models.TextField(_("结案说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结案人"),
    )
    created_at = models.DateTimeField(_("结案登记时间"), auto_now_add=True)

    objects = PartQuerySet.as_manager()

    class Meta:
        verbose_name = _("事故结案")
        verbose_name_plural = _("事故结案")
        ordering = ["accident"]

    def __str__(self) -> str:
        return f"{self.accident_id} {self.closed_on}"


class Finding(models.Model):
    """A determination by the 安委办 that the accident was concealed (瞒报), falsified (谎报) or left out (漏报)."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    accident = models.ForeignKey(
        Accident, on_delete=models.PROTECT, related_name="findings", verbose_name=_("事故")
    )
    kind = models.CharField(_("认定"), max_length=20, choices=FindingKind.choices)
    reason = models.TextField(_("认定理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("认定人"),
    )
    created_at = models.DateTimeField(_("认定时间"), auto_now_add=True)

    objects = PartQuerySet.as_manager()

    class Meta:
        verbose_name = _("瞒报谎报认定")
        verbose_name_plural = _("瞒报谎报认定")
        ordering = ["accident", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.accident_id} {self.get_kind_display()}"


# How long an on-site task calls its holder to the scene (“请到场并确认到达”): the leaders are needed there in the
# first days, and a week is also the shortest 补报 window (road traffic, fire). After it — or once the accident is
# closed (结案) — a task not confirmed is history (未到场), no longer a call; an arrival may still be recorded
# until the accident is closed (an officer entering what happened).
ON_SITE_CALL = datetime.timedelta(days=7)


class OnSiteTaskQuerySet(PartQuerySet):
    def calling(self, now: datetime.datetime | None = None) -> OnSiteTaskQuerySet:
        """Tasks that still call their holder to the scene: not confirmed, the accident not closed, and it
        happened less than `ON_SITE_CALL` ago (a past year's accident is never a call to go on site)."""
        now = now or timezone.now()
        return self.filter(
            arrived_at__isnull=True,
            accident__closure__isnull=True,
            accident__latest__occurred_at__gt=now - ON_SITE_CALL,
        )


class TaskState(models.TextChoices):
    ARRIVED = "arrived", _("已到场")
    CALLING = "calling", _("请到场并确认到达")
    MISSED = "missed", _("未确认到场（已过到场时限）")
    CLOSED = "closed", _("未确认到场（已结案）")


class OnSiteTask(models.Model):
    """A leader must go to the scene: the post the regulation names, its holder at the accident's time, arrival.

    An arrival confirmed (by the holder or the 安委办) is then checked (核实) by a 安委办 officer who neither
    confirmed it nor is the person who arrived: who submitted a step cannot approve it."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    accident = models.ForeignKey(
        Accident, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("事故")
    )
    role = models.CharField(_("职责"), max_length=40)
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("岗位"))
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accident_tasks",
        verbose_name=_("时任人员"),
    )
    arrived_at = models.DateTimeField(_("到达现场时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核实人"),
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("下达时间"), auto_now_add=True)

    objects = OnSiteTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("到场任务")
        verbose_name_plural = _("到场任务")
        ordering = ["accident", "id"]
        constraints = [models.UniqueConstraint(fields=["accident", "post"], name="accident_task_unique_post")]

    def __str__(self) -> str:
        return f"{self.accident_id} {self.post}"

    @property
    def role_label(self) -> str:
        """The responsibility that sends the holder to the scene, in words (全面领导), never its code."""
        from yigang.org.chain import Role

        return str(Role.label(self.role))

    @property
    def arrival_text(self) -> str:
        """How long after the accident the holder arrived, in words (2小时5分钟)."""
        after = self.arrival_after
        return span_in_words(after) if after is not None else ""

    def state(self, now: datetime.datetime | None = None) -> str:
        """arrived, calling (go on site), missed (the call's week is past) or closed (结案 without an arrival)."""
        if self.arrived_at is not None:
            return TaskState.ARRIVED
        if hasattr(self.accident, "closure"):
            return TaskState.CLOSED
        latest = self.accident.latest
        if latest is not None and latest.occurred_at <= (now or timezone.now()) - ON_SITE_CALL:
            return TaskState.MISSED
        return TaskState.CALLING

    @property
    def state_label(self) -> str:
        return str(TaskState(self.state()).label)

    @property
    def arrival_after(self) -> datetime.timedelta | None:
        """How long after the accident the holder arrived."""
        if self.arrived_at is None or self.accident.latest is None:
            return None
        return self.arrived_at - self.accident.latest.occurred_at


class Attachment(StoredFile):
    """A photo, scan or PDF of the scene or of a document, kept as evidence with the version it came with.

    Typed by content, size-limited and checksummed as duty records' attachments are (yigang.evidence.uploads);
    served only after the scope check and a checksum check.
    """

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    accident = models.ForeignKey(
        Accident, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("事故")
    )
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("随附版本")
    )

    objects = PartQuerySet.as_manager()

    class Meta:
        verbose_name = _("事故附件")
        verbose_name_plural = _("事故附件")
        ordering = ["accident", "id"]
