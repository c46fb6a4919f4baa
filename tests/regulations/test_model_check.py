"""A county's own regulation, its model duties, and the towns held against it (issue 25.5), worked by hand.

The made-up county text (fixtures/county_model.txt) and the made-up town text (fixtures/town_against_model.txt):

  model duty (county text)                     town post            town's counterpart               finding
  第三条(一) 旗委常委会每季度1次会议 = 4/年      镇党委书记 (default)  第二条1 党委会议 每年至少4次 = 4   equal: met
  第四条(一) 旗长每月1次常务会议 = 12/年         镇长                  第三条1 会议 每季度1次 = 4        频次偏低
  第四条(二) 旗长每季度1次检查 = 4/年            镇长                  第三条2 检查 每月1次 = 12         stricter: met
  第五条(二) 分管副旗长每月1次督查检查           分管安全副职          only a 调度会 (meeting)          缺少职责
  第七条 嘎查村党支部书记每月1次隐患排查          嘎查村党支部书记      no village article               缺少岗位
  第六条 旗直部门每季度1次检查                   (not marked)          —                                not held
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yigang.audit.models import AuditEntry
from yigang.regulations import actions, model_actions
from yigang.regulations.model_check import (
    DUTY_MISSING,
    LOWER,
    NO_REGULATION,
    POST_MISSING,
    check_region,
    per_year,
    shares_words,
)
from yigang.regulations.models import Duty, Regulation, Status
from yigang.towns.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
COUNTY = (FIXTURES / "county_model.txt").read_bytes()
TOWN = (FIXTURES / "town_against_model.txt").read_bytes()
MARKED = [(3, 1), (4, 1), (4, 2), (5, 2), (7, None)]


@pytest.fixture
def county(db: Any) -> Region:
    league = Region.objects.create(code="ordos", name="鄂尔多斯市", level=RegionLevel.PREFECTURE)
    return Region.objects.create(code="wushen", name="乌审旗", level=RegionLevel.COUNTY, parent=league)


def _duty(regulation: Regulation, article: int, item: int | None) -> Duty:
    return regulation.duties.get(article__number=article, item__number=item)


def county_model(
    county: Region, actor: Any = None, marked: list[tuple[int, int | None]] = MARKED
) -> Regulation:
    regulation = actions.import_regulation(region=county, data=COUNTY, filename="county.txt", actor=actor)
    for article, item in marked:
        model_actions.mark_model_duty(duty=_duty(regulation, article, item), is_model=True, actor=actor)
    return actions.activate_regulation(regulation=regulation, actor=actor)


def test_a_county_text_binds_the_county_posts(county: Region) -> None:
    regulation = actions.import_regulation(region=county, data=COUNTY, filename="county.txt", actor=None)
    assert regulation.town is None and regulation.region == county
    assert regulation.issuer == "中共乌审旗委员会办公室、乌审旗人民政府办公室"
    rows = [(d.article.number, d.post, d.kind, d.min_count, d.period) for d in regulation.duties.all()]
    assert rows == [
        (3, "region_party_secretary", "meeting", 1, "quarter"),
        (4, "region_head", "meeting", 1, "month"),
        (4, "region_head", "inspection", 1, "quarter"),
        (5, "region_safety_deputy", "meeting", 1, "month"),
        (5, "region_safety_deputy", "inspection", 1, "month"),
        (6, "region_department_head", "inspection", 1, "quarter"),
        (7, "village_secretary", "inspection", 1, "month"),
    ]
    assert set(regulation.posts.values_list("kind", flat=True)) == {
        "region_party_secretary",
        "region_head",
        "region_safety_deputy",
        "region_department_head",
        "village_secretary",
    }


def test_frequencies_compare_per_year() -> None:
    def duty(count: int | None, period: str) -> Duty:
        return Duty(min_count=count, period=period)

    assert per_year(duty(1, "month")) == 12 > per_year(duty(1, "quarter")) == 4
    assert per_year(duty(4, "year")) == per_year(duty(1, "quarter"))
    assert per_year(duty(1, "week")) == 52 and per_year(duty(2, "half_year")) == 4
    assert per_year(duty(None, "")) is None


def test_the_town_is_held_against_the_model_by_hand(county: Region, other_town: Any) -> None:
    county_model(county)
    town_regulation = actions.import_regulation(town=other_town, data=TOWN, filename="tuke.txt", actor=None)
    actions.activate_regulation(regulation=town_regulation, actor=None)

    check = check_region(county, [other_town])
    assert [(m.duty.article.number, m.town_post) for m in check.models] == [
        (3, "party_secretary"),
        (4, "mayor"),
        (4, "mayor"),
        (5, "safety_deputy"),
        (7, "village_secretary"),
    ]
    (town,) = check.towns
    found = [
        (f.model.duty.article.number, f.model.duty.item and f.model.duty.item.number, f.status)
        for f in town.findings
    ]
    assert found == [(4, 1, LOWER), (5, 2, DUTY_MISSING), (7, None, POST_MISSING)]
    lower = town.findings[0]
    assert lower.found is not None and (lower.found.min_count, lower.found.period) == (1, "quarter")
    assert town.met == 2  # the equal one (4 a year each) and the stricter one (12 against 4)


def test_a_town_without_a_regulation_in_force_owes_every_model_duty(county: Region, other_town: Any) -> None:
    county_model(county)
    actions.import_regulation(town=other_town, data=TOWN, filename="draft.txt", actor=None)  # a draft only
    (town,) = check_region(county, [other_town]).towns
    assert town.regulation is None
    assert [f.status for f in town.findings] == [NO_REGULATION] * 5


def test_the_model_is_the_version_in_force_and_unmarked_duties_are_not_held(
    county: Region, other_town: Any
) -> None:
    draft = actions.import_regulation(region=county, data=COUNTY, filename="county.txt", actor=None)
    model_actions.mark_model_duty(duty=_duty(draft, 6, None), is_model=True, actor=None)
    assert check_region(county, [other_town]).models == []  # nothing in force yet
    actions.activate_regulation(regulation=draft, actor=None)
    (model,) = check_region(county, [other_town]).models
    assert (model.duty.article.number, model.town_post) == (6, "department_head")


def test_the_post_table_can_be_corrected_and_a_post_with_no_town_counterpart_is_not_held(
    county: Region, other_town: Any, users: dict[str, Any]
) -> None:
    county_model(county)
    actor = users["county_viewer"]
    model_actions.set_post_mapping(
        region=county, region_post="region_safety_deputy", town_post="", actor=actor
    )
    check = check_region(county, [other_town])
    assert [(m.duty.article.number, m.duty.post) for m in check.unmapped] == [(5, "region_safety_deputy")]
    assert len(check.models) == 4
    model_actions.set_post_mapping(
        region=county, region_post="region_head", town_post="other_deputy", actor=actor
    )
    assert [m.town_post for m in check_region(county, [other_town]).models][1:3] == ["other_deputy"] * 2
    entries = AuditEntry.objects.filter(event="regulation.model.post_mapping")
    assert [e.changes["town_post"] for e in entries.order_by("id")] == [
        ["safety_deputy", ""],
        ["mayor", "other_deputy"],
    ]
    with pytest.raises(ValidationError):
        model_actions.set_post_mapping(region=county, region_post="mayor", town_post="mayor", actor=actor)


def test_a_new_version_carries_the_marks_or_asks_again(county: Region) -> None:
    first = county_model(county)
    changed = COUNTY.decode().replace("每月至少开展1次安全生产督查检查", "每半月至少开展1次安全生产督查检查")
    second = actions.import_regulation(region=county, data=changed.encode(), filename="v2.txt", actor=None)
    assert second.version == 2
    carried = sorted(
        (d.article.number, d.item and d.item.number) for d in second.duties.filter(is_model=True)
    )
    assert carried == [(3, 1), (4, 1), (4, 2), (7, None)]
    assert any("第1版的示范条款" in w and "督查检查" in w for w in second.parse_warnings)
    entry = AuditEntry.objects.get(event="regulation.import", object_id=str(second.pk))
    assert (entry.changes["marks_carried"], entry.changes["marks_to_redo"]) == (4, 1)
    actions.activate_regulation(regulation=second, actor=None, effective_from=datetime.date(2024, 1, 1))
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert first.duties.filter(is_model=True).count() == 5  # the old version keeps its marks


def test_marks_belong_to_a_region_and_a_post(county: Region, regulation: Regulation) -> None:
    with pytest.raises(ValidationError, match="旗县、盟市本级"):
        model_actions.mark_model_duty(duty=regulation.duties.first(), is_model=True, actor=None)
    draft = actions.import_regulation(region=county, data=COUNTY, filename="c.txt", actor=None)
    loose = draft.duties.first()
    Duty.objects.filter(pk=loose.pk).update(post="")
    loose.refresh_from_db()
    with pytest.raises(ValidationError, match="指定岗位"):
        model_actions.mark_model_duty(duty=loose, is_model=True, actor=None)


def test_versions_and_activation_keep_to_their_owner(county: Region, regulation: Regulation) -> None:
    """A region's versions number and supersede among themselves; the town's version in force is untouched."""
    one = county_model(county)
    two = actions.import_regulation(region=county, data=COUNTY, filename="c2.txt", actor=None)
    actions.activate_regulation(regulation=two, actor=None, effective_from=datetime.date(2024, 1, 1))
    regulation.refresh_from_db()
    assert regulation.status == Status.ACTIVE and (one.version, two.version) == (1, 2)
    assert Regulation.objects.filter(region=county, status=Status.ACTIVE).get() == two


def test_a_town_read_never_sees_a_regions_regulation(
    county: Region, regulation: Regulation, users: dict[str, Any]
) -> None:
    own = county_model(county)
    for user in users.values():
        assert own not in Regulation.objects.for_user(user)
        assert not Duty.objects.for_user(user).filter(regulation=own).exists()
    assert regulation in Regulation.objects.for_user(users["county_viewer"])


def test_words_decide_only_for_duties_of_no_kind() -> None:
    assert shares_words("督促企业落实安全生产主体责任", "督促辖区企业落实安全生产主体责任")
    assert not shares_words("督促企业落实安全生产主体责任", "组织开展应急演练")


def test_the_real_town_text_against_the_made_up_county(
    county: Region, regulation: Regulation, town: Any
) -> None:
    """乌审召镇 (2022) against the county's five model duties, by hand from its text:

    旗委常委会 4/年      ↔ 第四条4 党委书记 领导小组成员会议 每年至少2次        频次偏低
    旗长常务会议 12/年    ↔ 第五条3 镇长 安全生产工作会议 每年至少4次           频次偏低
    旗长检查 4/年         ↔ 第五条4 镇长 检查整治 每年至少4次                   equal: met
    分管副旗长督查 12/年  ↔ 第九条4 分管安全副职 专项检查 每月至少1次           equal: met
    嘎查村隐患排查 12/年  ↔ 第十三条 binds the 嘎查村 secretary, with no frequency  缺少职责
    """
    county_model(county)
    (check,) = check_region(county, [town]).towns
    found = [
        (f.model.duty.article.number, f.status, f.found and (f.found.article.number, f.found.item.number))
        for f in check.findings
    ]
    assert found == [(3, LOWER, (4, 4)), (4, LOWER, (5, 3)), (7, DUTY_MISSING, None)]
    assert check.met == 2


def test_the_check_reads_the_same_number_of_queries_for_one_town_or_many(
    county: Region, regulation: Regulation, other_town: Any, make_town: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    county_model(county)
    towns = [regulation.town, other_town, make_town(code="sumu", name="苏木", county="乌审旗")]
    for town in towns[1:]:
        own = actions.import_regulation(town=town, data=TOWN, filename="t.txt", actor=None)
        actions.activate_regulation(regulation=own, actor=None)
    counts = []
    for some in (towns[:1], towns):
        with CaptureQueriesContext(connection) as queries:
            check = check_region(county, some)
            [f.found and f.found.place_label for t in check.towns for f in t.findings]
        counts.append(len(queries))
    assert counts[0] == counts[1]
