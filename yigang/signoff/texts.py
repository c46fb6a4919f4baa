"""The exact texts people confirm: a regulation version, a holder's 责任清单, a 目标责任书.

Each text is built deterministically from the data, so the same data always gives the same SHA-256: a new
regulation version that leaves a holder's list unchanged gives the same hash and re-opens nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from yigang.regulations.choices import PostKind
from yigang.regulations.duty_list import DutyList, build_duty_list
from yigang.regulations.models import Regulation

from .indicators import describe
from .models import TargetItem


def regulation_text(regulation: Regulation) -> str:
    """The regulation as issued: its title and the verbatim source text."""
    return f"{regulation.title}（第{regulation.version}版）\n\n{regulation.source_text}"


def duty_list_for(regulation: Regulation, post_kind: str, unit_name: str) -> DutyList:
    """A holder's list: a department head's is their own body's; every other kind's is the same for all."""
    return build_duty_list(regulation, post_kind, unit_name if post_kind == PostKind.DEPARTMENT_HEAD else "")


def duty_list_text(duty_list: DutyList) -> str:
    """The list as plain text, line by line; the version is not part of it, so an unchanged list hashes alike."""
    lines = [
        duty_list.title,
        f"岗位：{duty_list.post_name}。责任层级：{duty_list.level}（{duty_list.designation}）。",
        *duty_list.lead,
    ]
    for n, line in enumerate(duty_list.lines, start=1):
        extra = "；".join(f for f in line.frequencies if f)
        lines.append(f"{n}. {line.place}：{line.text}" + (f"（{extra}）" if extra else ""))
    return "\n".join(lines)


def letter_paragraphs(
    *, town_name: str, year: int, party_b: str, items: Sequence[TargetItem]
) -> list[tuple[str, list[str]]]:
    """The letter's sections (heading, paragraphs): the same for the page, the text hashed and the .docx."""
    targets = []
    for n, item in enumerate(items, start=1):
        measure = describe(item.indicator, item.target)
        targets.append(f"{n}. {item.text}" + (f"（考核指标：{measure}）" if measure else "") + "。")
    return [
        (
            "",
            [
                f"甲方：{town_name}人民政府",
                f"乙方：{party_b}",
                "为全面落实安全生产“党政同责、一岗双责、齐抓共管、失职追责”和“三管三必须”要求，"
                f"明确{year}年度安全生产工作目标和责任，甲乙双方签订本责任书。",
            ],
        ),
        ("一、目标任务", targets or ["（无）"]),
        (
            "二、责任期限",
            [f"本责任书责任期限为{year}年1月1日至{year}年12月31日。"],
        ),
        (
            "三、考核奖惩",
            [
                "镇安全生产委员会办公室依据本责任书和一岗双责系统记录的数据对乙方进行考核，"
                "考核结果纳入年度综合考核；发生生产安全死亡事故的，实行“一票否决”。",
                "本责任书一式两份，甲乙双方各执一份，自双方确认之日起生效。",
            ],
        ),
    ]


def letter_title(town_name: str, year: int) -> str:
    return f"{town_name}{year}年度安全生产目标责任书"


def letter_text(*, town_name: str, year: int, party_b: str, items: Sequence[TargetItem]) -> str:
    lines = [letter_title(town_name, year)]
    for heading, paragraphs in letter_paragraphs(
        town_name=town_name, year=year, party_b=party_b, items=items
    ):
        if heading:
            lines.append(heading)
        lines.extend(paragraphs)
    return "\n".join(lines)
