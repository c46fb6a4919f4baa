"""A second, smaller demo town in the same county, so the county view has something to compare.

嘎鲁图镇 adopts the same regulation text, with a government, a party committee and one village, three leaders in
post and their duty records (through `demo_duties`). Kept small so `yigang demo` stays fast; idempotent.
"""

from __future__ import annotations

import datetime
from importlib import resources

from yigang.cli import demo_duties
from yigang.org import actions as org
from yigang.org.models import Post, Tenure, Unit, UnitKind
from yigang.regulations import actions
from yigang.regulations.choices import PostKind
from yigang.regulations.models import Regulation, Status
from yigang.towns.models import Membership, Role, Town

TOWN = {"code": "galutu", "name": "嘎鲁图镇"}
POSTS = [
    ("镇党委", UnitKind.PARTY, "镇党委书记", PostKind.PARTY_SECRETARY, "乌日娜"),
    ("镇人民政府", UnitKind.GOVERNMENT, "镇长", PostKind.MAYOR, "白音"),
    ("镇人民政府", UnitKind.GOVERNMENT, "分管安全生产副镇长", PostKind.SAFETY_DEPUTY, "王志强"),
    ("沙尔利格嘎查", UnitKind.VILLAGE, "沙尔利格嘎查党支部书记", PostKind.VILLAGE_SECRETARY, "呼和"),
]
FROM = datetime.date(2024, 1, 1)


def load(county: str) -> Town:
    """Create (or complete) the second town of `county`."""
    town, _ = Town.objects.get_or_create(code=TOWN["code"], defaults={"name": TOWN["name"], "county": county})
    if not Regulation.objects.filter(town=town).exclude(status=Status.DISCARDED).exists():
        text = resources.files("yigang.regulations").joinpath("data/wushenzhao-2022.txt").read_text("utf-8")
        regulation = actions.import_regulation(
            town=town,
            data=text.replace("乌审召镇", TOWN["name"]).encode("utf-8"),
            filename="galutu.txt",
            actor=None,
        )
        actions.activate_regulation(regulation=regulation, actor=None)
        org.sync_sectors_from_regulation(regulation=regulation, actor=None)
    for unit_name, kind, title, post_kind, holder in POSTS:
        unit = Unit.objects.filter(town=town, name=unit_name, active=True).first() or org.add_unit(
            town=town, name=unit_name, kind=kind, actor=None
        )
        post = Post.objects.filter(unit=unit, title=title).first() or org.add_post(
            unit=unit, title=title, kind=post_kind, actor=None
        )
        if not Tenure.objects.filter(post=post).exists():
            person = org.add_person(town=town, name=holder, note="示范数据", actor=None)
            org.appoint(post=post, person=person, start=FROM, note="示范数据", actor=None)
    demo_duties.load(town)
    # The demo's system administrator and auditor keep the whole county: they serve its second town too (an
    # administrator of every town of a county manages its county viewers, yigang.towns.access.admin_counties).
    for membership in Membership.objects.filter(
        town__county=county, role__in=[Role.SYSADMIN, Role.AUDITOR]
    ).exclude(town=town):
        Membership.objects.get_or_create(user_id=membership.user_id, role=membership.role, town=town)
    return town
