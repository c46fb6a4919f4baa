"""机构改革: rename, merge and split with an effective date; the chain before and after; nothing rewritten."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yigang.audit.models import AuditEntry
from yigang.org import actions
from yigang.org.chain import Role, build_chain
from yigang.org.lint import lint_town
from yigang.org.models import Portfolio, Post, Sector, Supervision, Tenure, Unit, UnitChange

from .conftest import Register

pytestmark = pytest.mark.django_db
D = datetime.date
EFFECTIVE = D(2024, 7, 1)
EVE = D(2024, 6, 30)


def _chain(reg: Register, sector: str, at: datetime.date, place: str | None = None) -> Any:
    return build_chain(
        sector=Sector.objects.get(town=reg.town, name=sector),
        place=Unit.objects.filter(town=reg.town, name=place).order_by("-active").first() if place else None,
        at=at,
    )


def _heads(chain: Any) -> list[tuple[str, str, str | None]]:
    return [(link.unit, link.post, link.person) for link in chain.links if link.role == Role.SECTOR]


def _reorganise(
    reg: Register, kind: str, sources: list[str], results: list[str], **kwargs: Any
) -> UnitChange:
    return actions.reorganise(
        town=reg.town,
        kind=kind,
        effective=kwargs.pop("effective", EFFECTIVE),
        sources=[Unit.objects.get(town=reg.town, name=n, active=True) for n in sources],
        results=results,
        actor=reg.officer,
        **kwargs,
    )


def test_a_rename_keeps_the_holder_and_the_chain_shows_the_name_of_the_day(register: Register) -> None:
    change = _reorganise(
        register, "rename", ["综合行政执法局"], ["综合行政执法大队"], document="乌党发〔2024〕9号"
    )
    holder = "综合行政执法局主任"
    assert _heads(_chain(register, "车辆", EVE)) == [("综合行政执法局", "综合行政执法局负责人", holder)]
    assert _heads(_chain(register, "车辆", EFFECTIVE)) == [
        ("综合行政执法大队", "综合行政执法大队负责人", holder)
    ]
    old = Unit.objects.get(town=register.town, name="综合行政执法局")
    new = Unit.objects.get(town=register.town, name="综合行政执法大队")
    assert (old.active, old.valid_until, new.valid_from) == (False, EVE, EFFECTIVE)
    # History is kept: the old tenure, supervision and portfolio end the day before, new ones start on the day.
    person = register.person(holder)
    assert list(
        Tenure.objects.filter(person=person).order_by("start").values_list("post__unit__name", "start", "end")
    ) == [
        ("综合行政执法局", D(2022, 1, 1), EVE),
        ("综合行政执法大队", EFFECTIVE, None),
    ]
    assert Portfolio.objects.get(unit=old).end == EVE
    assert Portfolio.objects.get(unit=new).start == EFFECTIVE
    assert {s.end for s in Supervision.objects.filter(unit=old)} == {EVE}  # 车辆, 户外广告, 牌匾
    assert AuditEntry.objects.filter(event="org.unit.reorganise", object_id=str(change.pk)).count() == 1
    # The leader in charge carries over: no gap in the chain the day after.
    assert not any("没有分管领导" in w for w in _chain(register, "车辆", EFFECTIVE).warnings)


def test_a_split_moves_the_allocated_sectors_and_opens_a_vacant_head_seat(register: Register) -> None:
    source = Unit.objects.get(town=register.town, name="平安建设办公室")
    fireworks = Supervision.objects.get(unit=source, sector__name="烟花爆竹")
    _reorganise(
        register,
        "split",
        ["平安建设办公室"],
        ["平安建设办公室", "应急管理办公室"],
        allocation={fireworks.pk: "应急管理办公室"},
    )
    assert _heads(_chain(register, "烟花爆竹", EVE)) == [
        ("平安建设办公室", "平安建设办公室负责人", "平安建设办公室主任")
    ]
    after = _chain(register, "烟花爆竹", EFFECTIVE)
    assert _heads(after) == [("应急管理办公室", "应急管理办公室负责人", None)]
    assert "“应急管理办公室负责人”（应急管理办公室）在2024-07-01空缺。" in after.warnings
    # What was not allocated stays with the body that carries on.
    assert _heads(_chain(register, "非煤矿山", EFFECTIVE))[0][0] == "平安建设办公室"
    assert Unit.objects.get(town=register.town, name="平安建设办公室").active
    # The check as of the effective date: no sector lost its supervisor; the new seat is listed as vacant.
    report = lint_town(register.town, EFFECTIVE)
    assert report.unsupervised == []
    assert [(v.unit, v.post) for v in report.vacant_posts] == [("应急管理办公室", "应急管理办公室负责人")]
    assert "应急管理办公室" not in report.bodies_without_portfolio


def test_a_merger_into_a_new_body_carries_the_first_head_and_ends_the_others(register: Register) -> None:
    _reorganise(register, "merge", ["党群服务中心", "基层党的建设办公室"], ["党建工作服务中心"])
    merged = Unit.objects.get(town=register.town, name="党建工作服务中心")
    assert set(
        Supervision.objects.at(EFFECTIVE).filter(unit=merged).values_list("sector__name", flat=True)
    ) == {"党群服务项目建设"}
    heads = Post.objects.filter(unit=merged)
    assert [p.title for p in heads] == ["党建工作服务中心负责人"]
    assert Tenure.objects.get(post=heads[0]).person == register.person("党群服务中心主任")
    other = Tenure.objects.get(person=register.person("基层党的建设办公室主任"))
    assert other.end == EVE  # their seat closed with their office; history kept
    assert not Unit.objects.filter(
        town=register.town, name__in=["党群服务中心", "基层党的建设办公室"], active=True
    ).exists()


def test_a_merger_into_an_existing_body_keeps_its_own_head(register: Register) -> None:
    _reorganise(register, "merge", ["社会事务办公室", "党群服务中心"], ["社会事务办公室"])
    chain = _chain(register, "党群服务项目建设", EFFECTIVE)
    assert _heads(chain) == [("社会事务办公室", "社会事务办公室负责人", "社会事务办公室主任")]
    assert Unit.objects.get(town=register.town, name="社会事务办公室").active


def test_a_village_merger_is_followed_for_the_place_both_ways(register: Register) -> None:
    _reorganise(register, "merge", ["巴音敖包嘎查", "乌审召嘎查"], ["巴音乌审召嘎查"])
    later = _chain(register, "烟花爆竹", D(2024, 8, 1), place="巴音敖包嘎查")
    assert later.links[0].unit == "巴音乌审召嘎查"
    assert later.links[0].person == "巴特尔"  # the first source's secretary carried over
    assert any("按后者查询" in w for w in later.warnings)
    earlier = _chain(register, "烟花爆竹", D(2024, 1, 1), place="巴音乌审召嘎查")
    assert [link.person for link in earlier.links if link.role == Role.TERRITORY] == ["巴特尔", "其其格"]


@pytest.mark.parametrize(
    ("kind", "sources", "results", "message"),
    [
        ("rename", ["交警中队"], ["平安建设办公室"], "已有名为“平安建设办公室”"),
        ("rename", ["交警中队"], ["交警中队"], "新名称与原名称相同"),
        ("merge", ["交警中队"], ["交警大队"], "两个及以上"),
        ("split", ["交警中队"], ["交警一中队"], "两个及以上"),
        ("rename", ["镇人民政府"], ["镇政府"], "只有镇属机构"),
        ("merge", ["交警中队", "乌审召嘎查"], ["混合"], "不能相互合并"),
        ("bogus", ["交警中队"], ["x"], "类型无效"),
    ],
)
def test_bad_requests_are_refused_with_a_reason_and_change_nothing(
    register: Register, kind: str, sources: list[str], results: list[str], message: str
) -> None:
    units = Unit.objects.count()
    with pytest.raises(ValidationError, match=message):
        _reorganise(register, kind, sources, results)
    assert Unit.objects.count() == units
    assert not UnitChange.objects.exists()


def test_a_future_date_and_records_after_the_date_are_refused(register: Register) -> None:
    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        _reorganise(register, "rename", ["交警中队"], ["交警大队"], effective=tomorrow)
    post = register.posts["交警中队负责人"]
    tenure = Tenure.objects.get(post=post)
    actions.end_tenure(tenure=tenure, end=D(2024, 8, 31), actor=register.officer)
    actions.appoint(post=post, person=register.person("萨仁"), start=D(2024, 9, 1), actor=register.officer)
    with pytest.raises(ValidationError, match="当天或以后还有记录"):
        _reorganise(register, "rename", ["交警中队"], ["交警大队"])
    assert Unit.objects.filter(name="交警中队", active=True).exists()


def test_a_dissolved_name_can_be_taken_again_and_sync_does_not_resurrect_it(
    register: Register, regulation: Any
) -> None:
    _reorganise(register, "rename", ["交警中队"], ["交警大队"])
    _reorganise(register, "rename", ["交警大队"], ["交警中队"], effective=D(2024, 9, 1))
    assert Unit.objects.filter(town=register.town, name="交警中队").count() == 2
    result = actions.sync_sectors_from_regulation(regulation=regulation, actor=register.officer)
    assert (result.units, result.supervisions) == (0, 0)
    assert actions.pending_claims(regulation) == []
    names = [h[0] for h in _heads(_chain(register, "查超治违", D(2024, 8, 1)))]
    assert names == ["交警大队"]
