"""The demo town 乌审召镇: its leadership units, villages, posts and demo accounts (all fictional people)."""

from __future__ import annotations

from yigang.org.models import UnitKind
from yigang.regulations.choices import PostKind
from yigang.towns.models import Role

TOWN = {"code": "wushenzhao", "name": "乌审召镇", "county": "乌审旗"}

# Posts of the town's leadership: (unit, unit kind, post title, post kind).
LEADERSHIP = [
    ("镇党委", UnitKind.PARTY, "镇党委书记", PostKind.PARTY_SECRETARY),
    ("镇人民政府", UnitKind.GOVERNMENT, "镇长", PostKind.MAYOR),
    ("镇人大", UnitKind.CONGRESS, "镇人大主席", PostKind.CONGRESS_CHAIR),
    ("镇党委", UnitKind.PARTY, "镇党委副书记、政法委员", PostKind.DEPUTY_PARTY_SECRETARY),
    ("镇纪委", UnitKind.DISCIPLINE, "镇纪委书记", PostKind.DISCIPLINE_SECRETARY),
    ("镇人民政府", UnitKind.GOVERNMENT, "分管安全生产副镇长", PostKind.SAFETY_DEPUTY),
    ("镇人民政府", UnitKind.GOVERNMENT, "副镇长（分管农牧业）", PostKind.OTHER_DEPUTY),
    ("镇人民政府", UnitKind.GOVERNMENT, "副镇长（分管城建）", PostKind.OTHER_DEPUTY),
]

VILLAGES = [
    "乌审召嘎查",
    "巴音敖包嘎查",
    "查干淖尔嘎查",
    "布日都嘎查",
    "敖包图嘎查",
    "巴音高勒嘎查",
    "察汗庙嘎查",
    "乌审召社区",
]

DEMO_PASSWORD = "Yigang@2022"  # noqa: S105 - printed for the demo; production forces a change (docs/security.md)

# (username, full name, role, unit name or None)
ACCOUNTS = [
    ("anweiban", "安委办 王晓燕", Role.OFFICER, None),
    ("zhenzhang", "镇长 巴图", Role.LEADER, None),
    ("pingan", "平安建设办公室主任 李强", Role.BODY_STAFF, "平安建设办公室"),
    ("gacha", "乌审召嘎查党支部书记 其其格", Role.VILLAGE_STAFF, "乌审召嘎查"),
    ("county", "乌审旗应急管理局 张明", Role.COUNTY_VIEWER, None),
    ("sysadmin", "系统管理员", Role.SYSADMIN, None),
]
