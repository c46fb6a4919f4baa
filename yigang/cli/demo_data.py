"""The demo town 乌审召镇: its leadership units, villages, posts, people and accounts (all fictional people)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from yigang.org.models import ChangeKind, UnitKind
from yigang.regulations.choices import PostKind
from yigang.towns.models import Role

D = datetime.date


DEMO_HASHER = "yigang.towns.passwords.DemoPasswordHasher"


@contextmanager
def quick_demo_hashes() -> Iterator[None]:
    """Within: new passwords are hashed by the demo hasher (yigang.towns.passwords.DemoPasswordHasher: the demo's
    printed password must be changed at first login, so its rounds protect nothing, while a hundred accounts at
    a million rounds each, hashed and checked again when their holders sign, cost `yigang demo` a minute).
    Outside, the configured hashers as ever; they also verify these hashes and store the password at full
    strength at the first login (`must_update`)."""
    from django.test.utils import override_settings  # its signal handlers clear Django's hasher caches

    with override_settings(PASSWORD_HASHERS=[DEMO_HASHER, *settings.PASSWORD_HASHERS]):
        yield


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

# Staff posts the regulation binds no duty to (their work is their body's; the head's post carries its duties):
# (unit, post title). The 安委办's officer works in the safety committee's office (Art. 12 item 1: 镇安全生产委员会
# 及其办公室, headed by the deputy in charge of safety); the system's 安委办 role is that officer's account.
STAFF_POSTS = [("镇安全生产委员会及其办公室", "镇安全生产委员会办公室专职工作人员")]

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

# Who held each post: (unit, post title) → [(name, phone, start, last day or None, basis)].
# The mayor changed in 2024; the deputy for urban construction left a month-long gap (a vacancy to see).
_TERM = D(2021, 9, 1)
TENURES: dict[tuple[str, str], list[tuple[str, str, datetime.date, datetime.date | None, str]]] = {
    ("镇党委", "镇党委书记"): [("乌力吉", "13904770101", _TERM, None, "乌党任〔2021〕12号")],
    ("镇人民政府", "镇长"): [
        ("张建华", "13904770102", _TERM, D(2024, 3, 31), "乌党任〔2021〕12号"),
        ("巴图", "13904770120", D(2024, 4, 1), None, "乌党任〔2024〕5号"),
    ],
    ("镇人大", "镇人大主席"): [("萨仁", "13904770103", _TERM, None, "")],
    ("镇党委", "镇党委副书记、政法委员"): [("刘志刚", "13904770104", _TERM, None, "")],
    ("镇纪委", "镇纪委书记"): [("白玉梅", "13904770105", _TERM, None, "")],
    ("镇人民政府", "分管安全生产副镇长"): [("赵永军", "13904770106", _TERM, None, "")],
    ("镇人民政府", "副镇长（分管农牧业）"): [("额尔敦", "13904770107", _TERM, None, "")],
    ("镇人民政府", "副镇长（分管城建）"): [
        ("王海涛", "13904770108", _TERM, D(2023, 12, 31), ""),
        ("孙磊", "13904770121", D(2024, 2, 1), None, "乌党任〔2024〕2号"),
    ],
    # The deputy in charge of safety also heads the safety committee's office (one person, two posts).
    ("镇安全生产委员会及其办公室", "镇安全生产委员会及其办公室负责人"): [
        ("赵永军", "13904770106", _TERM, None, "")
    ],
    ("镇安全生产委员会及其办公室", "镇安全生产委员会办公室专职工作人员"): [
        ("王晓燕", "13904770220", _TERM, None, "")
    ],
    ("镇党政综合办公室", "镇党政综合办公室负责人"): [("高峰", "13904770201", _TERM, None, "")],
    ("基层党的建设办公室", "基层党的建设办公室负责人"): [("陈静", "13904770202", _TERM, None, "")],
    ("乡村振兴办公室", "乡村振兴办公室负责人"): [("哈斯", "13904770203", _TERM, None, "")],
    ("社会事务办公室", "社会事务办公室负责人"): [("杨丽", "13904770204", _TERM, None, "")],
    ("城市管理办公室", "城市管理办公室负责人"): [("周明", "13904770205", _TERM, None, "")],
    ("平安建设办公室", "平安建设办公室负责人"): [("李强", "13904770206", _TERM, None, "")],
    ("综合保障和技术推广中心", "综合保障和技术推广中心负责人"): [("图雅", "13904770207", _TERM, None, "")],
    ("党群服务中心", "党群服务中心负责人"): [("吴芳", "13904770208", _TERM, None, "")],
    ("综合行政执法局", "综合行政执法局负责人"): [("郑涛", "13904770209", _TERM, None, "")],
    ("公安派出所", "公安派出所负责人"): [("马军", "13904770210", _TERM, None, "")],
    ("交警中队", "交警中队负责人"): [("宝音", "13904770211", _TERM, None, "")],
    ("市场监督及其他相关部门", "市场监督及其他相关部门负责人"): [("黄磊", "13904770212", _TERM, None, "")],
    ("乌审召嘎查", "乌审召嘎查党支部书记"): [("其其格", "13904770301", _TERM, None, "")],
    ("巴音敖包嘎查", "巴音敖包嘎查党支部书记"): [("巴特尔", "13904770302", _TERM, None, "")],
    ("查干淖尔嘎查", "查干淖尔嘎查党支部书记"): [("乌云", "13904770303", _TERM, None, "")],
    ("布日都嘎查", "布日都嘎查党支部书记"): [("朝鲁", "13904770304", _TERM, None, "")],
    ("敖包图嘎查", "敖包图嘎查党支部书记"): [("斯琴", "13904770305", _TERM, None, "")],
    ("巴音高勒嘎查", "巴音高勒嘎查党支部书记"): [("阿拉坦", "13904770306", _TERM, None, "")],
    ("察汗庙嘎查", "察汗庙嘎查党支部书记"): [("娜仁", "13904770307", _TERM, None, "")],
    ("乌审召社区", "乌审召社区党支部书记"): [("李秀英", "13904770308", _TERM, None, "")],
}

# 分管: leader post title → the bodies it is in charge of (from the start of the term).
PORTFOLIOS = {
    "分管安全生产副镇长": [
        "镇安全生产委员会及其办公室",
        "平安建设办公室",
        "交警中队",
        "市场监督及其他相关部门",
    ],
    "镇党委副书记、政法委员": ["公安派出所", "镇党政综合办公室", "基层党的建设办公室", "党群服务中心"],
    "副镇长（分管农牧业）": ["乡村振兴办公室", "综合保障和技术推广中心"],
    "副镇长（分管城建）": ["城市管理办公室", "综合行政执法局", "社会事务办公室"],
}

# A sector the regulation gives to no body: it falls to the territory until the town assigns it.
EXTRA_SECTORS = [("光伏电站", "集中式光伏电站及其升压站")]

# Enterprises (生产经营单位): (name, sector, village).
ENTERPRISES = [
    ("乌审召加油站", "危险化学品", "乌审召社区"),
    ("巴音敖包烟花爆竹零售点", "烟花爆竹", "巴音敖包嘎查"),
    ("查干淖尔砂石料场", "非煤矿山", "查干淖尔嘎查"),
    ("布日都天然气门站", "天然气", "布日都嘎查"),
    ("察汗庙牧家乐", "旅游", "察汗庙嘎查"),
    ("敖包图光伏电站", "光伏电站", "敖包图嘎查"),
]


# One reorganisation in the past: the emergency office inside 平安建设办公室 became a body of its own, taking
# the hazardous-industry and natural-disaster sectors; 平安建设办公室 kept road traffic and enterprises.
@dataclass(frozen=True)
class Reorganisation:
    kind: str
    effective: datetime.date
    source: str
    results: tuple[str, ...]
    to_new: tuple[str, ...]  # sectors the new unit (results[1]) takes over
    document: str
    new_head: tuple[str, str, str, str]  # unit, post, person, phone of the new unit's first head


REORGANISATION = Reorganisation(
    kind=ChangeKind.SPLIT,
    effective=D(2024, 7, 1),
    source="平安建设办公室",
    results=("平安建设办公室", "应急管理办公室"),
    to_new=("烟花爆竹", "非煤矿山", "易燃易爆", "危险化学品", "防汛抗旱", "森林草原防火", "地质灾害"),
    document="乌审召党发〔2024〕18号",
    new_head=("应急管理办公室", "应急管理办公室负责人", "那日苏", "13904770213"),
)


# (username, full name, role, unit name or None, person's name in TENURES or None)
ACCOUNTS = [
    ("anweiban", "安委办 王晓燕", Role.OFFICER, None, "王晓燕"),
    ("zhenzhang", "镇长 巴图", Role.LEADER, None, "巴图"),
    ("pingan", "平安建设办公室主任 李强", Role.BODY_STAFF, "平安建设办公室", "李强"),
    ("gacha", "乌审召嘎查党支部书记 其其格", Role.VILLAGE_STAFF, "乌审召嘎查", "其其格"),
    ("county", "乌审旗应急管理局 张明", Role.COUNTY_VIEWER, None, None),
    ("sysadmin", "系统管理员", Role.SYSADMIN, None, None),
    ("shenji", "审计管理员 刘敏", Role.AUDITOR, None, None),
    # The petrol station's own account (企业安全管理人员, issue 24.5): its unit is the station's enterprise unit,
    # which exists once the enterprises are loaded (demo.py gives this role after the places).
    ("jiayouzhan", "乌审召加油站安全管理人员 张海", Role.ENTERPRISE, "乌审召加油站", None),
]
