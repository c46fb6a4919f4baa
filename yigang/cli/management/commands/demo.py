"""`yigang demo`: the demo town 乌审召镇 with its regulation in force and demo accounts. Safe to re-run."""

from __future__ import annotations

from argparse import ArgumentParser
from importlib import resources
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from yigang.cli import demo_data
from yigang.org.actions import add_post, add_unit, sync_sectors_from_regulation
from yigang.org.models import Post, Unit, UnitKind
from yigang.regulations import actions
from yigang.regulations.choices import PostKind
from yigang.regulations.models import Regulation, Status
from yigang.towns.models import Membership, Role, Town


class Command(BaseCommand):
    help = "Create (or complete) the demo town 乌审召镇 and print its demo accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="do not print the accounts")

    def handle(self, *args: Any, **opts: Any) -> None:
        with transaction.atomic():
            town, _ = Town.objects.get_or_create(
                code=demo_data.TOWN["code"],
                defaults={"name": demo_data.TOWN["name"], "county": demo_data.TOWN["county"]},
            )
            self._regulation(town)
            self._units_and_posts(town)
            self._accounts(town)
        if not opts["quiet"]:
            self.stdout.write(f"示范乡镇：{town.name}（--town {town.code}）")
            self.stdout.write(f"示范账号（密码均为 {demo_data.DEMO_PASSWORD}）：")
            for username, name, role, _unit in demo_data.ACCOUNTS:
                self.stdout.write(f"  {username:<10} {Role(role).label:<14} {name}")

    def _regulation(self, town: Town) -> None:
        if Regulation.objects.filter(town=town).exclude(status=Status.DISCARDED).exists():
            return
        data = resources.files("yigang.regulations").joinpath("data/wushenzhao-2022.txt").read_bytes()
        regulation = actions.import_regulation(
            town=town, data=data, filename="wushenzhao-2022.txt", actor=None
        )
        actions.activate_regulation(regulation=regulation, actor=None)
        sync_sectors_from_regulation(regulation=regulation, actor=None)

    def _units_and_posts(self, town: Town) -> None:
        def unit(name: str, kind: str) -> Unit:
            found = Unit.objects.filter(town=town, name=name).first()
            return found or add_unit(town=town, name=name, kind=kind, actor=None)

        def post(at: Unit, title: str, kind: str) -> None:
            if not Post.objects.filter(unit=at, title=title).exists():
                add_post(unit=at, title=title, kind=kind, actor=None)

        for unit_name, kind, title, post_kind in demo_data.LEADERSHIP:
            post(unit(unit_name, kind), title, post_kind)
        for name in demo_data.VILLAGES:
            post(unit(name, UnitKind.VILLAGE), f"{name}党支部书记", PostKind.VILLAGE_SECRETARY)
        for body in Unit.objects.filter(town=town, kind=UnitKind.BODY):
            post(body, f"{body.name}负责人", PostKind.DEPARTMENT_HEAD)

    def _accounts(self, town: Town) -> None:
        users = get_user_model()
        for username, name, role, unit_name in demo_data.ACCOUNTS:
            user = users.objects.filter(username=username).first()
            if user is None:
                user = users.objects.create_user(username=username, password=demo_data.DEMO_PASSWORD)
                user.first_name = name[:150]
                user.save(update_fields=["first_name"])
            unit = Unit.objects.filter(town=town, name=unit_name).first() if unit_name else None
            if role == Role.COUNTY_VIEWER:
                Membership.objects.get_or_create(user=user, role=role, county=town.county, town=None)
            else:
                Membership.objects.get_or_create(user=user, role=role, town=town, defaults={"unit": unit})
