"""A 目标责任书 as .docx in the official layout (yigang/exports/word.py), from the text frozen at issue, with the
signature lines of both sides and, where a side has confirmed in Yigang, when and the text's checksum."""

from __future__ import annotations

import re

from django.utils import timezone

from yigang.exports.word import OfficialDocument, Section, render_docx

from .models import Side, TargetLetter, Task

_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def sections_of(text: str) -> tuple[str, list[Section]]:
    """The title and the sections of a letter's text (headings are the lines numbered 一、二、…)."""
    lines = text.split("\n")
    sections = [Section()]
    for line in lines[1:]:
        if _HEADING.match(line):
            sections.append(Section(heading=line))
        else:
            sections[-1] = Section(heading=sections[-1].heading, paragraphs=[*sections[-1].paragraphs, line])
    return lines[0], sections


def _signed(task: Task | None) -> str:
    if task is None:
        return "（暂无任职人员）"
    confirmation = getattr(task, "confirmation", None)
    if confirmation is None:
        return f"{task.person.name}（待确认）"
    return (
        f"{task.person.name}（已于{timezone.localtime(confirmation.at):%Y年%m月%d日}在系统确认，"
        f"校验值{confirmation.sha256[:12]}）"
    )


def letter_docx(letter: TargetLetter) -> bytes:
    title, sections = sections_of(letter.text)
    tasks = {
        t.side: t
        for t in Task.objects.filter(letter=letter, ended_at__isnull=True).select_related(
            "person", "confirmation"
        )
    }
    town = letter.document.town
    return render_docx(
        OfficialDocument(
            title=title,
            sections=sections,
            signature_lines=[
                f"甲方：{town.name}人民政府（盖章）",
                f"代表（签字）：{_signed(tasks.get(Side.TOWN))}",
                "日期：      年    月    日",
                "",
                f"乙方：{letter.party_b}（盖章）",
                f"负责人（签字）：{_signed(tasks.get(Side.PARTY_B))}",
                "日期：      年    月    日",
            ],
        )
    )
