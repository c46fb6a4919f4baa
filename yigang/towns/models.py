"""Towns (the tenants), who may act in them, and the scoping every domain query goes through."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser


class TownKind(models.TextChoices):
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")
    SUMU = "sumu", _("苏木")
    SUBDISTRICT = "subdistrict", _("街道")


class TownQuerySet(models.QuerySet["Town"]):
    def for_user(self, user: AnyUser, roles: frozenset[str] | None = None) -> TownQuerySet:
        return self.filter(pk__in=towns_for(user, roles or READ_ROLES).values("pk"))


class Town(models.Model):
    """A township-level unit (乡镇/苏木/街道): the tenant every domain record belongs to."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=TownKind.choices, default=TownKind.TOWN)
    county = models.CharField(_("所属旗县"), max_length=100, blank=True)
    # 三员分立: by default the audit administrator sees which fields a business write changed, not their content.
    audit_shows_content = models.BooleanField(
        _("审计管理员可查看业务内容"),
        default=False,
        help_text=_("关闭时（默认），审计管理员只看到业务记录改动了哪些字段，看不到标题、摘要等内容。"),
    )

    objects = TownQuerySet.as_manager()

    class Meta:
        verbose_name = _("乡镇")
        verbose_name_plural = _("乡镇")
        ordering = ["county", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def lookup(cls, key: str) -> Town:
        """A town named on the command line by its code or its full name."""
        try:
            return cls.objects.get(Q(code=key) | Q(name=key))
        except cls.DoesNotExist:
            raise cls.DoesNotExist(f"没有代码或名称为“{key}”的乡镇") from None


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省（自治区）")
    PREFECTURE = "prefecture", _("盟市")
    COUNTY = "county", _("旗县")


# Each level's parent level: a 旗县 sits in a 盟市, a 盟市 in a province; a province is the top.
PARENT_LEVEL = {RegionLevel.COUNTY: RegionLevel.PREFECTURE, RegionLevel.PREFECTURE: RegionLevel.PROVINCE}


class Region(models.Model):
    """A level above the towns (issue 25): province (省、自治区) → 盟市 → 旗县; towns sit in a 旗县.

    A town names its county in `Town.county`; the county's Region carries that name (unique among counties), so the
    towns of a region are the towns whose county lies under it — the county view and every county viewer's scope
    keep working by the county's name, and a region above adds its counties' towns.
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=20, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )

    class Meta:
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(level="county"), name="region_county_name_unique"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="region_name_unique_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name


def counties_under(region_ids: Any) -> models.QuerySet[Region]:
    """The county Regions at or below `region_ids` (ids or a values() queryset): three levels, so two hops."""
    return Region.objects.filter(level=RegionLevel.COUNTY).filter(
        Q(pk__in=region_ids) | Q(parent__in=region_ids) | Q(parent__parent__in=region_ids)
    )


class Role(models.TextChoices):
    OFFICER = "officer", _("安委办工作人员")
    LEADER = "leader", _("镇领导")
    BODY_STAFF = "body_staff", _("部门工作人员")
    VILLAGE_STAFF = "village_staff", _("嘎查村（社区）工作人员")
    COUNTY_VIEWER = "county_viewer", _("旗县监管人员")
    SYSADMIN = "sysadmin", _("系统管理员")
    AUDITOR = "auditor", _("审计管理员")
    ENTERPRISE = "enterprise", _("企业安全管理人员")


# Roles that may read a town's business data; the system administrator manages accounts only (等保 separation).
READ_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.BODY_STAFF, Role.VILLAGE_STAFF, Role.COUNTY_VIEWER})
# Roles that read every record of the town; body and village staff read only their part (yigang.towns.scope).
WHOLE_TOWN_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.COUNTY_VIEWER})
NARROW_ROLES = frozenset({Role.BODY_STAFF, Role.VILLAGE_STAFF})
# The 安委办 officer changes the town's register and anyone's records.
MANAGE_ROLES = frozenset({Role.OFFICER})
# Roles that create and change their own records (duty records, reports).
OWN_RECORD_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.BODY_STAFF, Role.VILLAGE_STAFF})
# The system administrator: accounts and settings, never business data.
ADMIN_ROLES = frozenset({Role.SYSADMIN})
# The audit administrator (等保 level 3 三员分立): reads and verifies the audit trail, nothing else.
AUDIT_ROLES = frozenset({Role.AUDITOR})
# An enterprise's safety manager (企业安全管理人员, issue 24.5): its Membership.unit is the enterprise's org.Unit, the
# `unit` of a registered place. Not a reading role: every `for_user` that goes by READ_ROLES gives it nothing, and
# only the querysets that name it (places, hazards) give it its own place; `yigang.towns.enterprise` keeps it to
# the few pages and endpoints it may use.
ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE})
# Roles a system administrator may only ask for: they take effect when an 安委办 officer confirms (RoleGrant).
CONFIRMED_ROLES = READ_ROLES | AUDIT_ROLES | ENTERPRISE_ROLES


class Membership(models.Model):
    """A user's role in one town, or across a county for a county viewer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    town = models.ForeignKey(
        Town,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("乡镇"),
    )
    county = models.CharField(_("旗县"), max_length=100, blank=True, help_text=_("仅旗县监管人员填写"))
    # A viewer above the county (a 盟市 or a province): reads every town of every county under the region.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("行政区域"),
        help_text=_("仅盟市、省级监管人员填写"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )

    class Meta:
        verbose_name = _("岗位权限")
        verbose_name_plural = _("岗位权限")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(town__isnull=False) | ~Q(county="") | Q(region__isnull=False),
                name="membership_has_town_county_or_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.town or self.county or self.region}"


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("已拒绝")


class GrantReason(models.TextChoices):
    GRANT = "grant", _("新分配")
    RESET = "reset", _("密码重置后恢复")


class RoleGrant(models.Model):
    """A business or audit role a system administrator asked to give an account (三员分立).

    It confers nothing until an 安委办 officer of the town (for a county-level role: of a town of the county)
    confirms it, and the officer may confirm only once the account's holder has replaced the password the
    administrator saw. Confirming creates the Membership; the request stays as the record of who asked and who
    confirmed. A password reset by an administrator turns the account's business roles back into such requests.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("乡镇")
    )
    county = models.CharField(_("旗县"), max_length=100, blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )
    reason = models.CharField(
        _("缘由"), max_length=20, choices=GrantReason.choices, default=GrantReason.GRANT
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("申请人"),
    )
    requested_at = models.DateTimeField(_("申请时间"))
    status = models.CharField(
        _("状态"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("角色申请")
        verbose_name_plural = _("角色申请")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.town or self.county}（{self.get_status_display()}）"

    @property
    def is_pending(self) -> bool:
        return self.status == GrantStatus.PENDING


class Account(models.Model):
    """Security state of a login account beyond Django's user: forced password change, last change."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account", verbose_name=_("用户")
    )
    must_change_password = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("导入、演示或由管理员设置初始密码的账号，首次登录须修改密码"),
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号安全")
        verbose_name_plural = _("账号安全")

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """The hashes of an account's recent passwords: a new password must differ from them (等保2.0 口令更换).

    One row per password set (created, reset or changed); `yigang.towns.passwords.PasswordHistoryValidator`
    refuses a new password that matches the current one or one of the last `PASSWORD_HISTORY`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_history",
        verbose_name=_("用户"),
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    set_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.set_at:%Y-%m-%d %H:%M}"


def towns_for(user: AnyUser, roles: frozenset[str] = READ_ROLES) -> models.QuerySet[Town]:
    """The towns a user may see in one of `roles`: its own memberships and, for a county viewer, its county."""
    if not user.is_authenticated:
        return Town.objects.none()
    memberships = Membership.objects.filter(user_id=user.pk, role__in=roles)
    counties = memberships.exclude(county="").values("county")
    regional = counties_under(memberships.filter(region__isnull=False).values("region")).values("name")
    return Town.objects.filter(
        Q(memberships__in=memberships) | Q(county__in=counties) | Q(county__in=regional)
    ).distinct()


def has_role(user: AnyUser, town: Town, roles: frozenset[str]) -> bool:
    """Whether a user holds one of `roles` in `town` (a county role covers every town of its county) — the same
    answer as `towns_for(user, roles)` containing the town, from the user's memberships (read once a request)."""
    return bool(roles_in(user, town) & roles)


def roles_in(user: AnyUser, town: Town) -> set[str]:
    """The user's roles in `town`: by a membership of the town, or of its county (a county viewer)."""
    if not user.is_authenticated:
        return set()
    return {
        role
        for role, town_id, county in memberships_of(user)
        if town_id == town.pk or (county != "" and county == town.county)
    }


# A page asks "may this user …?" several times (the view, the menu, the overview's links): within one request the
# user's memberships and towns are read once. Only inside a request (CurrentTownMiddleware opens the scope), so a
# test or command that changes memberships and asks again is never answered from memory; a membership saved or
# deleted during the request empties the scope.
_kept: ContextVar[dict[tuple[str, Any, frozenset[str]], Any] | None] = ContextVar(
    "yigang_memberships", default=None
)


@contextlib.contextmanager
def memberships_kept() -> Iterator[None]:
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def _kept_or(key: tuple[str, Any, frozenset[str]], load: Callable[[], Any]) -> Any:
    kept = _kept.get()
    if kept is None:
        return load()
    if key not in kept:
        kept[key] = load()
    return kept[key]


def memberships_of(user: AnyUser) -> list[tuple[str, int | None, str]]:
    """The user's memberships as (role, town id, county); a region's membership stands as one row per county under
    it, so every answer that goes by counties covers a 盟市's or a province's towns too."""
    pk = user.pk
    assert pk is not None, "memberships of a saved user"

    def load() -> list[tuple[str, int | None, str]]:
        found = list(
            Membership.objects.filter(user_id=pk)
            .order_by()
            .values_list("role", "town_id", "county", "region_id")
        )
        rows: list[tuple[str, int | None, str]] = [
            (role, town_id, county) for role, town_id, county, region_id in found if region_id is None
        ]
        regional = [(role, region_id) for role, _town, _county, region_id in found if region_id is not None]
        if regional:
            counties = counties_under({region_id for _role, region_id in regional}).values_list(
                "name", "pk", "parent_id", "parent__parent_id"
            )
            for name, *above in counties:
                rows += [(role, None, name) for role, region_id in regional if region_id in above]
        return rows

    kept: list[tuple[str, int | None, str]] = _kept_or(("memberships", pk, frozenset()), load)
    return kept


def user_towns(user: AnyUser, roles: frozenset[str] = READ_ROLES) -> list[Town]:
    """`towns_for(user, roles)` by name, as a list."""
    if not user.is_authenticated:
        return []

    def load() -> list[Town]:
        # From the memberships already read (the same towns as `towns_for`, in a query without subqueries).
        mine = [(town_id, county) for role, town_id, county in memberships_of(user) if role in roles]
        ids = {town_id for town_id, _county in mine if town_id is not None}
        counties = {county for _town_id, county in mine if county}
        if not ids and not counties:
            return []
        return list(Town.objects.filter(Q(pk__in=ids) | Q(county__in=counties)).order_by("name"))

    towns: list[Town] = _kept_or(("towns", user.pk, roles), load)
    return towns


@receiver([post_save, post_delete], sender="towns.Membership")
def _memberships_changed(**_kwargs: Any) -> None:
    kept = _kept.get()
    if kept is not None:
        kept.clear()


M = TypeVar("M", bound=models.Model)


class ScopeFilter:
    """The read filter of `Scope` as subqueries: `queryset.filter(ScopeFilter(user).q(...))` runs one query."""

    def __init__(self, user: AnyUser) -> None:
        self.user = user

    def units(self) -> models.QuerySet[Any, Any]:
        """The units of the user's body-staff roles (a subquery of unit ids)."""
        return self._mine(Role.BODY_STAFF)

    def villages(self) -> models.QuerySet[Any, Any]:
        """The villages of the user's village-staff roles (a subquery of unit ids: a village is a Unit)."""
        return self._mine(Role.VILLAGE_STAFF)

    def enterprises(self) -> models.QuerySet[Any, Any]:
        """The enterprise units of the user's enterprise roles (a subquery of unit ids). No model's generic scope
        reads it: a queryset that gives an enterprise's account its own rows names it itself (places, hazards)."""
        return self._mine(Role.ENTERPRISE)

    def _mine(self, role: str) -> models.QuerySet[Any, Any]:
        mine = Membership.objects.filter(user_id=self.user.pk or 0)  # anonymous (no pk): none
        return mine.filter(role=role, unit__isnull=False).values("unit_id")

    def q(
        self,
        *,
        town_field: str = "town",
        unit_field: str | None = None,
        sector_field: str | None = None,
        village_field: str | None = None,
        part: Q | None = None,
    ) -> Q:
        """`part` is a narrow reader's part the model builds itself, for a part reached through a many-valued
        relation (a duty record's credited posts): a plain lookup there would repeat a row once per match."""
        user = self.user
        if not user.is_authenticated:
            return Q(pk__in=[])
        readable = towns_for(user, READ_ROLES)
        if unit_field is None and sector_field is None and village_field is None and part is None:
            return Q(**{f"{town_field}__in": readable})
        units, villages = self.units(), self.villages()
        part = part if part is not None else Q(pk__in=[])
        if unit_field is not None:
            part |= Q(**{f"{unit_field}__in": units}) | Q(**{f"{unit_field}__in": villages})
        if sector_field is not None:
            supervision: Any = apps.get_model("org", "Supervision")
            sectors = supervision.objects.filter(unit_id__in=units).values("sector_id")
            part |= Q(**{f"{sector_field}__in": sectors})
        if village_field is not None:
            part |= Q(**{f"{village_field}__in": villages})
        # The towns' ids, not subqueries: the planner knows how many rows one town has, not a subquery's.
        whole = Q(**{f"{town_field}__in": [t.pk for t in user_towns(user, WHOLE_TOWN_ROLES)]})
        narrow = Q(**{f"{town_field}__in": [t.pk for t in user_towns(user, NARROW_ROLES)]}) & part
        # Leave out the branch of roles the user does not hold (its town list would be empty, so the result is the
        # same): the database would still evaluate the part's subqueries — for a duty record, every credit of the
        # county (0.75 s on a 100-town county on PostgreSQL, for an officer who reads the whole town anyway).
        roles = {role for role, _town, _county in memberships_of(user)}
        if not roles & NARROW_ROLES:
            return whole if roles & WHOLE_TOWN_ROLES else Q(pk__in=[])
        if not roles & WHOLE_TOWN_ROLES:
            return narrow
        return whole | narrow


class TownScopedQuerySet(models.QuerySet[M, M]):
    """The one scoping method: every query a user triggers goes through `for_user`.

    A model whose records belong to part of a town names that part here (`unit_field`, `sector_field`,
    `village_field`, as lookups from the model); body and village staff then see only their part
    (yigang.towns.scope). Models that set none are town-wide reference data.
    """

    town_field = "town"
    unit_field: str | None = None
    sector_field: str | None = None
    village_field: str | None = None

    def for_user(self, user: AnyUser, roles: frozenset[str] = READ_ROLES) -> TownScopedQuerySet[M]:
        """What `user` may read; with explicit `roles`, the whole of each town where they hold one of them."""
        if roles != READ_ROLES:
            return self.filter(**{f"{self.town_field}__in": towns_for(user, roles)})
        return self.filter(
            ScopeFilter(user).q(
                town_field=self.town_field,
                unit_field=self.unit_field,
                sector_field=self.sector_field,
                village_field=self.village_field,
            )
        )

    def in_town(self, town: Town) -> TownScopedQuerySet[M]:
        return self.filter(**{self.town_field: town})
