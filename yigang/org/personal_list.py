"""A person's own 责任清单: who they are, the posts they hold, what they are in charge of, and their duties.

The generic list of a post kind (regulations.duty_list) names no one and, for a department head, would list every
body's Art. 12 item. The personal list is built from the person page's profile: each current post's list (a
department head's holds only their own body's Art. 12 item), headed by the person's name, posts with their
level, and their 分管 range — the bodies and sectors their portfolios give them, each body with the sectors it
supervises on the day — so it can be signed and filed. The town's own frequency duties on those posts (本镇要求,
duties.TownDuty) follow the regulation's lists: they are judged in compliance like the regulation's, so the
person must find them on the list they sign.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps

from yigang.exports import sanitise
from yigang.exports.excel import render_xlsx
from yigang.exports.word import OfficialDocument, Section, Table, render_docx
from yigang.regulations.choices import PostKind
from yigang.regulations.duty_list import DutyList
from yigang.regulations.models import Regulation

from .models import Person, Supervision
from .profile import Profile


@dataclass
class PostLine:
    unit: str
    title: str
    level: str
    since: datetime.date

    @property
    def label(self) -> str:
        return self.title if self.title.startswith(self.unit) else f"{self.unit}·{self.title}"


@dataclass
class TownDutyLine:
    """One of the town's own frequency duties (本镇要求) on a post the person holds."""

    post: str
    text: str
    frequency: str
    kind: str
    since: datetime.date


@dataclass
class PersonalList:
    person: Person
    day: datetime.date
    regulation: Regulation | None
    posts: list[PostLine] = field(default_factory=list)
    in_charge: list[str] = field(default_factory=list)  # 分管 range, one line per body or sector
    supervised: list[str] = field(default_factory=list)  # the sectors the bodies they head supervise
    lists: list[DutyList] = field(default_factory=list)
    town_duties: list[TownDutyLine] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.person.town.name}安全生产责任清单（{self.person.name}）"

    @property
    def header(self) -> list[str]:
        """The lines that say whose list this is; the same on the page, in Word and in Excel."""
        return self.header_lines()

    def header_lines(self, value: Callable[[str], str] = str) -> list[str]:
        """The header, each name or item in it passed through `value`: the spreadsheet passes the export
        guard's `cell`, so a stored name that looks like a formula is marked as text there too (issue 9.4)."""
        posts = "；".join(value(f"{p.label}（{p.level or '—'}，{p.since}起）") for p in self.posts)
        lines = [f"责任人：{value(self.person.name)}", f"现任岗位：{posts or '无'}"]
        lines.append(f"分管范围：{'；'.join(value(item) for item in self.in_charge) or '无'}")
        if self.supervised:
            lines.append(f"本单位监管的行业领域：{'；'.join(value(item) for item in self.supervised)}")
        if self.regulation is not None:
            lines.append(f"依据：《{value(self.regulation.title)}》（第{self.regulation.version}版）")
        lines.append(f"截至：{self.day.isoformat()}")
        return lines


def build_personal_list(profile: Profile) -> PersonalList:
    """The personal list of `profile.person` as of `profile.day` (two queries beyond the profile)."""
    result = PersonalList(person=profile.person, day=profile.day, regulation=profile.regulation)
    for held in profile.current:
        result.posts.append(PostLine(held.post.unit.name, held.post.title, held.level, held.tenure.start))
    result.lists = list(profile.duty_lists)

    body_ids = [pf.unit_id for pf in profile.portfolios if pf.unit_id is not None]
    headed = [h.post.unit_id for h in profile.current if h.post.kind == PostKind.DEPARTMENT_HEAD]
    sectors: dict[int, list[str]] = {}
    for s in (
        Supervision.objects.at(profile.day)
        .filter(unit_id__in=[*body_ids, *headed])
        .select_related("sector")
        .order_by("sector__name", "id")
    ):
        name = f"{s.sector.name}（{s.scope}）" if s.scope else s.sector.name
        sectors.setdefault(s.unit_id, []).append(name)
    for pf in profile.portfolios:
        if pf.unit is not None:
            under = sectors.get(pf.unit.pk, [])
            result.in_charge.append(f"{pf.unit.name}（{'、'.join(under)}）" if under else pf.unit.name)
        elif pf.sector is not None:
            result.in_charge.append(f"{pf.sector.name}行业领域")
    for unit_id in dict.fromkeys(headed):
        result.supervised.extend(sectors.get(unit_id, []))
    result.town_duties = _town_duties(profile)
    return result


def _town_duties(profile: Profile) -> list[TownDutyLine]:
    # Looked up by name: the register does not import the duties app, which builds on it.
    town_duty = apps.get_model("duties", "TownDuty")
    held = {h.post.pk: h.post for h in profile.current}
    found = (
        town_duty.objects.in_force(profile.day, profile.day)
        .filter(post_id__in=list(held))
        .order_by("post__unit__name", "post__title", "valid_from", "id")
    )
    lines = []
    for duty in found:
        post = held[duty.post_id]
        label = post.title if post.title.startswith(post.unit.name) else f"{post.unit.name}·{post.title}"
        frequency = f"{duty.get_period_display()}至少{duty.min_count}次"
        lines.append(TownDutyLine(label, duty.text, frequency, duty.get_kind_display(), duty.valid_from))
    return lines


_COLUMNS = ("序号", "岗位", "依据", "职责内容", "频次要求", "履职方式")


def _who(duty_list: DutyList) -> str:
    return f"{duty_list.post_name}（{duty_list.unit_name}）" if duty_list.unit_name else duty_list.post_name


def _rows(personal: PersonalList) -> list[list[str]]:
    rows: list[list[str]] = []
    for duty_list in personal.lists:
        post = _who(duty_list)
        for line in duty_list.lines:
            rows.append(
                [
                    str(len(rows) + 1),
                    post,
                    line.place,
                    line.text,
                    "；".join(line.frequencies),
                    "；".join(line.kinds),
                ]
            )
    for duty in personal.town_duties:
        rows.append(
            [
                str(len(rows) + 1),
                duty.post,
                f"本镇要求（{duty.since}起）",
                duty.text,
                duty.frequency,
                duty.kind,
            ]
        )
    return rows


def personal_list_docx(personal: PersonalList) -> bytes:
    sections = [Section(paragraphs=personal.header)]
    for duty_list in personal.lists:
        rows = [
            [str(n), line.place, line.text, "；".join(line.frequencies), "；".join(line.kinds)]
            for n, line in enumerate(duty_list.lines, start=1)
        ]
        who = _who(duty_list)
        sections.append(
            Section(
                heading=f"{who}：{duty_list.level}（{duty_list.designation}）",
                paragraphs=duty_list.lead,
                table=Table(("序号", "依据", "职责内容", "频次要求", "履职方式"), rows, (12, 28, 82, 24, 20)),
            )
        )
    if personal.town_duties:
        rows = [
            [str(n), d.post, d.text, d.frequency, d.kind, str(d.since)]
            for n, d in enumerate(personal.town_duties, start=1)
        ]
        sections.append(
            Section(
                heading="本镇要求（镇定履职要求，与制度规定的一并考核）",
                table=Table(
                    ("序号", "岗位", "要求内容", "频次要求", "履职方式", "起始日期"),
                    rows,
                    (12, 30, 62, 24, 20, 24),
                ),
            )
        )
    if not personal.lists and not personal.town_duties:
        sections.append(Section(paragraphs=["现任岗位未对应制度岗位，或本镇尚无施行中的制度。"]))
    document = OfficialDocument(
        title=personal.title,
        sections=sections,
        signature_lines=[f"责任人（签字）：{personal.person.name}        日期：      年    月    日"],
    )
    return render_docx(document)


def personal_list_xlsx(personal: PersonalList) -> bytes:
    # The header lines lead the sheet as unnumbered rows, so the list says whose it is when printed alone.
    # Each name in them goes through the guard as well, not only the cell as a whole: a unit named
    # "=HYPERLINK(…)" reads as the text it is ("'=HYPERLINK(…)") even inside "现任岗位：…".
    lines = personal.header_lines(lambda value: str(sanitise.cell(value)))
    preface = [["", "", "", line, "", ""] for line in lines]
    return render_xlsx(
        sheet="个人责任清单",
        title=personal.title,
        columns=_COLUMNS,
        rows=[*preface, *_rows(personal)],
        widths=(6, 22, 18, 80, 16, 12),
    )
