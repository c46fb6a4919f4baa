"""Which post an article governs, read from its lead-in.

The post named first in the lead-in wins (after a leading "按照…原则，" clause), so "镇党委副书记、政法委员，
协助书记…" is the deputy, not the secretary it assists. Articles of 总则/附则 chapters, and lead-ins that
state a purpose or scope ("为…", "本制度适用于…"), govern no post. When the lead-in names none, the chapter
title is tried ("各主管部门负责人职责").

A level's own regulation (a 旗县's, a 盟市's: issue 25.5) binds the level's posts — 旗委书记/县委书记/市委书记,
旗长/县长/盟长/市长 (and 县政府主要领导), 常务副旗长, 分管安全生产的副旗长, 其他副旗长 and 旗委常委, 旗直部门 —
as RegionPost values; a town post it names directly ("苏木镇党委书记") stays a PostKind value.
"""

from __future__ import annotations

import re

from ..choices import PostKind, RegionPost

# A level above the towns, as its posts name it: 旗, 县, 市, 盟 and 区 (旗委书记, 县长, 盟长, 市直部门, 区委常委).
_L = "(?:旗|县|市|盟|区)"

# Order breaks ties at one position: the longer, more specific names first. A level's posts come before the
# towns' so that "分管安全生产工作的副旗长" is the county's deputy, not the town's; town texts name none of them.
_POSTS: list[tuple[str, re.Pattern[str]]] = [
    (RegionPost.DEPUTY_PARTY_SECRETARY.value, re.compile(rf"{_L}委(?:专职)?副书记")),
    (RegionPost.PARTY_SECRETARY.value, re.compile(rf"{_L}委(?:第一)?书记|{_L}委主要(?:领导|负责人)")),
    (RegionPost.EXECUTIVE_DEPUTY.value, re.compile(rf"常务副{_L}长")),
    (
        RegionPost.SAFETY_DEPUTY.value,
        re.compile(rf"(?:分管|负责)安全(?:生产)?(?:工作)?(?:的)?副{_L}长|副{_L}长[^，。；]{{0,6}}?分管安全"),
    ),
    (
        RegionPost.OTHER_DEPUTY.value,
        re.compile(rf"其[它他][^，。；]{{0,10}}?(?:副{_L}长|{_L}级领导|{_L}委常委)|副{_L}长|{_L}委常委"),
    ),
    (
        RegionPost.HEAD.value,
        re.compile(rf"(?<![副社园]){_L}长(?!期|效|远)|{_L}(?:人民)?政府主要(?:领导|负责人)"),
    ),
    (
        RegionPost.DEPARTMENT_HEAD.value,
        re.compile(
            rf"{_L}直|{_L}级?(?:政府)?(?:各有关|有关|相关|各)部门|{_L}级?(?:负有安全生产监督管理职责的|行业主管)部门"
            rf"|{_L}[^，。；、（）]{{1,8}}?(?:局|委员会)(?:主要)?负责人"
        ),
    ),
    (PostKind.DEPUTY_PARTY_SECRETARY.value, re.compile(r"党[工]?委(?:专职)?副书记|(?<![纪])副书记")),
    (PostKind.DISCIPLINE_SECRETARY.value, re.compile(r"纪[工检]?委书记|纪检书记|纪检委员|监察专员")),
    (PostKind.PARTY_SECRETARY.value, re.compile(r"党[工]?委(?:第一)?书记")),
    (PostKind.CONGRESS_CHAIR.value, re.compile(r"人大(?:主席团)?主席|人大主任|人大工委主任")),
    (PostKind.SAFETY_DEPUTY.value, re.compile(r"分管安全(?:生产)?|分管应急")),
    (
        PostKind.OTHER_DEPUTY.value,
        re.compile(
            r"其[它他][^，。；]{0,10}?副职|其[它他][^，。；]{0,6}?副(?:镇|乡)长|副(?:镇|乡)长|副苏木达"
        ),
    ),
    (PostKind.MAYOR.value, re.compile(r"(?<![副乡])(?:镇|乡)长|(?<![副])苏木达")),
    (
        PostKind.VILLAGE_SECRETARY.value,
        re.compile(r"(?:村|嘎查|社区)[^，。；：]{0,20}?(?:支部书记|书记|负责人)"),
    ),
    (
        PostKind.DEPARTMENT_HEAD.value,
        re.compile(
            r"各部门|驻(?:镇|乡|苏木)各?单位|主管部门|镇其他机构|其[它他]机构|各站所|各办公室"
            r"|(?:镇|乡)(?:属|直)各?(?:单位|部门)"
        ),
    ),
]
_NO_POST_CHAPTER = re.compile(r"总则|附则")
_LEADING_BASIS = re.compile(r"^(?:按照|根据|依据|依照)(?:“[^”]*”|[^，“])*，")
_PURPOSE = re.compile(r"^(?:为了?|本(?:制度|办法|规定|细则)|根据|依据)")


def post_of(lead_in: str, chapter_title: str | None) -> str | None:
    """The PostKind value the article binds, or ``None``.

    ``lead_in`` is the article's Simplified lead-in (the text before its first item).
    """
    if chapter_title and _NO_POST_CHAPTER.search(chapter_title):
        return None
    subject = _LEADING_BASIS.sub("", lead_in.strip(), count=1)
    if _PURPOSE.match(subject):
        return None
    return _first_post(subject) or (_first_post(chapter_title) if chapter_title else None)


def _first_post(text: str) -> str | None:
    best: tuple[int, int, str] | None = None
    for rank, (post, pattern) in enumerate(_POSTS):
        m = pattern.search(text)
        if m and (best is None or (m.start(), rank) < best[:2]):
            best = (m.start(), rank, post)
    return best[2] if best else None
