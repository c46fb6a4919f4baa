"""The demo's levels above the county (issue 25): 乌审旗 under 鄂尔多斯市 under 内蒙古自治区, and a 盟市 viewer.

Through yigang.towns.region_actions and towns.actions like any operator's `yigang region` / `yigang accounts`, so
the audit trail shows them; safe to re-run (what is there is left as it is — a county already placed elsewhere
stays where the operator put it).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from yigang.towns.actions import add_membership, mark_must_change
from yigang.towns.models import Membership, Region, RegionLevel, Role
from yigang.towns.passwords import DEMO_PASSWORD
from yigang.towns.region_actions import add_region

# (code, name, level, parent code): the demo county's name comes from the demo town.
TREE = (
    ("nmg", "内蒙古自治区", RegionLevel.PROVINCE, None),
    ("ordos", "鄂尔多斯市", RegionLevel.PREFECTURE, "nmg"),
)
COUNTY_CODE = "wushen"
# The 盟市's viewer: reads every town of 鄂尔多斯市's counties, writes nothing.
ACCOUNT = ("mengshi", "鄂尔多斯市应急管理局 王敏", "ordos")


def load(county: str) -> Region:
    """The province, the 盟市 and the demo county's Region under it; the 盟市 viewer's account. The 盟市."""
    made: dict[str, Region] = {}
    for code, name, level, parent in TREE:
        found = Region.objects.filter(code=code).first()
        made[code] = found or add_region(
            code=code, name=name, level=level, parent=made[parent] if parent else None, actor=None
        )
    if not Region.objects.filter(level=RegionLevel.COUNTY, name=county).exists():
        add_region(code=COUNTY_CODE, name=county, level=RegionLevel.COUNTY, parent=made["ordos"], actor=None)
    username, name, at = ACCOUNT
    users = get_user_model()
    user = users.objects.filter(username=username).first()
    if user is None:
        user = users.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=name)
        # A printed, shared password: production makes each person choose their own at first login.
        mark_must_change(user=user, actor=None, source="demo")
    if not Membership.objects.filter(user=user, role=Role.COUNTY_VIEWER, region=made[at]).exists():
        add_membership(user=user, role=Role.COUNTY_VIEWER, region=made[at], actor=None, confirmed=True)
    return made[at]
