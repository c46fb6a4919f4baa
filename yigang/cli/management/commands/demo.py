"""`yigang demo`: the demo town 乌审召镇 with its regulation in force, register and accounts. Safe to re-run."""

from __future__ import annotations

from argparse import ArgumentParser
from importlib import resources
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yigang.accidents import demo as accidents_demo
from yigang.assessment import demo as assessment_demo
from yigang.cli import county, demo_county, demo_data, demo_duties, demo_regions
from yigang.hazards import demo as demo_hazards
from yigang.org import actions as org
from yigang.org import demo as org_demo
from yigang.org.models import Person, Portfolio, Post, Sector, Supervision, Tenure, Unit, UnitChange, UnitKind
from yigang.places import demo as places_demo
from yigang.regulations import actions
from yigang.regulations import demo as regulations_demo
from yigang.regulations.choices import PostKind
from yigang.regulations.models import Regulation, Status
from yigang.signoff import demo as signoff_demo
from yigang.towns.actions import link_person, mark_must_change
from yigang.towns.models import Membership, Region, RegionLevel, Role, Town
from yigang.towns.passwords import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create (or complete) the demo town 乌审召镇 and print its demo accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="do not print the accounts")
        parser.add_argument(
            "--towns", type=int, default=1, help="a synthetic region of N towns (default 1: the demo town)"
        )
        parser.add_argument(
            "--counties", type=int, default=1, help="spread the N towns over M counties (default 1)"
        )
        parser.add_argument(
            "--through-actions",
            action="store_true",
            help="write every synthetic town through the actions (slow; the bulk copy's reference)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["counties"] < 1 or opts["counties"] > max(opts["towns"], 1):
            raise CommandError("--counties 须在 1 到 --towns 之间")
        with demo_data.quick_demo_hashes():
            self._load(opts)

    def _load(self, opts: dict[str, Any]) -> None:
        with transaction.atomic():
            town, _ = Town.objects.get_or_create(
                code=demo_data.TOWN["code"],
                defaults={"name": demo_data.TOWN["name"], "county": demo_data.TOWN["county"]},
            )
            self._regulation(town)
            self._units_and_posts(town)
            self._accounts(town)
            self._people(town)
            self._portfolios(town)
            self._enterprises(town)
            self._reorganisation(town)
            org_demo.load(town)
            demo_duties.load(town)
            # The places before the hazards: a hazard at a registered enterprise names it as the rectifier
            # (主体责任) in its routing, as of the day it was found — registered afterwards, it never would.
            places_demo.load(town)
            self._enterprise_accounts(town)
            demo_hazards.load(town)
            places_demo.load_orders(town)
            signoff_demo.load(town)
            accidents_demo.load(town)
            assessment_demo.load(town)
            second = demo_county.load(town.county)  # the county view compares the two
            prefecture = demo_regions.load(town.county)  # 乌审旗 under 鄂尔多斯市, and its viewer (issue 25)
            # The county's own 实施细则 with its model duties, which the demo towns are held against (issue 25.5).
            regulations_demo.load(Region.objects.get(level=RegionLevel.COUNTY, name=town.county))
        if opts["towns"] > 1:
            county.load(
                self,
                opts["towns"],
                self.stdout.write,
                counties=opts["counties"],
                through_actions=opts["through_actions"],
            )
        if not opts["quiet"]:
            self.stdout.write(f"示范乡镇：{town.name}（--town {town.code}）")
            self.stdout.write(f"同旗县的第二个示范乡镇：{second.name}（--town {second.code}），供旗县对比")
            self.stdout.write(f"示范账号（密码均为 {DEMO_PASSWORD}）：")
            for username, name, role, _unit, _person in demo_data.ACCOUNTS:
                self.stdout.write(f"  {username:<10} {Role(role).label:<14} {name}")
            username, name, _at = demo_regions.ACCOUNT
            self.stdout.write(f"  {username:<10} {Role.COUNTY_VIEWER.label:<14} {name}（{prefecture.name}）")

    def build_town(self, town: Town) -> None:
        """A further town of the synthetic county: the demo town's register, without its accounts."""
        self._link_accounts = False
        try:
            for step in (self._regulation, self._units_and_posts, self._people, self._portfolios):
                step(town)
            self._enterprises(town)
            self._reorganisation(town)
        finally:
            self._link_accounts = True

    def _regulation(self, town: Town) -> None:
        if Regulation.objects.filter(town=town).exclude(status=Status.DISCARDED).exists():
            return
        data = resources.files("yigang.regulations").joinpath("data/wushenzhao-2022.txt").read_bytes()
        regulation = actions.import_regulation(
            town=town, data=data, filename="wushenzhao-2022.txt", actor=None
        )
        actions.activate_regulation(regulation=regulation, actor=None)
        org.sync_sectors_from_regulation(regulation=regulation, actor=None)

    def _units_and_posts(self, town: Town) -> None:
        def unit(name: str, kind: str) -> Unit:
            found = Unit.objects.filter(town=town, name=name, active=True).first()
            return found or org.add_unit(town=town, name=name, kind=kind, actor=None)

        def post(at: Unit, title: str, kind: str) -> None:
            if not Post.objects.filter(unit=at, title=title).exists():
                org.add_post(unit=at, title=title, kind=kind, actor=None)

        for unit_name, kind, title, post_kind in demo_data.LEADERSHIP:
            post(unit(unit_name, kind), title, post_kind)
        for name in demo_data.VILLAGES:
            post(unit(name, UnitKind.VILLAGE), f"{name}党支部书记", PostKind.VILLAGE_SECRETARY)
        for body in Unit.objects.filter(town=town, kind=UnitKind.BODY, active=True):
            if not Post.objects.filter(unit=body, kind=PostKind.DEPARTMENT_HEAD).exists():
                post(body, f"{body.name}负责人", PostKind.DEPARTMENT_HEAD)
        for unit_name, title in demo_data.STAFF_POSTS:
            staffed = Unit.objects.filter(town=town, name=unit_name, active=True).first()
            if staffed is not None:
                post(staffed, title, "")

    def _accounts(self, town: Town) -> None:
        users = get_user_model()
        for username, name, role, unit_name, _person in demo_data.ACCOUNTS:
            user = users.objects.filter(username=username).first()
            if user is None:
                user = users.objects.create_user(username=username, password=DEMO_PASSWORD)
                user.first_name = name[:150]
                user.save(update_fields=["first_name"])
                # A printed, shared password: production makes each person choose their own at first login.
                mark_must_change(user=user, actor=None, source="demo")
            unit = Unit.objects.filter(town=town, name=unit_name, active=True).first() if unit_name else None
            if role == Role.ENTERPRISE:
                continue  # its enterprise and place are loaded later (_enterprise_accounts)
            if role == Role.COUNTY_VIEWER:
                Membership.objects.get_or_create(user=user, role=role, county=town.county, town=None)
            else:
                Membership.objects.get_or_create(user=user, role=role, town=town, defaults={"unit": unit})

    def _enterprise_accounts(self, town: Town) -> None:
        """The enterprise's own account (the demo petrol station's safety manager), on its enterprise unit."""
        users = get_user_model()
        for username, _name, role, unit_name, _person in demo_data.ACCOUNTS:
            if role != Role.ENTERPRISE:
                continue
            unit = Unit.objects.get(town=town, name=unit_name, kind=UnitKind.ENTERPRISE, active=True)
            Membership.objects.get_or_create(
                user=users.objects.get(username=username), role=role, town=town, defaults={"unit": unit}
            )

    def _person(self, town: Town, name: str, phone: str) -> Person:
        username = next((a[0] for a in demo_data.ACCOUNTS if a[4] == name), None)
        if not getattr(self, "_link_accounts", True):
            username = None  # a synthetic town's people have no accounts
        user = get_user_model().objects.filter(username=username).first() if username else None
        found = Person.objects.filter(town=town, name=name).first()
        if found is None:
            return org.add_person(town=town, name=name, phone=phone, user=user, actor=None)
        if user is not None and found.user_id is None:
            # A demo loaded before people were linked: every demo person with an account is linked.
            link_person(user=user, person=found, actor=None, source="demo")
        return found

    def _appoint(self, post: Post, person: Person, start: Any, end: Any, note: str) -> None:
        if not Tenure.objects.filter(post=post, person=person, start=start).exists():
            org.appoint(post=post, person=person, start=start, end=end, note=note, actor=None)

    def _people(self, town: Town) -> None:
        for (unit_name, title), terms in demo_data.TENURES.items():
            post = Post.objects.get(town=town, unit__name=unit_name, title=title)
            for name, phone, start, end, note in terms:
                self._appoint(post, self._person(town, name, phone), start, end, note)

    def _portfolios(self, town: Town) -> None:
        start = demo_data.TENURES[("镇党委", "镇党委书记")][0][2]
        for title, bodies in demo_data.PORTFOLIOS.items():
            leader = Post.objects.get(town=town, title=title)
            for name in bodies:
                unit = Unit.objects.get(town=town, name=name, active=True)
                if not Portfolio.objects.filter(post=leader, unit=unit).exists():
                    org.assign_portfolio(post=leader, unit=unit, start=start, actor=None)

    def _enterprises(self, town: Town) -> None:
        for name, description in demo_data.EXTRA_SECTORS:
            if not Sector.objects.filter(town=town, name=name).exists():
                org.add_sector(town=town, name=name, description=description, actor=None)
        for name, sector, village in demo_data.ENTERPRISES:
            if not Unit.objects.filter(town=town, name=name).exists():
                org.add_unit(
                    town=town,
                    name=name,
                    kind=UnitKind.ENTERPRISE,
                    sector=Sector.objects.get(town=town, name=sector),
                    village=Unit.objects.get(town=town, name=village, active=True),
                    actor=None,
                )

    def _reorganisation(self, town: Town) -> None:
        spec = demo_data.REORGANISATION
        if not UnitChange.objects.filter(town=town, kind=spec.kind, effective=spec.effective).exists():
            source = Unit.objects.get(town=town, name=spec.source, active=True)
            new_name = spec.results[1]
            moving = Supervision.objects.filter(unit=source, end__isnull=True, sector__name__in=spec.to_new)
            org.reorganise(
                town=town,
                kind=spec.kind,
                effective=spec.effective,
                sources=[source],
                results=spec.results,
                allocation={s.pk: new_name for s in moving},
                document=spec.document,
                actor=None,
            )
        unit_name, title, name, phone = spec.new_head
        post = Post.objects.get(town=town, unit__name=unit_name, title=title)
        self._appoint(post, self._person(town, name, phone), spec.effective, None, spec.document)
