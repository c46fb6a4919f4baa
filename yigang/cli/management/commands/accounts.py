"""`yigang accounts list|create|import|revoke|reset-password|confirm|unlock|activate|deactivate`: the operator's
account tools.

Accounts created or imported here get a random initial password (printed once) that must be changed at first
login in production. Roles given here take effect at once: the operator at the shell is trusted (on the web, a
system administrator's business-role grant waits for the 安委办's confirmation). `confirm` confirms an account's
pending roles where no 安委办 officer can (the town's only officer had their password reset). Everything goes
through yigang.towns.actions and the audit trail.
"""

from __future__ import annotations

import csv
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yigang.towns import actions
from yigang.towns.commandline import actor_arg, dump, town_arg
from yigang.towns.models import Role


def _user(username: str) -> Any:
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"没有用户“{username}”") from None


def _unit(town: Any, name: str | None) -> Any:
    if not name:
        return None
    from django.apps import apps

    unit = apps.get_model("org", "Unit").objects.filter(town=town, name=name).first()
    if unit is None:
        raise CommandError(f"{town.name}没有名为“{name}”的单位")
    return unit


def _where(membership: Any) -> str:
    """Where a membership holds: the town's code, the county's name, or the region's code."""
    if membership.town_id:
        return str(membership.town.code)
    return str(membership.county or (membership.region.code if membership.region_id else ""))


def _region(code: str) -> Any:
    if not code:
        return None
    from yigang.towns.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise CommandError(f"没有代码为“{code}”的区域（yigang region list）")
    return region


def _role(value: str) -> str:
    by_label = {str(label): value for value, label in Role.choices}
    role = value if value in Role.values else by_label.get(value)
    if role is None:
        raise CommandError(f"没有角色“{value}”；可用：{'、'.join(Role.values)}")
    return role


class Command(BaseCommand):
    help = "Create, import, list, unlock and reset login accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list", help="accounts with their roles")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("create", help="a new account with a random initial password (printed once)")
        p.add_argument("username")
        p.add_argument("--name", default="", help="full name")
        p.add_argument("--role", help="officer, leader, body_staff, village_staff, county_viewer, sysadmin")
        p.add_argument("--town")
        p.add_argument("--county", default="", help="for a county viewer")
        p.add_argument("--region", default="", help="for a county viewer at a 盟市 or a province: its code")
        p.add_argument(
            "--unit",
            help="the unit: the body or village of body or village staff, the enterprise of its safety manager",
        )
        p.add_argument("--user", help="act as this user (audit trail)")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser(
            "import", help="accounts from a CSV: username,name,role,unit (UTF-8, with a header)"
        )
        p.add_argument("file")
        p.add_argument("--town")
        p.add_argument("--user")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("revoke", help="withdraw a county viewer's role at a region (the account stays)")
        p.add_argument("username")
        p.add_argument("--region", required=True, help="the region's code")
        p.add_argument("--user")

        for name, text in (
            ("reset-password", "a new random password that must be changed at next login"),
            ("confirm", "confirm the account's pending roles (where no 安委办 officer can)"),
            ("unlock", "clear a failed-login lockout"),
            ("activate", "allow the account to log in again"),
            ("deactivate", "stop the account from logging in (accounts are never deleted)"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("username")
            p.add_argument("--user")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "do_" + opts["action"].replace("-", "_"))(opts)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None

    def do_list(self, opts: dict[str, Any]) -> None:
        users = (
            get_user_model()
            .objects.order_by("username")
            .prefetch_related("memberships__town", "memberships__region")
        )
        rows: list[dict[str, Any]] = [
            {
                "username": u.username,
                "name": u.get_full_name(),
                "active": u.is_active,
                "roles": [f"{m.role}@{_where(m)}" for m in u.memberships.all()],
            }
            for u in users
        ]
        if opts["json"]:
            self.stdout.write(dump(rows))
            return
        for r in rows:
            state = "" if r["active"] else "（已停用）"
            self.stdout.write(f"{r['username']:<16} {r['name']:<20} {', '.join(r['roles'])}{state}")

    def _create(
        self,
        *,
        username: str,
        name: str,
        role: str | None,
        town: Any,
        county: str,
        unit: str | None,
        actor: Any,
        source: str,
        region: Any = None,
    ) -> dict[str, str]:
        user, password = actions.create_account(
            username=username, full_name=name, actor=actor, source=source, must_change=True
        )
        if role:
            actions.add_membership(
                user=user,
                role=_role(role),
                town=None if _role(role) == Role.COUNTY_VIEWER else town,
                county="" if region is not None else county or (town.county if town else ""),
                unit=_unit(town, unit) if town else None,
                actor=actor,
                confirmed=True,  # the operator at the shell
                region=region,
            )
        return {"username": username, "name": name, "role": role or "", "password": password}

    def do_create(self, opts: dict[str, Any]) -> None:
        if opts["region"] and (not opts["role"] or _role(opts["role"]) != Role.COUNTY_VIEWER):
            raise CommandError("--region 只用于监管查看人员：请同时给出 --role county_viewer")
        town = town_arg(opts["town"]) if opts["role"] and _role(opts["role"]) != Role.COUNTY_VIEWER else None
        with transaction.atomic():
            row = self._create(
                username=opts["username"],
                name=opts["name"],
                role=opts["role"],
                town=town,
                county=opts["county"],
                unit=opts["unit"],
                actor=actor_arg(opts["user"]),
                source="cli",
                region=_region(opts["region"]),
            )
        if opts["json"]:
            self.stdout.write(dump(row))
        else:
            self.stdout.write(
                f"已创建 {row['username']}，初始密码（只显示这一次，首次登录须修改）：{row['password']}"
            )

    def do_import(self, opts: dict[str, Any]) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        town, actor = town_arg(opts["town"]), actor_arg(opts["user"])
        with path.open(encoding="utf-8-sig", newline="") as f:
            records = list(csv.DictReader(f))
        if not records or "username" not in records[0]:
            raise CommandError("CSV 须有表头：username,name,role,unit")
        created = []
        # All or nothing: one bad line and no account of the file is created.
        with transaction.atomic():
            for line, r in enumerate(records, start=2):
                try:
                    created.append(
                        self._create(
                            username=(r.get("username") or "").strip(),
                            name=(r.get("name") or "").strip(),
                            role=(r.get("role") or "").strip() or None,
                            town=town,
                            county="",
                            unit=(r.get("unit") or "").strip() or None,
                            actor=actor,
                            source="import",
                        )
                    )
                except (ValidationError, CommandError) as exc:
                    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                    raise CommandError(f"第 {line} 行：{'；'.join(messages)}（未导入任何账号）") from None
        if opts["json"]:
            self.stdout.write(dump(created))
            return
        self.stdout.write(f"已导入 {len(created)} 个账号；初始密码只显示这一次，首次登录须修改：")
        for row in created:
            self.stdout.write(f"  {row['username']:<16} {row['password']}")

    def do_reset_password(self, opts: dict[str, Any]) -> None:
        password = actions.reset_password(user=_user(opts["username"]), actor=actor_arg(opts["user"]))
        self.stdout.write(f"新密码（只显示这一次，下次登录须修改）：{password}")

    def do_confirm(self, opts: dict[str, Any]) -> None:
        from yigang.towns.models import GrantStatus, RoleGrant

        user = _user(opts["username"])
        grants = list(RoleGrant.objects.filter(user=user, status=GrantStatus.PENDING))
        if not grants:
            raise CommandError(f"{user.username} 没有待确认的角色")
        with transaction.atomic():
            for grant in grants:
                actions.confirm_grant(grant=grant, actor=actor_arg(opts["user"]), by_operator=True)
        self.stdout.write(f"已确认 {user.username} 的 {len(grants)} 个角色")

    def do_revoke(self, opts: dict[str, Any]) -> None:
        user, region = _user(opts["username"]), _region(opts["region"])
        membership = user.memberships.filter(role=Role.COUNTY_VIEWER, region=region).first()
        if membership is None:
            raise CommandError(f"{user.username} 在{region.name}没有监管查看角色")
        actions.remove_membership(membership=membership, actor=actor_arg(opts["user"]))
        self.stdout.write(f"已撤销 {user.username} 在{region.name}的监管查看角色")

    def do_unlock(self, opts: dict[str, Any]) -> None:
        actions.unlock(user=_user(opts["username"]), actor=actor_arg(opts["user"]))
        self.stdout.write(f"已解除 {opts['username']} 的锁定")

    def do_activate(self, opts: dict[str, Any]) -> None:
        actions.set_active(user=_user(opts["username"]), active=True, actor=actor_arg(opts["user"]))
        self.stdout.write(f"已启用 {opts['username']}")

    def do_deactivate(self, opts: dict[str, Any]) -> None:
        actions.set_active(user=_user(opts["username"]), active=False, actor=actor_arg(opts["user"]))
        self.stdout.write(f"已停用 {opts['username']}")
