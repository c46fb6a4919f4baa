"""What the town supervises (监管对象台账): enterprises and other places, their risk, the bodies' plans.

A place is under the town's supervision from `opened` to `closed` (inclusive; empty: open). A place that closes
is ended on a date, never deleted, so a past year's coverage and the place's history stay readable. Its risk
level is the latest of its `RiskAssessment`s (the history is kept); licences are unique numbers in the town.
An enterprise already in the register as a `Unit` is linked by `unit` (its hazards and accidents name that unit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yigang.regulations.choices import Period
from yigang.towns.models import READ_ROLES, Role, ScopeFilter, TownScopedQuerySet, memberships_of

if TYPE_CHECKING:
    from yigang.towns.models import AnyUser


class PlaceKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("生产经营单位")
    MINE = "mine", _("矿山")
    PETROL_STATION = "petrol_station", _("加油加气站")
    FIREWORKS = "fireworks_shop", _("烟花爆竹经营点")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("危险化学品单位")
    SMALL_VENUE = "small_venue", _("九小场所")
    CROWDED = "crowded_place", _("人员密集场所")
    SCHOOL = "school", _("学校、幼儿园")
    CONSTRUCTION = "construction", _("在建工程")
    ROAD = "road_section", _("交通路段")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    """安全风险分级 (红橙黄蓝四色): the colour and its words, so a page never shows the colour alone."""

    RED = "red", _("红色（重大风险）")
    ORANGE = "orange", _("橙色（较大风险）")
    YELLOW = "yellow", _("黄色（一般风险）")
    BLUE = "blue", _("蓝色（低风险）")


# How often a place of each risk level is inspected unless the town sets its own table (InspectionFrequency).
DEFAULT_FREQUENCIES: dict[str, tuple[str, int]] = {
    RiskLevel.RED: (Period.MONTH, 1),
    RiskLevel.ORANGE: (Period.QUARTER, 1),
    RiskLevel.YELLOW: (Period.HALF_YEAR, 1),
    RiskLevel.BLUE: (Period.YEAR, 1),
}


class PlaceQuerySet(TownScopedQuerySet["Place"]):
    """Body staff read the places of the sectors their unit supervises; village staff those of their village; an
    enterprise's account (企业安全管理人员) the one place its enterprise unit stands for."""

    village_field = "village"

    def for_user(self, user: AnyUser, roles: frozenset[str] = READ_ROLES) -> PlaceQuerySet:
        if roles != READ_ROLES or not user.is_authenticated:
            return super().for_user(user, roles)  # type: ignore[return-value]
        scope = ScopeFilter(user)
        supervision: Any = Place._meta.apps.get_model("org", "Supervision")
        sectors = supervision.objects.filter(unit_id__in=scope.units()).values("sector_id")
        # Through the link table, not a join: a place in two of the body's sectors would be listed twice.
        part = Q(pk__in=Place.sectors.through.objects.filter(sector_id__in=sectors).values("place_id"))
        readable = scope.q(town_field="town", village_field="village", part=part)
        if Role.ENTERPRISE in {role for role, _town, _county in memberships_of(user)}:
            readable |= Q(unit_id__in=scope.enterprises())  # an enterprise's account: its own place only
        return self.filter(readable)

    def open_on(self, day: Any) -> PlaceQuerySet:
        return self.filter(Q(opened__isnull=True) | Q(opened__lte=day)).filter(
            Q(closed__isnull=True) | Q(closed__gte=day)
        )

    def with_risk(self) -> PlaceQuerySet:
        """Each place annotated with its current risk level and the date and basis of that assessment."""
        latest = RiskAssessment.objects.filter(place=OuterRef("pk")).order_by("-assessed_on", "-id")
        return self.annotate(
            risk_level=Subquery(latest.values("level")[:1]),
            risk_on=Subquery(latest.values("assessed_on")[:1]),
            risk_basis=Subquery(latest.values("basis")[:1]),
        )


class Place(models.Model):
    """A place the town supervises: an enterprise, a 九小场所, a school, a construction site, a road section …"""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=30, choices=PlaceKind.choices)
    village = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="places_here",
        verbose_name=_("所在嘎查村（社区）"),
    )
    sectors = models.ManyToManyField("org.Sector", related_name="places", verbose_name=_("行业领域"))
    unit = models.OneToOneField(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="place",
        verbose_name=_("登记的生产经营单位"),
        help_text=_("责任体系中已登记的单位：其隐患、事故在场所页面显示"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)
    legal_representative_phone = models.CharField(_("法定代表人电话"), max_length=30, blank=True)
    safety_manager = models.CharField(_("安全管理人员"), max_length=50, blank=True)
    safety_manager_phone = models.CharField(_("安全管理人员电话"), max_length=30, blank=True)
    scale = models.CharField(
        _("规模"), max_length=100, blank=True, help_text=_("如：从业人员25人、储量60立方米")
    )
    opened = models.DateField(_("纳入监管日期"), null=True, blank=True, help_text=_("空：登记前已纳入"))
    closed = models.DateField(
        _("注销日期"), null=True, blank=True, help_text=_("停业、关闭或不再监管的最后一天")
    )
    closed_reason = models.CharField(_("注销原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("监管对象")
        verbose_name_plural = pgettext_lazy("plural", "监管对象")
        ordering = ["village__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "name"], condition=Q(closed__isnull=True), name="place_unique_open_name"
            ),
            models.CheckConstraint(
                condition=Q(closed__isnull=True) | Q(opened__isnull=True) | Q(closed__gte=models.F("opened")),
                name="place_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def open_on(self, day: Any) -> bool:
        return (self.opened is None or self.opened <= day) and (self.closed is None or self.closed >= day)


class PlacePartQuerySet(TownScopedQuerySet[Any]):
    """Rows that belong to a place (its licences, assessments, inspections): readable exactly when it is."""

    def for_user(self, user: AnyUser, roles: frozenset[str] = READ_ROLES) -> PlacePartQuerySet:
        if roles != READ_ROLES:
            return super().for_user(user, roles)  # type: ignore[return-value]
        return self.filter(place__in=Place.objects.for_user(user).values("pk"))


class Licence(models.Model):
    """A licence the sector requires (危险化学品经营许可证, 烟花爆竹经营（零售）许可证 …): its number is unique."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="licences", verbose_name=_("场所")
    )
    name = models.CharField(_("许可证名称"), max_length=80)
    number = models.CharField(_("许可证编号"), max_length=80)

    objects = PlacePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("许可证")
        verbose_name_plural = _("许可证")
        ordering = ["place", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "number"], name="licence_unique_number")]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"


class RiskAssessment(models.Model):
    """A risk assessment of a place on a date, with its basis; the latest one is the place's level."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("场所")
    )
    level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    assessed_on = models.DateField(_("评估日期"))
    basis = models.CharField(_("评估依据"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PlacePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("风险评估")
        verbose_name_plural = _("风险评估")
        ordering = ["place", "-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.place} {self.get_level_display()} {self.assessed_on}"


class InspectionFrequency(models.Model):
    """The town's table: how often a place of a risk level is inspected (e.g. 红 monthly). No row: the default."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    period = models.CharField(_("周期"), max_length=20, choices=Period.choices)
    count = models.PositiveSmallIntegerField(_("每周期至少检查次数"))

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查频次")
        verbose_name_plural = _("检查频次")
        ordering = ["town", "level"]
        constraints = [
            models.UniqueConstraint(fields=["town", "level"], name="frequency_unique_level"),
            models.CheckConstraint(condition=Q(count__gte=1), name="frequency_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.get_period_display()}{self.count}次"

    @classmethod
    def table(cls, town: Any) -> dict[str, tuple[str, int]]:
        table = dict(DEFAULT_FREQUENCIES)
        for row in cls.objects.filter(town=town):
            table[row.level] = (row.period, row.count)
        return table


class PlanItemQuerySet(TownScopedQuerySet["PlanItem"]):
    """A body's staff read their unit's plan; village staff the lines for places in their village."""

    unit_field = "unit"
    village_field = "place__village"


class PlanItem(models.Model):
    """One line of a body's yearly supervision plan: this place, so many inspections per period."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("监管单位")
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("场所")
    )
    period = models.CharField(_("周期"), max_length=20, choices=Period.choices)
    count = models.PositiveSmallIntegerField(_("每周期至少检查次数"))
    from_risk = models.BooleanField(_("按风险等级确定"), default=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["year", "unit__name", "place__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "place"], name="planitem_unique"),
            models.CheckConstraint(condition=Q(count__gte=1), name="planitem_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit} → {self.place} {self.get_period_display()}{self.count}次"


class InspectedPlace(models.Model):
    """An inspection record (履职记录, one version) names a place it covered. A record is never edited: an
    amendment is a new version with its own places, and coverage counts the current version of each chain."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    record = models.ForeignKey(
        "duties.DutyRecord", on_delete=models.PROTECT, related_name="places", verbose_name=_("履职记录")
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("场所")
    )

    objects = PlacePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查的场所")
        verbose_name_plural = _("检查的场所")
        ordering = ["record", "place"]
        constraints = [models.UniqueConstraint(fields=["record", "place"], name="inspectedplace_unique")]

    def __str__(self) -> str:
        return f"{self.record} → {self.place}"


class RouteQuerySet(TownScopedQuerySet["PlaceRoute"]):
    def at(self, day: Any) -> RouteQuerySet:
        return self.filter(Q(start__isnull=True) | Q(start__lte=day)).filter(
            Q(end__isnull=True) | Q(end__gte=day)
        )


class PlaceRoute(models.Model):
    """The town's table for a sector no body heads: places of a type go to a body (九小场所 → 派出所).

    An empty `kind` routes every place of the sector. Ended on a date, never deleted."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    sector = models.ForeignKey(
        "org.Sector", on_delete=models.PROTECT, related_name="place_routes", verbose_name=_("行业领域")
    )
    kind = models.CharField(
        _("场所类型"), max_length=30, choices=PlaceKind.choices, blank=True, help_text=_("空：该领域所有场所")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="place_routes", verbose_name=_("负责单位")
    )
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("终止日期"), null=True, blank=True)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    objects = RouteQuerySet.as_manager()

    class Meta:
        verbose_name = _("按场所类型分工")
        verbose_name_plural = _("按场所类型分工")
        ordering = ["sector__name", "kind", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "kind"], condition=Q(end__isnull=True), name="placeroute_unique_open"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="placeroute_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector}·{self.get_kind_display() or '全部'} → {self.unit}"


class OrderStatus(models.TextChoices):
    """Where a 责令限期整改通知书 stands; worked out from its dates, never stored."""

    ISSUED = "issued", _("已下达")
    UNRECEIVED = "unreceived", _("逾期未签收")
    RECEIVED = "received", _("已签收")
    WITHDRAWN = "withdrawn", _("已撤销")


class RectificationOrder(models.Model):
    """A 责令限期整改通知书: a body that supervises the place orders it to fix what was found by a deadline.

    Issued, it is never edited or deleted: a wrong one is withdrawn (撤销) with a reason and a new one issued
    (`replaces`). The receipt (签收: who received it, on what day) is recorded later, as its own step. The names
    the document prints (the organ, the addressee and its legal representative) are kept as they were on issue.
    The 文号 is numbered per body and year: 乌审召镇〔2026〕应急责改3号."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="orders", verbose_name=_("场所"))
    hazard = models.ForeignKey(
        "hazards.Hazard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("隐患"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("下达单位")
    )
    organ = models.CharField(_("发文机关"), max_length=160)
    year = models.PositiveSmallIntegerField(_("年度"))
    word = models.CharField(_("机关代字"), max_length=20)
    serial = models.PositiveIntegerField(_("顺序号"))
    number = models.CharField(_("文号"), max_length=80)
    issued_on = models.DateField(_("下达日期"))
    deadline = models.DateField(_("整改期限"))
    addressee = models.CharField(_("被责令单位"), max_length=120)
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)
    found_on = models.DateField(_("检查日期"))
    found_at = models.CharField(_("检查地点"), max_length=200)
    finding = models.TextField(_("发现的问题"))
    items = models.JSONField(_("整改要求"), default=list)
    legal_basis = models.TextField(_("法律依据"))
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("替代的通知书"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    received_by = models.CharField(_("签收人"), max_length=50, blank=True)
    received_on = models.DateField(_("签收日期"), null=True, blank=True)
    receipt_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    receipt_at = models.DateTimeField(_("签收登记时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    objects = PlacePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("责令限期整改通知书")
        verbose_name_plural = _("责令限期整改通知书")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "number"], name="order_unique_number"),
            models.UniqueConstraint(fields=["unit", "year", "serial"], name="order_unique_serial"),
            models.CheckConstraint(condition=Q(deadline__gt=models.F("issued_on")), name="order_deadline"),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=models.F("issued_on")),
                name="order_received_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.addressee}"

    def status(self, today: Any = None) -> OrderStatus:
        from django.utils import timezone

        if self.withdrawn_at is not None:
            return OrderStatus.WITHDRAWN
        if self.received_on is not None:
            return OrderStatus.RECEIVED
        if self.deadline < (today or timezone.localdate()):
            return OrderStatus.UNRECEIVED
        return OrderStatus.ISSUED

    @property
    def status_label(self) -> str:
        return str(self.status().label)
