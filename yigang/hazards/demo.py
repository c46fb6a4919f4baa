"""Demo hazards: 2025 and this year so far in several sectors and villages — most closed, some late, some major
(with their 五落实 plans), some declined and reassigned, some overdue and escalated — so every page has something
true to show. Idempotent, written through the actions (events dated on the day each step happened)."""

from __future__ import annotations

import datetime
import io
import random
import struct
import zlib
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from yigang.org import selectors
from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.models import Membership, Role, Town
from yigang.towns.passwords import DEMO_PASSWORD

from . import actions, escalation, notices
from .models import Channel, Grade, Hazard, Source

FIRST = datetime.date(2025, 1, 6)
TZ = ZoneInfo("Asia/Shanghai")

# (sector, what is found, where; "{v}" is the village) — the kinds of things a township's inspections find.
FINDINGS = [
    ("烟花爆竹", "零售点超量存放烟花爆竹，未设防火隔离", "{v}商店"),
    ("烟花爆竹", "销售点灭火器过期，未张贴禁火标志", "{v}集市"),
    ("危险化学品", "加油站卸油口静电接地线断开", "{v}加油站"),
    ("危险化学品", "液化气钢瓶露天存放，无遮阳措施", "{v}饭店后院"),
    ("消防", "商铺疏散通道堆放杂物，应急照明损坏", "{v}商业街"),
    ("消防", "群租房电动车室内充电", "{v}居民点"),
    ("道路交通", "村道急弯处缺少警示标志和护栏", "{v}三组村道"),
    ("道路交通", "农用车违规载人", "{v}路口"),
    ("非煤矿山", "砂石料场边坡过陡，无挡护设施", "{v}砂石料场"),
    ("天然气", "门站阀门井积水，可燃气体报警器失效", "{v}天然气门站"),
    ("旅游", "牧家乐骑马项目无安全告知和防护装备", "{v}牧家乐"),
    ("在建工程", "脚手架未设安全网，工人未系安全带", "{v}活动室工地"),
    ("农村牧区居民住房", "土坯房墙体开裂，仍有人居住", "{v}二组"),
    ("防汛抗旱", "排洪沟淤堵，汛前未清理", "{v}排洪沟"),
    ("森林草原防火", "草场边缘焚烧秸秆", "{v}草场"),
    ("用电", "仓库私拉乱接电线，无漏电保护", "{v}仓库"),
    ("光伏电站", "升压站围栏破损，警示标识缺失", "{v}光伏电站"),
]
MAJOR = {"非煤矿山", "天然气", "危险化学品"}


def _png(seed: int) -> bytes:
    """A small solid-colour PNG (a stand-in for a phone photo), made without an imaging library."""
    width, height = 48, 32
    colour = bytes(((seed * 53) % 200 + 30, (seed * 97) % 200 + 30, (seed * 31) % 200 + 30))
    raw = b"".join(b"\x00" + colour * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def load(town: Town) -> int:
    """Load the demo hazards once; returns how many were reported now."""
    if Hazard.objects.filter(town=town, channel=Channel.DEMO).exists():
        return 0
    officer = get_user_model().objects.filter(memberships__town=town, memberships__role="officer").first()
    villages = list(Unit.objects.filter(town=town, kind=UnitKind.VILLAGE, active=True).order_by("id"))
    sectors = {s.name: s for s in Sector.objects.filter(town=town)}
    enterprises = {
        (e.sector_id, e.village_id): e
        for e in Unit.objects.filter(town=town, kind=UnitKind.ENTERPRISE, active=True)
    }
    bodies = list(Unit.objects.filter(town=town, kind=UnitKind.BODY, active=True).order_by("id"))
    if not villages or not bodies or officer is None:
        return 0
    rng = random.Random(20250106)  # noqa: S311 - demo data, reproducible on purpose
    today = timezone.localdate()
    count = 0
    day = FIRST
    while day < today - datetime.timedelta(days=2):
        sector_name, what, where = FINDINGS[rng.randrange(len(FINDINGS))]
        sector = sectors.get(sector_name)
        village = villages[rng.randrange(len(villages))]
        if sector is not None:
            count += 1
            _one(town, officer, sector, village, what, where, day, today, rng, bodies, enterprises, count)
        day += datetime.timedelta(days=rng.randint(3, 9))
    escalation.escalate_town(town, today)  # the overdue ones climb the levels now, as the reminder loop would
    return count


def _submitter(hazard: Hazard, day: datetime.date) -> Any:
    """Who reports a rectification done: the owner unit's staff account, else its head's, else the system (None)
    on the unit's behalf — never the 安委办 officer who then accepts it (整改与验收分离)."""
    staff = Membership.objects.filter(
        town_id=hazard.town_id, unit_id=hazard.owner_unit_id, role__in=(Role.BODY_STAFF, Role.VILLAGE_STAFF)
    ).first()
    if staff is not None:
        return staff.user
    head = selectors.head(hazard.owner_unit_id, day)
    return head.user if head is not None and head.user_id else None


def _closer(officer: Any) -> tuple[Any, str | None]:
    """Who closes (销号) in the demo and with which secret: the officer with the demo's printed password; a
    synthetic town's officer has none (nobody logs in as it), so there the system closes."""
    if officer.has_usable_password() and officer.check_password(DEMO_PASSWORD):
        return officer, DEMO_PASSWORD
    return None, None


def _one(
    town: Town,
    officer: Any,
    sector: Sector,
    village: Unit,
    what: str,
    where: str,
    found: datetime.date,
    today: datetime.date,
    rng: random.Random,
    bodies: list[Unit],
    enterprises: dict[tuple[int, int], Unit],
    n: int,
) -> None:
    major = sector.name in MAJOR and rng.random() < 0.35
    source = rng.choice([Source.INSPECTION, Source.INSPECTION, Source.SELF_CHECK, Source.PUBLIC])
    data = actions.HazardData(
        sector=sector,
        description=what,
        address=where.format(v=village.name),
        found_on=found,
        found_by=rng.choice(["安委办检查组", "镇应急办", f"{village.name}网格员", "群众电话举报"]),
        source=source,
        grade=Grade.MAJOR if major else Grade.GENERAL,
        village=village,
        enterprise=enterprises.get((sector.pk, village.pk)),
        working_days=30 if major else rng.choice([5, 10, 10, 15]),
    )
    with actions.backdated(_at(found, 9)):
        hazard, _ = actions.report_hazard(
            town=town,
            data=data,
            photos=[actions.Upload(io.BytesIO(_png(n)), "现场照片.png")],
            client_key=f"demo-{n}",
            channel=Channel.DEMO,
            notify=(today - found).days <= notices.ANNOUNCE_WINDOW.days,
            actor=officer,
        )
    step = found + datetime.timedelta(days=1)
    if rng.random() < 0.1 and step < today:  # declined: the 安委办 reassigns it to another body
        with actions.backdated(_at(step, 11)):
            actions.decline(hazard=hazard, reason="经核实不属本单位监管范围", actor=officer)
        step += datetime.timedelta(days=1)
        other = rng.choice([b for b in bodies if b.pk != hazard.owner_unit_id])
        with actions.backdated(_at(step, 15)):
            actions.decide(
                hazard=hazard, owner=other, reason="经安委办协调，改由该单位牵头整改", actor=officer
            )
    age = (today - found).days
    fate = rng.random()
    if age < 4 or fate < 0.06:
        return  # still only assigned (recent, or left untouched: these go overdue and escalate)
    step = min(step + datetime.timedelta(days=1), today)
    plan = None
    if major:
        plan = actions.PlanData(
            responsible=f"{hazard.owner_unit.name}负责人",
            measures="停产停业整改，聘请第三方机构评估，按评估意见逐项整改",
            funds=f"企业自筹 {rng.randint(2, 30)} 万元",
            deadline=hazard.deadline,
            emergency_plan="整改期间设置警戒区，专人24小时值守，配备应急物资",
        )
    with actions.backdated(_at(step, 10)):
        actions.start_rectifying(hazard=hazard, actor=officer, plan=plan)
    if age < 10 or fate < 0.16:
        return  # rectifying (some past their deadline)
    done = found + datetime.timedelta(days=rng.randint(2, max(3, (hazard.deadline - found).days + 8)))
    done = min(max(done, step + datetime.timedelta(days=1)), today - datetime.timedelta(days=1))
    with actions.backdated(_at(done, 16)):
        actions.submit(
            hazard=hazard,
            note="已按要求整改完毕，附整改后照片",
            photos=[actions.Upload(io.BytesIO(_png(n + 1000)), "整改后.png")],
            actor=_submitter(hazard, done),
        )
    if fate < 0.22 or done >= today - datetime.timedelta(days=1):
        return  # waiting for acceptance
    accepted = min(done + datetime.timedelta(days=rng.randint(1, 4)), today)
    if rng.random() < 0.12:  # failed acceptance once
        with actions.backdated(_at(accepted, 10)):
            actions.send_back(hazard=hazard, reason="整改不彻底，现场仍有隐患", actor=officer)
        again = min(accepted + datetime.timedelta(days=3), today)
        with actions.backdated(_at(again, 16)):
            actions.submit(
                hazard=hazard,
                note="已重新整改",
                photos=[actions.Upload(io.BytesIO(_png(n + 2000)), "复查.png")],
                actor=_submitter(hazard, again),
            )
        accepted = min(again + datetime.timedelta(days=2), today)
    closer, secret = _closer(officer)
    with actions.backdated(_at(accepted, 11)):
        actions.accept(
            hazard=hazard,
            note="验收合格，予以销号",
            actor=closer,
            secret=secret,
            on=accepted,
            notify=(today - accepted).days <= notices.ANNOUNCE_WINDOW.days,
        )
