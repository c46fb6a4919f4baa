"""Demo duty records: all of 2025 and this year so far, with some posts behind, so the pages show something real.

Idempotent and written through the actions. Works on top of the org demo (posts held through tenures); a post
that nobody has ever held gets a fictional holder here, so the loader also works without that demo.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yigang.duties.actions import RecordData, add_town_duty, amend_record, create_record, record_data
from yigang.duties.models import DutyRecord, Source, TownDuty
from yigang.org.actions import add_person, appoint
from yigang.org.models import Post, Tenure
from yigang.regulations.models import Duty, Regulation, Status
from yigang.regulations.periods import periods_of_year
from yigang.towns.models import Town

FIRST_YEAR = 2025
HOLDERS_FROM = datetime.date(2024, 1, 1)
# Fictional people for posts nobody holds.
NAMES = [
    "巴特尔",
    "其木格",
    "王建军",
    "乌云",
    "张海平",
    "斯琴",
    "刘志刚",
    "萨仁",
    "赵国庆",
    "阿拉坦",
    "孙丽",
    "额尔敦",
    "陈伟",
    "高娃",
    "李春生",
    "朝鲁",
    "周晓梅",
    "图雅",
    "吴德胜",
    "娜仁",
    "郑宏",
    "苏和",
    "马晓东",
    "宝音",
    "杨光",
    "塔娜",
    "黄志强",
    "哈斯",
    "何静",
    "敖登",
]
PLACES = [
    "镇政府三楼会议室",
    "乌审召嘎查加油站",
    "镇区液化气站",
    "巴音敖包嘎查牧家乐",
    "G338 线乌审召段",
    "查干淖尔嘎查养殖合作社",
    "乌审召社区老旧小区",
    "镇中心校",
    "镇卫生院",
    "布日都嘎查光伏电站",
]
TITLES = {
    "meeting": "安全生产工作会议",
    "inspection": "安全隐患排查检查",
    "supervision": "安全生产法律法规执行情况监督检查",
    "hearing": "听取安全生产工作汇报",
    "research": "安全生产专题调研",
    "training": "安全生产宣传培训",
    "campaign": "安全生产专项整治行动",
    "other": "安全生产工作",
}
SUMMARIES = {
    "meeting": "传达上级安全生产工作部署，分析当前形势，安排下阶段隐患排查和节假日值班工作。",
    "inspection": "检查消防器材、用电线路、应急预案和值班记录，发现问题当场交办整改。",
    "supervision": "督查各单位安全生产责任落实和整改闭环情况，听取说明并提出要求。",
    "hearing": "听取安委办和各部门安全生产工作汇报，研究解决突出问题。",
    "research": "深入企业和嘎查了解安全生产工作情况，形成调研报告。",
    "training": "开展安全生产法律法规和应急知识宣传，发放宣传资料。",
    "campaign": "组织开展专项整治，逐户排查，建立问题台账。",
    "other": "开展安全生产相关工作。",
}


def _town_duties(town: Town) -> list[TownDuty]:
    """The demo town's own frequency duties (镇定要求) for the posts the regulation binds without a number:
    each body's head inspects the sectors the body supervises, each village secretary the village, monthly."""
    existing = list(TownDuty.objects.filter(town=town))
    if existing:
        return existing
    made = []
    for post in Post.objects.filter(
        town=town, active=True, kind__in=["department_head", "village_secretary"]
    ).select_related("unit"):
        where = "本嘎查村（社区）" if post.kind == "village_secretary" else "本单位监管的行业领域"
        made.append(
            add_town_duty(
                post=post,
                kind="inspection",
                period="month",
                min_count=1,
                text=f"每月至少组织开展1次{where}安全生产检查（本镇要求）",
                valid_from=datetime.date(FIRST_YEAR, 1, 1),
                actor=None,
            )
        )
    return made


def _behind(post: Post, kind: str, period_index: int, period: str) -> bool:
    """Which posts fall behind in the demo (deterministic, so the pages look the same every time)."""
    if post.kind == "village_secretary" and period == "month":
        return (post.pk + period_index) % 5 == 0  # a village skips a month now and then
    if "城建" in post.title:
        return period_index % 3 == 1  # every third month without an inspection
    if post.kind == "congress_chair" and period == "month":
        return period_index in (4, 5, 6)  # a quiet second quarter
    return post.kind == "mayor" and kind == "meeting"  # one meeting short every year


def _ensure_holders(town: Town, posts: list[Post]) -> None:
    held = set(Tenure.objects.filter(town=town).values_list("post_id", flat=True))
    names = iter(NAMES)
    for post in posts:
        if post.pk in held:
            continue
        person = add_person(town=town, name=next(names, f"示范人员{post.pk}"), note="示范数据", actor=None)
        appoint(post=post, person=person, start=HOLDERS_FROM, note="示范数据", actor=None)


FINDINGS = "发现灭火器过期、疏散通道堆放杂物等问题，已当场责令整改并明确整改时限。"


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 14, 15]), rng.choice([0, 30])))
    return timezone.make_aware(moment)


def load(town: Town) -> None:
    """Fill `town` with demo duty records for 2025 and this year so far (once; later runs change nothing)."""
    if DutyRecord.objects.filter(town=town, source=Source.DEMO).exists():
        return
    regulation = Regulation.objects.filter(town=town, status=Status.ACTIVE).first()
    if regulation is None:
        return
    duties = list(Duty.objects.filter(regulation=regulation, min_count__isnull=False).exclude(post=""))
    kinds = {d.post for d in duties}
    own = _town_duties(town)
    posts = list(
        Post.objects.filter(town=town, active=True)
        .filter(Q(kind__in=kinds) | Q(pk__in=[d.post_id for d in own]))
        .select_related("unit")
        .order_by("pk")
    )
    if not posts:
        return
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    rng = random.Random(f"yigang-demo-{town.code}")  # noqa: S311 - demo data, not security
    with transaction.atomic():
        _ensure_holders(town, posts)
        by_kind: dict[str, list[Duty | TownDuty]] = defaultdict(list)
        for duty in duties:
            by_kind[duty.post].append(duty)
        by_post: dict[int, list[Duty | TownDuty]] = defaultdict(list)
        for town_duty in own:
            by_post[town_duty.post_id].append(town_duty)
        plans: list[tuple[datetime.date, str, list[Post]]] = []
        for post in posts:
            for duty in by_kind[post.kind] + by_post[post.pk]:
                assert duty.min_count is not None
                for year in range(FIRST_YEAR, today.year + 1):
                    for index, period in enumerate(periods_of_year(duty.period, year), start=1):
                        if period.start > yesterday:
                            break
                        running = period.end >= today
                        count = (
                            duty.min_count - 1
                            if _behind(post, duty.kind, index, duty.period)
                            else duty.min_count
                        )
                        if running:
                            count = min(count, duty.min_count - 1)  # something left to do this period
                        last = min(period.end, yesterday)
                        span = (last - period.start).days
                        for _ in range(max(count, 0)):
                            day = period.start + datetime.timedelta(days=rng.randint(0, span))
                            plans.append((day, duty.kind, [post]))
        # A few joint inspections credit the mayor and the deputy in charge of safety together.
        joint = [p for p in posts if p.kind in {"mayor", "safety_deputy"}]
        if len(joint) == 2:
            for month in (3, 6, 9, 12):
                day = datetime.date(FIRST_YEAR, month, 15)
                plans.append((day, "inspection", joint))
        plans.sort(key=lambda plan: (plan[0], plan[2][0].pk))
        created = []
        now = timezone.now()
        for day, kind, credited in plans:
            title = f"{day.month}月{TITLES.get(kind, '安全生产工作')}"
            occurred_at = _at(day, rng)
            # Most are entered within a few days; about one in fifteen weeks later (补录, duties/rules.py).
            delay = rng.randint(10, 40) if rng.random() < 1 / 15 else rng.randint(0, 3)
            entered_at = min(occurred_at + datetime.timedelta(days=delay, hours=2), now)
            created.append(
                create_record(
                    town=town,
                    data=RecordData(
                        kind=kind,
                        occurred_at=occurred_at,
                        title=title,
                        place=rng.choice(PLACES),
                        summary=SUMMARIES.get(kind, SUMMARIES["other"]),
                        participants="、".join(p.title for p in credited) + "及相关部门负责人",
                        posts=credited,
                        findings=FINDINGS if kind in {"inspection", "supervision", "campaign"} else "",
                    ),
                    source=Source.DEMO,
                    entered_at=entered_at,
                    actor=None,
                )
            )
        # Evidence is corrected, never edited: one amendment and one withdrawal show how.
        if len(created) >= 2:
            first = created[0]
            data = record_data(first)
            data.place = f"{data.place}（及周边）"
            amend_record(record=first, data=data, reason="补充检查地点", source=Source.DEMO, actor=None)
            second = created[1]
            amend_record(
                record=second,
                data=record_data(second),
                reason="重复录入，撤销",
                withdraw=True,
                source=Source.DEMO,
                actor=None,
            )
