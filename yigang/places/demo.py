"""The demo town's places under supervision (all fictional): its enterprises as places, a mine, petrol
stations, a fireworks shop, schools, a construction site, 九小场所; a risk history; this year's plans from the
risk table; a few of the demo's existing inspection records naming the places they covered (no new record, so
the duty figures stay as they were); and the 九小场所 route of 消防 to the police station. Idempotent."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from yigang.duties.models import DutyRecord
from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.models import Membership, Role, Town

from . import actions
from .models import InspectedPlace, Place, PlaceRoute, RectificationOrder

D = datetime.date

# name, kind, village, sectors, enterprise unit, legal representative, phone, safety manager, phone, scale,
# licences, [(level, date, basis)], opened
PLACES = [
    (
        "乌审召加油站",
        "petrol_station",
        "乌审召社区",
        ["危险化学品", "消防"],
        "乌审召加油站",
        "白音",
        "13904770401",
        "张海",
        "13904770601",
        "汽油、柴油储罐4座共120立方米",
        [
            ("危险化学品经营许可证", "蒙鄂危化经字〔2021〕000123"),
            ("成品油零售经营批准证书", "油零售证书第150626001号"),
        ],
        [("yellow", D(2023, 3, 1), "年度风险评估"), ("orange", D(2025, 3, 1), "储罐扩容后复评")],
        None,
    ),
    (
        "巴音敖包烟花爆竹零售点",
        "fireworks_shop",
        "巴音敖包嘎查",
        ["烟花爆竹"],
        "巴音敖包烟花爆竹零售点",
        "苏和",
        "13904770402",
        "苏和",
        "13904770402",
        "店面30平方米，限量存放",
        [("烟花爆竹经营（零售）许可证", "（蒙）YH零售〔2025〕0061号")],
        [("orange", D(2025, 1, 10), "春节前专项评估")],
        None,
    ),
    (
        "查干淖尔砂石料场",
        "mine",
        "查干淖尔嘎查",
        ["非煤矿山"],
        "查干淖尔砂石料场",
        "敖登",
        "13904770403",
        "王亮",
        "13904770603",
        "露天开采，年产砂石15万吨",
        [("安全生产许可证", "（蒙）FM安许证字〔2022〕K0415")],
        [("red", D(2025, 2, 20), "露天边坡高度超过20米")],
        None,
    ),
    (
        "布日都天然气门站",
        "hazardous_chemicals",
        "布日都嘎查",
        ["天然气"],
        "布日都天然气门站",
        "刘建军",
        "13904770404",
        "赵斌",
        "13904770604",
        "门站1座，储气能力5000立方米",
        [],
        [("orange", D(2025, 3, 5), "年度评估")],
        None,
    ),
    (
        "察汗庙牧家乐",
        "crowded_place",
        "察汗庙嘎查",
        ["旅游", "消防"],
        "察汗庙牧家乐",
        "格日勒",
        "13904770405",
        "格日勒",
        "13904770405",
        "蒙古包12座，可接待80人",
        [],
        [("yellow", D(2025, 4, 1), "旅游旺季前评估")],
        None,
    ),
    (
        "乌审召第二加油站",
        "petrol_station",
        "乌审召嘎查",
        ["危险化学品", "消防"],
        None,
        "李春",
        "13904770406",
        "李春",
        "13904770406",
        "储罐3座共90立方米",
        [("危险化学品经营许可证", "蒙鄂危化经字〔2022〕000208")],
        [("orange", D(2025, 3, 1), "年度风险评估")],
        None,
    ),
    (
        "乌审召镇中心学校",
        "school",
        "乌审召社区",
        ["教育", "消防"],
        None,
        "孟和",
        "13904770407",
        "高娃",
        "13904770607",
        "学生420人、寄宿生180人",
        [],
        [("yellow", D(2025, 2, 25), "开学前安全评估")],
        None,
    ),
    (
        "乌审召镇中心幼儿园",
        "school",
        "乌审召社区",
        ["教育", "消防"],
        None,
        "萨仁高娃",
        "13904770408",
        "其木格",
        "13904770608",
        "幼儿150人",
        [],
        [("yellow", D(2025, 2, 25), "开学前安全评估")],
        None,
    ),
    (
        "嘎查党群服务中心改造工程",
        "construction",
        "巴音高勒嘎查",
        ["在建工程"],
        None,
        "周建国",
        "13904770409",
        "吴斌",
        "13904770609",
        "建筑面积800平方米，合同工期6个月",
        [],
        [("yellow", D(2025, 4, 15), "开工前评估")],
        D(2025, 4, 15),
    ),
    (
        "乌审召社区便民超市",
        "small_venue",
        "乌审召社区",
        ["消防"],
        None,
        "刘霞",
        "13904770410",
        "刘霞",
        "13904770410",
        "营业面积120平方米",
        [],
        [("blue", D(2025, 3, 10), "九小场所消防检查评估")],
        None,
    ),
]


def load(town: Town) -> None:
    if Place.objects.filter(town=town).exists():
        return
    units = {u.name: u for u in Unit.objects.filter(town=town, active=True)}
    sectors = {s.name: s for s in Sector.objects.filter(town=town).order_by("-id")}
    for (
        name,
        kind,
        village,
        sector_names,
        unit,
        rep,
        rep_phone,
        manager,
        manager_phone,
        scale,
        licences,
        risks,
        opened,
    ) in PLACES:
        if village not in units or any(s not in sectors for s in sector_names):
            continue
        level, on, basis = risks[0]
        place = actions.register_place(
            town=town,
            data=actions.PlaceData(
                name=name,
                kind=kind,
                village=units[village],
                sectors=[sectors[s] for s in sector_names],
                unit=units.get(unit) if unit else None,
                legal_representative=rep,
                legal_representative_phone=rep_phone,
                safety_manager=manager,
                safety_manager_phone=manager_phone,
                scale=scale,
                licences=licences,
                opened=opened,
                risk_level=level,
                risk_on=on,
                risk_basis=basis,
            ),
            actor=None,
        )
        for level, on, basis in risks[1:]:
            actions.assess_risk(place=place, level=level, assessed_on=on, basis=basis, actor=None)
    police, fire = units.get("公安派出所"), sectors.get("消防")
    if police is not None and fire is not None and not PlaceRoute.objects.filter(sector=fire).exists():
        actions.add_route(
            sector=fire,
            kind="small_venue",
            unit=police,
            start=D(2022, 8, 4),
            note="第十二条：派出所负责九小场所消防",
            actor=None,
        )
    year = timezone.localdate().year
    for body in Unit.objects.filter(town=town, kind=UnitKind.BODY, active=True).order_by("name"):
        actions.make_plan(unit=body, year=year, actor=None)
    _link_records(town, year)


def _link_records(town: Town, year: int) -> None:
    """The demo's own inspection records of this year by a body with a plan name one of its planned places."""
    planned: dict[int, list[Place]] = {}
    for place in Place.objects.filter(town=town, plan_items__year=year).prefetch_related("plan_items"):
        for item in place.plan_items.all():
            planned.setdefault(item.unit_id, []).append(place)
    records = DutyRecord.objects.filter(
        town=town, kind="inspection", occurred_on__year=year, amended_by__isnull=True, withdrawn=False
    ).prefetch_related("credits__post")
    links = []
    for n, record in enumerate(records.order_by("occurred_on", "id")):
        for credit in record.credits.all():
            places = planned.get(credit.post.unit_id)
            if places:
                place = places[n % len(places)]
                if place.open_on(record.occurred_on):
                    links.append(InspectedPlace(town=town, record=record, place=place))
                break
    InspectedPlace.objects.bulk_create(links, ignore_conflicts=True)


# The demo order: the petrol station's 危险化学品 hazard, issued by the 应急管理办公室 (both supervise it).
ORDER_SECTOR = "危险化学品"
ORDER_ISSUER = "应急管理办公室"


def load_orders(town: Town) -> None:
    """A hazard found four days ago by the 应急管理办公室 at the place whose enterprise has its own account (the
    demo petrol station), being rectified, with the 责令限期整改通知书 the body issued for it and the safety
    manager's 签收 the next day — so the place's page, the hazard, the order and the enterprise's own home show
    a real one (the rectifier named by the routing). After the demo hazards; idempotent."""
    from yigang.hazards import actions as hazards
    from yigang.hazards.models import Channel, Source

    if RectificationOrder.objects.filter(town=town).exists():
        return
    accounts = Membership.objects.filter(town=town, role=Role.ENTERPRISE).values("unit_id")
    place = Place.objects.filter(town=town, unit_id__in=accounts, closed__isnull=True).order_by("id").first()
    officer = get_user_model().objects.filter(memberships__town=town, memberships__role=Role.OFFICER).first()
    sector = place.sectors.filter(name=ORDER_SECTOR).first() if place else None
    if place is None or officer is None or sector is None:
        return
    found = timezone.localdate() - datetime.timedelta(days=4)
    bodies = sorted(actions.issuing_bodies(place, found), key=lambda b: b.name != ORDER_ISSUER)
    if not bodies:
        return
    description = "卸油区静电接地报警仪损坏，卸油作业未设警戒"
    with hazards.backdated(
        datetime.datetime.combine(found, datetime.time(10), tzinfo=timezone.get_current_timezone())
    ):
        hazard, _created = hazards.report_hazard(
            town=town,
            data=hazards.HazardData(
                sector=sector,
                description=description,
                address=place.address or place.name,
                found_on=found,
                found_by=f"{bodies[0].name}检查组",
                source=Source.INSPECTION,
                village=place.village,
                enterprise=place.unit,
                working_days=10,
            ),
            client_key="demo-order-1",
            channel=Channel.DEMO,
            notify=False,
            actor=officer,
        )
        hazards.start_rectifying(hazard=hazard, actor=officer)
    order = actions.issue_order(
        place=place,
        data=actions.OrderData(
            unit=bodies[0],
            deadline=hazard.deadline,
            finding=description,
            items=["立即修复静电接地报警仪，经检测合格后方可卸油", "卸油作业设置警戒区，专人监护"],
            legal_basis=actions.LEGAL_BASIS_EXAMPLES[0][0],
            found_on=found,
            found_at=hazard.address,
            issued_on=found,
            hazard=hazard,
        ),
        actor=officer,
    )
    actions.record_receipt(
        order=order,
        received_by=place.safety_manager or place.legal_representative,
        received_on=found + datetime.timedelta(days=1),
        actor=officer,
    )
