"""Hazards (隐患) and their history: where, what, who found it, who owns it, and every step as a dated event.

A hazard's current state (status, owner, deadline) is kept on the row for querying, but only `actions`
changes it, and every change writes an event first: the events are the evidence, never edited or deleted
(the same rule as duty records). Photos are kept like duty attachments (typed by content, SHA-256).
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
from yigang.towns.models import READ_ROLES, Role, ScopeFilter, TownScopedQuerySet, memberships_of, towns_for
from yigang.workcalendar.models import Source as CalendarSource

if TYPE_CHECKING:
    from yigang.towns.models import AnyUser


class Grade(models.TextChoices):
    GENERAL = "general", _("一般隐患")
    MAJOR = "major", _("重大隐患")


class Status(models.TextChoices):
    REPORTED = "reported", _("已上报")
    ASSIGNED = "assigned", _("已交办")
    DECLINED = "declined", _("退回待定")  # the owner declined; the 安委办 decides
    RECTIFYING = "rectifying", _("整改中")
    SUBMITTED = "submitted", _("待验收")
    CLOSED = "closed", _("已销号")


OPEN_STATUSES = (Status.REPORTED, Status.ASSIGNED, Status.DECLINED, Status.RECTIFYING, Status.SUBMITTED)


class Source(models.TextChoices):
    INSPECTION = "inspection", _("检查发现")
    SELF_CHECK = "self_check", _("企业自查")
    PUBLIC = "public", _("群众举报")


# Duty records that may list the hazards they found (DutyKind values: 检查, 监督检查, 专项行动).
INSPECTION_KINDS = ("inspection", "supervision", "campaign")


class Channel(models.TextChoices):
    FORM = "form", _("网页填报")
    API = "api", _("接口")
    DEMO = "demo", _("示范数据")


class HazardQuerySet(TownScopedQuerySet["Hazard"]):
    """A hazard belongs to its sector (the supervising body's staff read it), its owner unit and its village.

    Leaders read their portfolios' hazards (issue 10): those owned by, or in a sector supervised by, a body
    their post is in charge of, or in a sector their post is in charge of (as it stands today). The party
    secretary, the mayor, the deputy in charge of safety and the overseers (人大, 纪委) read the whole town, as
    does anyone who is also the town's officer or a county viewer.
    """

    unit_field = "owner_unit"
    sector_field = "sector"
    village_field = "village"

    def for_user(self, user: AnyUser, roles: frozenset[str] = READ_ROLES) -> HazardQuerySet:
        if roles == READ_ROLES and user.is_authenticated and _is_enterprise(user):
            # An enterprise's account (企业安全管理人员) reads the hazards at its enterprise, nothing else.
            return self.filter(enterprise_id__in=ScopeFilter(user).enterprises())
        scoped: HazardQuerySet = super().for_user(user, roles)  # type: ignore[assignment]
        if roles != READ_ROLES or not user.is_authenticated:
            return scoped
        from yigang.org.models import Portfolio, Supervision, Tenure
        from yigang.regulations.choices import PostKind

        leading = towns_for(user, frozenset({Role.LEADER})).exclude(
            pk__in=towns_for(user, frozenset({Role.OFFICER, Role.COUNTY_VIEWER}))
        )
        today = timezone.localdate()
        held = Tenure.objects.at(today).filter(person__user_id=user.pk)
        whole = (
            PostKind.PARTY_SECRETARY,
            PostKind.MAYOR,
            PostKind.SAFETY_DEPUTY,
            PostKind.CONGRESS_CHAIR,
            PostKind.DISCIPLINE_SECRETARY,
        )
        narrow = leading.exclude(pk__in=held.filter(post__kind__in=whole).values("town_id"))
        portfolios = Portfolio.objects.at(today).filter(post_id__in=held.values("post_id"))
        units = portfolios.exclude(unit__isnull=True).values("unit_id")
        sectors = portfolios.exclude(sector__isnull=True).values("sector_id")
        supervised = Supervision.objects.filter(unit_id__in=units).values("sector_id")
        mine = Q(owner_unit_id__in=units) | Q(sector_id__in=sectors) | Q(sector_id__in=supervised)
        return scoped.filter(~Q(town__in=narrow) | mine)

    def open(self) -> HazardQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date) -> HazardQuerySet:
        return self.open().filter(deadline__lt=today)


def _is_enterprise(user: AnyUser) -> bool:
    return Role.ENTERPRISE in {role for role, _town, _county in memberships_of(user)}


class PhotoQuerySet(TownScopedQuerySet["Photo"]):
    """A photo is town-wide evidence for the town's readers (the pages check its hazard as well); an enterprise's
    account reads the photos of the hazards at its enterprise."""

    def for_user(self, user: AnyUser, roles: frozenset[str] = READ_ROLES) -> PhotoQuerySet:
        if roles == READ_ROLES and user.is_authenticated and _is_enterprise(user):
            return self.filter(hazard__enterprise_id__in=ScopeFilter(user).enterprises())
        return super().for_user(user, roles)  # type: ignore[return-value]


class Hazard(models.Model):
    """One hazard: its place, sector, the enterprise or site, what was found, by whom and how, grade, deadline."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    number = models.CharField(_("编号"), max_length=30)
    village = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards_here",
        verbose_name=_("嘎查村（社区）"),
    )
    address = models.CharField(_("地址"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    sector = models.ForeignKey(
        "org.Sector", on_delete=models.PROTECT, related_name="hazards", verbose_name=_("行业领域")
    )
    enterprise = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
        verbose_name=_("生产经营单位"),
    )
    site = models.CharField(_("场所"), max_length=200, blank=True)
    description = models.TextField(_("隐患描述"))
    grade = models.CharField(_("等级"), max_length=10, choices=Grade.choices, default=Grade.GENERAL)
    source = models.CharField(_("发现方式"), max_length=20, choices=Source.choices)
    duty_record = models.ForeignKey(
        "duties.DutyRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
        verbose_name=_("检查履职记录"),
    )
    found_on = models.DateField(_("发现日期"))
    found_by = models.CharField(_("发现人"), max_length=100)
    # The deadline in force: the approved one after a 延期整改 (escalation and "overdue" follow it).
    deadline = models.DateField(_("整改期限"))
    # The deadline first set, kept when an extension is approved (empty: never extended).
    original_deadline = models.DateField(_("原整改期限"), null=True, blank=True)
    working_days = models.PositiveIntegerField(_("期限（工作日）"), null=True, blank=True)
    # The working calendar a deadline in working days was counted on (yigang.workcalendar.models.Source:
    # notice, package, statutory); empty for a deadline given as a date.
    deadline_calendar = models.CharField(
        _("期限所依日历"), max_length=10, blank=True, choices=CalendarSource.choices
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="owned_hazards", verbose_name=_("责任单位")
    )
    # Routed to the territory because no body supervised the sector on the day: the 安委办 must see to it.
    flagged = models.BooleanField(_("无主管部门"), default=False)
    # Who was told what when it was routed, as the register stood on the day found (a snapshot: evidence).
    routing = models.JSONField(_("交办对象"), default=dict)
    escalation_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    client_key = models.CharField(_("客户端幂等键"), max_length=100, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices, default=Channel.FORM)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上报人"),
    )
    reported_at = models.DateTimeField(_("上报时间"), default=timezone.now)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-found_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "number"], name="hazard_unique_number"),
            models.UniqueConstraint(
                fields=["town", "client_key"],
                condition=~Q(client_key=""),
                name="hazard_unique_client_key",
            ),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("found_on")), name="hazard_deadline"),
        ]
        indexes = [models.Index(fields=["town", "status", "deadline"], name="hazard_town_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.description[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def listed(self) -> bool:
        """挂牌督办: a major hazard stays listed until it is closed."""
        return self.grade == Grade.MAJOR and self.is_open

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.deadline < (today or timezone.localdate())

    @property
    def first_deadline(self) -> datetime.date:
        """The deadline first set (before any extension)."""
        return self.original_deadline or self.deadline

    @property
    def extended(self) -> bool:
        return self.original_deadline is not None

    @property
    def closed_on_time(self) -> bool:
        """Closed by the deadline first set; a hazard closed within an approved extension is counted apart."""
        return self.closed_on is not None and self.closed_on <= self.first_deadline


class EventKind(models.TextChoices):
    REPORTED = "reported", _("上报")
    ASSIGNED = "assigned", _("交办")
    DECLINED = "declined", _("申请退回")
    DECIDED = "decided", _("安委办裁定")
    PLAN = "plan", _("治理方案（五落实）")
    RECTIFYING = "rectifying", _("开始整改")
    SUBMITTED = "submitted", _("提请验收")
    SENT_BACK = "sent_back", _("验收不合格，退回整改")
    CLOSED = "closed", _("验收销号")
    ESCALATED = "escalated", _("逾期督办")
    PHOTO = "photo", _("补充照片")
    RECOUNTED = "recounted", _("按放假安排重算期限")
    EXTENSION_ASKED = "extension_asked", _("申请延期整改")
    EXTENSION_APPROVED = "extension_approved", _("批准延期整改")
    EXTENSION_REFUSED = "extension_refused", _("不予延期整改")
    NUDGED = "nudged", _("督办催办")


class HazardEvent(models.Model):
    """One dated, attributed step in a hazard's life. Append-only: never edited, never deleted."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    hazard = models.ForeignKey(
        Hazard, on_delete=models.PROTECT, related_name="events", verbose_name=_("隐患")
    )
    kind = models.CharField(_("事项"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患处置记录")
        verbose_name_plural = _("隐患处置记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.get_kind_display()} {self.at:%Y-%m-%d}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class Extension(models.Model):
    """A request to extend a hazard's rectification deadline (延期整改) and its decision.

    Asked by the rectifier before the deadline, with a reason and the date wanted; decided once by the
    supervising body (or the 安委办): approved with a new deadline, or refused with a reason. Never edited after
    the decision, never deleted; at most one request waits at a time.
    """

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    hazard = models.ForeignKey(
        Hazard, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("隐患")
    )
    deadline_before = models.DateField(_("申请时的整改期限"))
    requested = models.DateField(_("申请延至"))
    reason = models.TextField(_("延期理由"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申请人"),
    )
    asked_by_name = models.CharField(_("申请人姓名"), max_length=100, blank=True)
    asked_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("审批结果"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    approved = models.DateField(_("批准延至"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_by_name = models.CharField(_("审批人姓名"), max_length=100, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("延期整改申请")
        verbose_name_plural = _("延期整改申请")
        ordering = ["hazard", "asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"], condition=Q(status="pending"), name="hazard_extension_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(requested__gt=models.F("deadline_before")), name="hazard_extension_later"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved__gt=models.F("deadline_before")),
                name="hazard_extension_approved_later",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.deadline_before} → {self.approved or self.requested}"


class Plan(models.Model):
    """A major hazard's 治理方案 holding 五落实 (责任、措施、资金、时限、预案). A revision is a new row."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="plans", verbose_name=_("隐患"))
    responsible = models.CharField(_("责任人"), max_length=100)
    measures = models.TextField(_("整改措施"))
    funds = models.CharField(_("整改资金"), max_length=200)
    deadline = models.DateField(_("整改时限"))
    emergency_plan = models.TextField(_("应急预案"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("制定时间"), default=timezone.now)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("治理方案")
        verbose_name_plural = _("治理方案")
        ordering = ["hazard", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.hazard_id} 治理方案 {self.created_at:%Y-%m-%d}"


class Stage(models.TextChoices):
    BEFORE = "before", _("整改前")
    AFTER = "after", _("整改后")


class Photo(StoredFile):
    """A photo of the hazard (before) or of its rectification (after): typed by content, checksummed."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    hazard = models.ForeignKey(
        Hazard, on_delete=models.PROTECT, related_name="photos", verbose_name=_("隐患")
    )
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices, default=Stage.BEFORE)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患照片")
        verbose_name_plural = _("隐患照片")
        ordering = ["hazard", "id"]


class Policy(models.Model):
    """A town's escalation interval: an overdue hazard climbs one level every `escalation_days` days."""

    town = models.OneToOneField(
        "towns.Town", on_delete=models.CASCADE, related_name="+", verbose_name=_("乡镇")
    )
    escalation_days = models.PositiveSmallIntegerField(_("逐级督办间隔（天）"), default=3)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患督办设置")
        verbose_name_plural = _("隐患督办设置")

    def __str__(self) -> str:
        return f"{self.town} {self.escalation_days}"

    @classmethod
    def interval(cls, town: Any) -> int:
        found = cls.objects.filter(town=town).first()
        return found.escalation_days if found else 3
