"""The demo town's chain beyond the town's own bodies: each enterprise's legal representative (主体责任) and a
county body above the town's supervisors (all fictional people). Idempotent; called by `yigang demo`."""

from __future__ import annotations

import datetime

from yigang.towns.models import Town

from . import actions
from .models import ENTERPRISE_HEAD, Person, Post, Sector, Supervision, Tenure, Unit, UnitKind

D = datetime.date

# Enterprise → (legal representative, phone, since).
LEGAL_REPRESENTATIVES = {
    "乌审召加油站": ("白音", "13904770401", D(2019, 5, 1)),
    "巴音敖包烟花爆竹零售点": ("苏和", "13904770402", D(2020, 1, 1)),
    "查干淖尔砂石料场": ("敖登", "13904770403", D(2018, 3, 1)),
    "布日都天然气门站": ("刘建军", "13904770404", D(2021, 6, 1)),
    "察汗庙牧家乐": ("格日勒", "13904770405", D(2022, 5, 1)),
    # 敖包图光伏电站 has none on record: its chain says so.
}

# The county body above the town for some sectors, entered in the register from the regulation's date.
COUNTY_BODY = ("乌审旗应急管理局", "局长", "王刚", "13904770501", D(2022, 8, 4))
COUNTY_SECTORS = ("烟花爆竹", "危险化学品", "非煤矿山")


def load(town: Town) -> None:
    for name, (person_name, phone, since) in LEGAL_REPRESENTATIVES.items():
        enterprise = Unit.objects.filter(town=town, name=name, kind=UnitKind.ENTERPRISE).first()
        if enterprise is None:
            continue
        post = Post.objects.filter(unit=enterprise, kind=ENTERPRISE_HEAD).first()
        if post is None:
            post = actions.add_post(unit=enterprise, title="法定代表人", kind=ENTERPRISE_HEAD, actor=None)
        _hold(town, post, person_name, phone, since)

    name, title, person_name, phone, since = COUNTY_BODY
    county = Unit.objects.filter(town=town, name=name, kind=UnitKind.COUNTY).first()
    if county is None:
        county = actions.add_unit(
            town=town, name=name, kind=UnitKind.COUNTY, note="旗县级行业主管部门", actor=None
        )
    post = Post.objects.filter(unit=county, title=title).first() or actions.add_post(
        unit=county, title=title, actor=None
    )
    _hold(town, post, person_name, phone, since)
    for sector_name in COUNTY_SECTORS:
        sector = Sector.objects.filter(town=town, name=sector_name).first()
        if sector is not None and not Supervision.objects.filter(sector=sector, unit=county).exists():
            actions.add_supervision(sector=sector, unit=county, source="旗县级监管", start=since, actor=None)


def _hold(town: Town, post: Post, name: str, phone: str, since: datetime.date) -> None:
    if Tenure.objects.filter(post=post).exists():
        return
    person = Person.objects.filter(town=town, name=name, phone=phone).first() or actions.add_person(
        town=town, name=name, phone=phone, actor=None
    )
    actions.appoint(post=post, person=person, start=since, actor=None)
