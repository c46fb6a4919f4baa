"""Towns (the tenants), who may act in them, and the scoping every domain query goes through."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class Role(models.TextChoices):
    OFFICER = "officer", _("安委办工作人员")
    LEADER = "leader", _("镇领导")
    BODY_STAFF = "body_staff", _("部门工作人员")
    VILLAGE_STAFF = "village_staff", _("嘎查村（社区）工作人员")
    COUNTY_VIEWER = "county_viewer", _("旗县监管人员")
    SYSADMIN = "sysadmin", _("系统管理员")
    AUDITOR = "auditor", _("审计管理员")


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
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )

    class Meta:
        verbose_name = _("岗位权限")
        verbose_name_plural = _("岗位权限")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(town__isnull=False) | ~Q(county=""), name="membership_has_town_or_county"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.town or self.county}"


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
    return Town.objects.filter(Q(memberships__in=memberships) | Q(county__in=counties)).distinct()


def has_role(user: AnyUser, town: Town, roles: frozenset[str]) -> bool:
    """Whether a user holds one of `roles` in `town` (a county role covers every town of its county)."""
    return towns_for(user, roles).filter(pk=town.pk).exists()


M = TypeVar("M", bound=models.Model)


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
        from .scope import ScopeFilter

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
