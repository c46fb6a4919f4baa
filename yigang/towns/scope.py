"""A user's scope: which towns, and inside a town which units, sectors and villages, they may see and change.

The model (docs/security.md):

| role | reads | writes |
|---|---|---|
| officer (安委办) | the whole town | everything in the town |
| leader | the whole town | own records |
| body staff | town-wide reference data, and records of their unit or of the sectors their unit supervises | own records |
| village staff | town-wide reference data, and records of their village | own records |
| county viewer | every town of their county | nothing |
| sysadmin | no business data | accounts of their towns (or county) |
| enterprise (企业安全管理人员) | its own place and the hazards at its unit only (not a reading role) | 企业自查 reports, 提请验收 |

A record is "town-wide reference data" when its model names no unit, sector or village (the regulation, the
sectors table): every reading role of the town sees it. A model that names one declares it on its queryset
(`unit_field`, `sector_field`, `village_field` of `TownScopedQuerySet`) and body or village staff then see only
the rows that fall in their part of the town.

`ScopeFilter` (in models.py, beside the queryset that uses it) builds the filter from subqueries, so scoping a queryset costs no extra query; `Scope` is the
same thing materialised for a view that needs to decide (`can_write(town)`, `sector_ids`, …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import models

from .models import (
    ADMIN_ROLES,
    MANAGE_ROLES,
    NARROW_ROLES,
    OWN_RECORD_ROLES,
    READ_ROLES,
    WHOLE_TOWN_ROLES,
    Membership,
    Role,
    Town,
    towns_for,
)

if TYPE_CHECKING:
    from .models import AnyUser


def _town_id(town: Town | int) -> int:
    return town if isinstance(town, int) else town.pk


@dataclass(frozen=True)
class Scope:
    """What one user may see and change, resolved to ids (a few queries; build once per request)."""

    user_id: int | None
    town_ids: frozenset[int]
    whole_town_ids: frozenset[int]
    write_town_ids: frozenset[int]
    own_record_town_ids: frozenset[int]
    admin_town_ids: frozenset[int]
    admin_counties: frozenset[str]
    unit_ids: frozenset[int]
    sector_ids: frozenset[int]
    village_ids: frozenset[int]

    @classmethod
    def for_user(cls, user: AnyUser) -> Scope:
        if not user.is_authenticated:
            return cls(None, *([frozenset()] * 9))
        memberships = list(Membership.objects.filter(user_id=user.pk).select_related("unit"))

        def towns(roles: frozenset[str]) -> frozenset[int]:
            return frozenset(towns_for(user, roles).values_list("pk", flat=True))

        narrow = [m for m in memberships if m.role in NARROW_ROLES and m.unit_id is not None]
        unit_ids = frozenset(m.unit_id for m in narrow if m.role == Role.BODY_STAFF and m.unit_id)
        village_ids = frozenset(m.unit_id for m in narrow if m.role == Role.VILLAGE_STAFF and m.unit_id)
        sector_ids: frozenset[int] = frozenset()
        if unit_ids:
            supervision = apps.get_model("org", "Supervision")
            sector_ids = frozenset(
                supervision.objects.filter(unit_id__in=unit_ids).values_list("sector_id", flat=True)
            )
        return cls(
            user_id=user.pk,
            town_ids=towns(READ_ROLES),
            whole_town_ids=towns(WHOLE_TOWN_ROLES),
            write_town_ids=towns(MANAGE_ROLES),
            own_record_town_ids=towns(OWN_RECORD_ROLES),
            admin_town_ids=towns(ADMIN_ROLES),
            admin_counties=frozenset(m.county for m in memberships if m.role in ADMIN_ROLES and m.county),
            unit_ids=unit_ids,
            sector_ids=sector_ids,
            village_ids=village_ids,
        )

    @property
    def towns(self) -> models.QuerySet[Town]:
        """The towns whose business data the user may read."""
        return Town.objects.filter(pk__in=self.town_ids)

    def can_read(self, town: Town | int) -> bool:
        return _town_id(town) in self.town_ids

    def sees_whole(self, town: Town | int) -> bool:
        """Reads every record of the town (officer, leader, county viewer), not only a unit's or village's part."""
        return _town_id(town) in self.whole_town_ids

    def can_write(self, town: Town | int) -> bool:
        """May change the town's register and anyone's records in it (the 安委办 officer)."""
        return _town_id(town) in self.write_town_ids

    def can_write_own(self, town: Town | int) -> bool:
        """May create and change their own records in the town (every role but the county viewer and sysadmin)."""
        return _town_id(town) in self.own_record_town_ids

    def can_admin(self, town: Town | int) -> bool:
        """May manage the accounts of the town (the system administrator); grants no business data."""
        return _town_id(town) in self.admin_town_ids

    @property
    def is_sysadmin(self) -> bool:
        return bool(self.admin_town_ids or self.admin_counties)

    def covers(
        self,
        *,
        town: Town | int,
        unit: int | None = None,
        sector: int | None = None,
        village: int | None = None,
    ) -> bool:
        """Whether a record of `town` that names this unit/sector/village is in the user's scope."""
        if self.sees_whole(town):
            return True
        if not self.can_read(town):
            return False
        if unit is None and sector is None and village is None:
            return True  # town-wide reference data
        return (
            (unit is not None and unit in self.unit_ids)
            or (unit is not None and unit in self.village_ids)
            or (sector is not None and sector in self.sector_ids)
            or (village is not None and village in self.village_ids)
        )
