"""The regulation's vocabulary as code: post kinds, responsibility levels, duty kinds, periods.

Kept free of models so the parser (plain Python) and the models share one list.
"""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class PostKind(models.TextChoices):
    """The kinds of post a township regulation binds; ``org`` maps them to the town's real posts."""

    PARTY_SECRETARY = "party_secretary", _("镇党委书记")
    MAYOR = "mayor", _("镇长")
    CONGRESS_CHAIR = "congress_chair", _("镇人大主席")
    DEPUTY_PARTY_SECRETARY = "deputy_party_secretary", _("镇党委副书记、政法委员")
    DISCIPLINE_SECRETARY = "discipline_secretary", _("镇纪委书记")
    SAFETY_DEPUTY = "safety_deputy", _("分管安全生产工作的副职领导")
    OTHER_DEPUTY = "other_deputy", _("其他党政副职")
    DEPARTMENT_HEAD = "department_head", _("各部门及驻镇单位负责人")
    VILLAGE_SECRETARY = "village_secretary", _("嘎查村（社区）党支部书记")


class RegionPost(models.TextChoices):
    """The posts a level above the towns binds in its own regulation (issue 25.5): a 旗县's, or a 盟市's.

    One set serves both levels (旗委书记 and 市委书记 are each level's party secretary); the level is the Region's.
    A region's regulation may also bind town posts directly ("苏木镇党委书记…"): those are PostKind values.
    """

    PARTY_SECRETARY = "region_party_secretary", _("旗县（盟市）党委书记")
    DEPUTY_PARTY_SECRETARY = "region_deputy_party_secretary", _("旗县（盟市）党委副书记")
    HEAD = "region_head", _("旗县长（盟市长）")
    EXECUTIVE_DEPUTY = "region_executive_deputy", _("常务副旗县长（副市长）")
    SAFETY_DEPUTY = "region_safety_deputy", _("分管安全生产的副旗县长（副市长）")
    OTHER_DEPUTY = "region_other_deputy", _("旗县（盟市）其他党政领导")
    DEPARTMENT_HEAD = "region_department_head", _("旗县（盟市）直部门负责人")


# Every post a regulation's text may bind: the towns' and the levels' above them.
ALL_POSTS: list[tuple[str, Any]] = [*PostKind.choices, *RegionPost.choices]


def post_label(value: str) -> str:
    """The display name of a post value of either set ("" when none)."""
    return str(dict(ALL_POSTS).get(value, value))


# The town post each level post stands for by default, by role (a region may correct it, issue 25.5).
DEFAULT_TOWN_POST: dict[str, str] = {
    RegionPost.PARTY_SECRETARY: PostKind.PARTY_SECRETARY,
    RegionPost.DEPUTY_PARTY_SECRETARY: PostKind.DEPUTY_PARTY_SECRETARY,
    RegionPost.HEAD: PostKind.MAYOR,
    RegionPost.EXECUTIVE_DEPUTY: PostKind.OTHER_DEPUTY,
    RegionPost.SAFETY_DEPUTY: PostKind.SAFETY_DEPUTY,
    RegionPost.OTHER_DEPUTY: PostKind.OTHER_DEPUTY,
    RegionPost.DEPARTMENT_HEAD: PostKind.DEPARTMENT_HEAD,
    **{kind: kind for kind in PostKind.values},
}


class Level(models.TextChoices):
    """Responsibility levels of Art. 3, plus the oversight of 人大 and 纪委."""

    OVERALL = "overall", _("全面领导责任")
    COMPREHENSIVE = "comprehensive", _("综合监督管理责任")
    DIRECT = "direct", _("直接领导责任")
    OVERSIGHT = "oversight", _("监督责任")


class Designation(models.TextChoices):
    """How the regulation names a post's standing (负总责, 第一责任人 …)."""

    TOTAL = "total", _("负总责")
    FIRST = "first", _("第一责任人")
    SECOND = "second", _("第二责任人")
    OVERSIGHT = "oversight", _("监督")
    ASSIST = "assist", _("协助")
    PORTFOLIO = "portfolio", _("分管负责")
    SECTOR = "sector", _("谁主管、谁负责")


# The level and designation each post kind carries by default (Art. 3–13 of the genre).
POST_LEVEL: dict[str, tuple[str, str]] = {
    PostKind.PARTY_SECRETARY: (Level.OVERALL, Designation.TOTAL),
    PostKind.MAYOR: (Level.OVERALL, Designation.FIRST),
    PostKind.SAFETY_DEPUTY: (Level.COMPREHENSIVE, Designation.SECOND),
    PostKind.CONGRESS_CHAIR: (Level.OVERSIGHT, Designation.OVERSIGHT),
    PostKind.DISCIPLINE_SECRETARY: (Level.OVERSIGHT, Designation.OVERSIGHT),
    PostKind.DEPUTY_PARTY_SECRETARY: (Level.DIRECT, Designation.ASSIST),
    PostKind.OTHER_DEPUTY: (Level.DIRECT, Designation.PORTFOLIO),
    # Art. 3: each body's principal head bears 全面领导责任 for the body and the sectors it supervises.
    PostKind.DEPARTMENT_HEAD: (Level.OVERALL, Designation.SECTOR),
    PostKind.VILLAGE_SECRETARY: (Level.OVERALL, Designation.FIRST),
    RegionPost.PARTY_SECRETARY: (Level.OVERALL, Designation.TOTAL),
    RegionPost.HEAD: (Level.OVERALL, Designation.FIRST),
    RegionPost.DEPUTY_PARTY_SECRETARY: (Level.DIRECT, Designation.ASSIST),
    RegionPost.EXECUTIVE_DEPUTY: (Level.DIRECT, Designation.ASSIST),
    RegionPost.SAFETY_DEPUTY: (Level.COMPREHENSIVE, Designation.SECOND),
    RegionPost.OTHER_DEPUTY: (Level.DIRECT, Designation.PORTFOLIO),
    RegionPost.DEPARTMENT_HEAD: (Level.OVERALL, Designation.SECTOR),
}


class DutyKind(models.TextChoices):
    """The kind of act a duty asks for; a duty record of the same kind counts towards it."""

    MEETING = "meeting", _("会议")
    INSPECTION = "inspection", _("检查")
    SUPERVISION = "supervision", _("监督检查")
    HEARING = "hearing", _("听取汇报")
    RESEARCH = "research", _("调研")
    TRAINING = "training", _("培训宣传")
    CAMPAIGN = "campaign", _("专项行动")
    OTHER = "other", _("其他")


class Period(models.TextChoices):
    """The period a frequency duty counts over (Asia/Shanghai calendar)."""

    WEEK = "week", _("每周")
    TWO_WEEKS = "two_weeks", _("每两周")
    TEN_DAYS = "ten_days", _("每旬")
    HALF_MONTH = "half_month", _("每半月")
    MONTH = "month", _("每月")
    TWO_MONTHS = "two_months", _("每两个月")
    QUARTER = "quarter", _("每季度")
    HALF_YEAR = "half_year", _("每半年")
    YEAR = "year", _("每年")
