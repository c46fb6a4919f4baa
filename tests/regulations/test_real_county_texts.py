"""Real county-level texts of the genre (tests/regulations/data/, each with its source address in its header),
read as a county's own regulation and held, as a model, against the real 乌审召镇 text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yigang.regulations import actions, model_actions
from yigang.regulations.model_check import LOWER, check_region
from yigang.regulations.parser import parse_text
from yigang.towns.models import Region, RegionLevel

DATA = Path(__file__).parent / "data"


def body(name: str) -> str:
    """The text without its header (the lines starting with #: source address and what was kept)."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0].startswith("# 来源：http")
    return "".join(line for line in lines if not line.startswith("#"))


def test_the_leaders_duties_bind_the_countys_deputies() -> None:
    parsed = parse_text(body("autonomous-county-leaders-duties.txt"))
    assert [(a.number, a.post, len(a.items)) for a in parsed.articles] == [
        (2, "region_executive_deputy", 4),
        (3, "region_safety_deputy", 4),
    ]
    assert parsed.duties == []  # the excerpt states no frequency
    assert any("较长文件中的一页" in w for w in parsed.warnings)


def test_the_meeting_rules_give_once_a_quarter_even_with_dingqi() -> None:
    parsed = parse_text(body("county-safety-meeting-rules.txt"))
    assert parsed.title == "縣安全生產工作例會制度"
    (duty,) = parsed.duties
    assert (duty.article, duty.kind, duty.min_count, duty.period) == (1, "meeting", 1, "quarter")
    assert duty.phrase == "每季定期組織召開一次"
    # 第二条: the meeting is the 县政府主要领导's to call.
    assert [a.post for a in parsed.articles][:2] == [None, "region_head"]


@pytest.mark.django_db
def test_the_meeting_rule_as_a_model_against_wushenzhao(regulation: Any, town: Any) -> None:
    """The county's quarterly meeting (4 a year), bound by the reviewer to the 县长 (第二条 names who calls it):
    乌审召镇's 镇长 holds 安全生产工作会议 每年至少4次 (第五条第3项) — equal, met. Mapped instead to the town's
    党委书记, whose 领导小组成员会议 is 每年至少2次 (第四条第4项) — lower."""
    county = Region.objects.create(code="wushen", name="乌审旗", level=RegionLevel.COUNTY)
    own = actions.import_regulation(
        region=county, data=body("county-safety-meeting-rules.txt").encode(), filename="rules.txt", actor=None
    )
    (duty,) = own.duties.all()
    actions.correct_duty(
        duty=duty, post="region_head", kind="meeting", min_count=1, period="quarter", actor=None
    )
    model_actions.mark_model_duty(duty=duty, is_model=True, actor=None)
    actions.activate_regulation(regulation=own, actor=None)

    (check,) = check_region(county, [town]).towns
    assert check.findings == [] and check.met == 1

    model_actions.set_post_mapping(
        region=county, region_post="region_head", town_post="party_secretary", actor=None
    )
    (check,) = check_region(county, [town]).towns
    (finding,) = check.findings
    assert finding.status == LOWER
    assert finding.found is not None and (finding.found.article.number, finding.found.item.number) == (4, 4)


@pytest.mark.django_db
def test_the_leaders_duties_import_as_the_countys_posts() -> None:
    county = Region.objects.create(code="wushen", name="乌审旗", level=RegionLevel.COUNTY)
    own = actions.import_regulation(
        region=county,
        data=body("autonomous-county-leaders-duties.txt").encode(),
        filename="leaders.txt",
        actor=None,
    )
    posts = dict(own.posts.values_list("kind", "designation"))
    assert posts == {"region_executive_deputy": "assist", "region_safety_deputy": "second"}
