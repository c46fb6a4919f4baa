"""A post's duty list (责任清单): the articles that bind it, item by item, with the frequency duties marked."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from yigang.exports.excel import render_xlsx
from yigang.exports.word import OfficialDocument, Section, Table, render_docx

from .choices import POST_LEVEL, Designation, Level, PostKind
from .models import Article, Duty, Regulation, SectorClaim
from .parser.sectors import without_sectors


@dataclass
class DutyLine:
    place: str
    text: str
    frequencies: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Handover:
    """A sector a body handed over, or took over, in a reorganisation (the register in ``org`` knows which)."""

    sector: str
    scope: str
    other: str  # the body it went to, or came from
    since: datetime.date
    source: str = ""  # where the regulation assigns it: "第十二条第7项"

    @property
    def label(self) -> str:
        return f"{self.sector}（{self.scope}）" if self.scope else self.sector


@dataclass
class DutyList:
    regulation: Regulation
    post: str
    post_name: str
    level: str
    designation: str
    lead: list[str]
    lines: list[DutyLine]
    unit_name: str = ""

    @property
    def title(self) -> str:
        who = f"{self.post_name}·{self.unit_name}" if self.unit_name else self.post_name
        return f"{self.regulation.town.name}安全生产责任清单（{who}）"


def build_duty_list(
    regulation: Regulation,
    post: str,
    unit_name: str = "",
    *,
    handed_over: Sequence[Handover] = (),
    taken_over: Sequence[Handover] = (),
) -> DutyList:
    """Every item of the articles governing `post`, plus any duty bound to it elsewhere.

    With `unit_name` (a department head's own body), the Art. 12-style items that assign sectors to other
    bodies are left out, so the list is that body's own; if the regulation names no such body (e.g. one created
    by a later reorganisation) and it took nothing over, every item stays, rather than silently dropping duties.
    After a reorganisation, the body's own item no longer names the sectors it `handed_over`, and each sector it
    `taken_over` is a line of its own.
    """
    if post not in PostKind.values:
        raise ValueError(post)
    claims = dict(
        SectorClaim.objects.filter(regulation=regulation, item__isnull=False).values_list(
            "item_id", "unit_name"
        )
    )
    if not unit_name or (unit_name not in claims.values() and not taken_over):
        unit_name, claims, handed_over, taken_over = "", {}, (), ()
    handed = {(h.sector, h.scope) for h in handed_over}
    level, designation = POST_LEVEL[post]
    articles = list(
        Article.objects.filter(regulation=regulation, post=post).prefetch_related("items").order_by("number")
    )
    duties = list(
        Duty.objects.filter(regulation=regulation, post=post)
        .select_related("article", "item")
        .order_by("position")
    )
    by_item: dict[int, list[Duty]] = {}
    loose: list[Duty] = []
    for duty in duties:
        if duty.item_id is not None:
            by_item.setdefault(duty.item_id, []).append(duty)
        else:
            loose.append(duty)
    lines: list[DutyLine] = []
    for article in articles:
        for item in article.items.all():
            if item.pk in claims and claims[item.pk] != unit_name:
                continue
            found = by_item.pop(item.pk, [])
            text = item.text
            if item.pk in claims and handed:
                moved = "；".join(f"{h.label}自{h.since:%Y-%m-%d}起移交{h.other}" for h in handed_over)
                text = f"{without_sectors(text, handed)}（机构改革：{moved}）"
            lines.append(
                DutyLine(
                    f"{article}第{item.number}项",
                    text,
                    [d.frequency_label for d in found],
                    [d.get_kind_display() for d in found],
                )
            )
        if not article.items.all():
            lines.append(DutyLine(str(article), article.text))
    for h in taken_over:
        lines.append(
            DutyLine(
                h.source or "机构改革",
                f"负责{h.label}方面的安全监管（机构改革：自{h.since:%Y-%m-%d}起由{h.other}移交）",
            )
        )
    # Duties bound to this post from an article that governs another post (or from no article at all).
    for found in by_item.values():
        loose.extend(found)
    for duty in loose:
        lines.append(
            DutyLine(duty.place_label or "—", duty.text, [duty.frequency_label], [duty.get_kind_display()])
        )
    return DutyList(
        regulation=regulation,
        post=post,
        post_name=str(PostKind(post).label),
        level=str(Level(level).label),
        designation=str(Designation(designation).label),
        lead=[a.heading for a in articles if a.heading],
        lines=lines,
        unit_name=unit_name,
    )


_COLUMNS = ("序号", "依据", "职责内容", "频次要求", "履职方式")


def _rows(duty_list: DutyList) -> list[list[object]]:
    return [
        [n, line.place, line.text, "；".join(line.frequencies), "；".join(line.kinds)]
        for n, line in enumerate(duty_list.lines, start=1)
    ]


def duty_list_docx(duty_list: DutyList) -> bytes:
    reg = duty_list.regulation
    document = OfficialDocument(
        title=duty_list.title,
        subtitle=f"依据《{reg.title}》（第{reg.version}版）",
        sections=[
            Section(
                paragraphs=[
                    f"岗位：{duty_list.post_name}。责任层级：{duty_list.level}（{duty_list.designation}）。",
                    *duty_list.lead,
                ]
            ),
            Section(table=Table(_COLUMNS, _rows(duty_list), widths_mm=(12, 28, 82, 24, 20))),
        ],
        signature_lines=["责任人（签字）：                日期：      年    月    日"],
    )
    return render_docx(document)


def duty_list_xlsx(duty_list: DutyList) -> bytes:
    return render_xlsx(
        sheet="责任清单",
        title=f"{duty_list.title} —— {duty_list.level}（{duty_list.designation}）",
        columns=_COLUMNS,
        rows=_rows(duty_list),
        widths=(6, 18, 80, 16, 12),
    )
