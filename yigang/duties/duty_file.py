"""The annual duty file (履职档案) of a person: every duty, every period, the records behind each count.

Exported to Word (official layout, with signature lines) and Excel, ready to print and sign.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from yigang.exports.excel import Sheet, render_workbook
from yigang.exports.word import OfficialDocument, Section, Table, render_docx
from yigang.org.models import Person, Tenure
from yigang.regulations.periods import year_window

from .access import Part
from .compliance import Row, Status, compute
from .models import Credit, DutyRecord


@dataclass
class DutyFile:
    person: Person
    year: int
    today: datetime.date
    tenures: list[Tenure]
    rows: list[Row]
    records: list[DutyRecord]

    @property
    def title(self) -> str:
        return f"{self.person.town.name}{self.year}年度安全生产履职档案"

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(Status.SEVERITY, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def tenure_lines(self) -> list[str]:
        return [
            f"{t.post.unit.name}{t.post.title}：{t.start:%Y年%m月%d日}至"
            + (f"{t.end:%Y年%m月%d日}" if t.end else "今")
            for t in self.tenures
        ]


def build_duty_file(
    person: Person, year: int, today: datetime.date | None = None, *, part: Part | None = None
) -> DutyFile:
    """Compute the year of the posts the person held and keep their rows, posts held and records crediting them.

    Only those posts are computed: a post's rows depend on its own tenures, records and existence alone, and a
    person has rows only on posts they held on some day of the year's periods (ISO weeks reach into the next
    and previous years, hence `year_window`). With a reader's `part` (body or village staff), only the posts
    of that part: a person who also held a post elsewhere shows here only their time in the reader's unit or
    village."""
    window = year_window(year)
    posts_held = (
        Tenure.objects.filter(person=person, start__lte=window.end)
        .filter(Q(end__isnull=True) | Q(end__gte=window.start))
        .values_list("post_id", flat=True)
    )
    result = compute(person.town, year, today=today, post_ids=list(posts_held))
    rows = result.for_person(person.pk)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    tenures = list(
        Tenure.objects.filter(person=person, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("post__unit")
        .order_by("start")
    )
    if part is not None:
        rows = part.rows(rows)
        tenures = [t for t in tenures if part.holds(t)]
    # Every record (latest versions) crediting a post on a day this person held it, counted or not.
    held = Q(pk__in=[])
    for t in tenures:
        held |= Q(
            credits__post_id=t.post_id,
            occurred_on__gte=max(t.start, start),
            occurred_on__lte=min(t.end or end, end),
        )
    records = list(
        DutyRecord.objects.current()
        .filter(town=person.town)
        .filter(held)
        .distinct()
        .prefetch_related(Prefetch("credits", queryset=Credit.objects.select_related("post")), "attachments")
        .order_by("occurred_at", "pk")
    )
    return DutyFile(person, year, result.today, tenures, rows, records)


_DUTY_COLUMNS = ("依据", "履职要求", "周期", "应完成", "已完成", "状态", "计入的履职记录")
_RECORD_COLUMNS = ("日期", "方式", "主题及内容摘要", "参加人员", "附件", "填报时间", "标记")
_RECORD_SHEET_COLUMNS = (
    "日期",
    "方式",
    "主题",
    "地点",
    "内容摘要或会议纪要",
    "参加人员",
    "认定岗位",
    "附件",
    "填报时间",
    "标记",
)
# The record field that says it was entered late (补录, docs/compliance.md). Read with getattr so the file still
# renders on a record model without it; it is then simply not marked.
LATE_ATTRIBUTE = "is_late"


def _duty_rows(file: DutyFile) -> list[list[object]]:
    return [
        [
            f"{r.place}（{r.post}）",
            f"{r.kind_label}，{r.frequency}",
            r.period_label,
            r.required,
            r.done,
            r.status_label,
            "；".join(f"{ref.on:%m-%d} {ref.title}" for ref in r.records) or "—",
        ]
        for r in file.rows
    ]


def _entered(rec: DutyRecord) -> str:
    # When the evidence came in (an amendment keeps its first version's), the time 补录 is judged by.
    entered = getattr(rec, "entered_at", None) or getattr(rec, "created_at", None)
    return f"{timezone.localtime(entered):%Y-%m-%d %H:%M}" if entered else ""


def _marks(rec: DutyRecord) -> str:
    marks = []
    if getattr(rec, LATE_ATTRIBUTE, False):
        marks.append("补录")
    if rec.withdrawn:
        marks.append("已撤销")
    if rec.version > 1:
        marks.append(f"第{rec.version}版")
    return "、".join(marks)


def _attachment_names(rec: DutyRecord) -> str:
    return "；".join(a.name for a in rec.attachments.all()) or "—"


def _participants(rec: DutyRecord) -> str:
    return " ".join(str(getattr(rec, "participants", "") or "").split()) or "—"


def _record_rows(file: DutyFile) -> list[list[object]]:
    """The Word table: the summary under the title keeps the table inside the text block."""
    return [
        [
            f"{rec.occurred_on:%Y-%m-%d}",
            rec.get_kind_display(),
            f"{rec.title}\n地点：{rec.place}\n认定岗位：{'、'.join(c.post.title for c in rec.credits.all())}"
            f"\n{rec.summary}",
            _participants(rec),
            _attachment_names(rec),
            _entered(rec),
            _marks(rec),
        ]
        for rec in file.records
    ]


def _record_sheet_rows(file: DutyFile) -> list[list[object]]:
    return [
        [
            f"{rec.occurred_on:%Y-%m-%d}",
            rec.get_kind_display(),
            rec.title,
            rec.place,
            rec.summary,
            _participants(rec),
            "、".join(c.post.title for c in rec.credits.all()),
            _attachment_names(rec),
            _entered(rec),
            _marks(rec),
        ]
        for rec in file.records
    ]


def _summary_line(file: DutyFile) -> str:
    counts = file.summary()
    parts = [f"{Status.LABELS[s]} {n} 项" for s, n in counts.items() if n]
    return f"截至{file.today:%Y年%m月%d日}：" + ("，".join(parts) if parts else "本年度无频次履职要求") + "。"


def duty_file_docx(file: DutyFile) -> bytes:
    document = OfficialDocument(
        title=file.title,
        subtitle=f"{file.person.name}",
        sections=[
            Section(
                heading="一、任职情况", paragraphs=file.tenure_lines() or ["本年度未在制度所列岗位任职。"]
            ),
            Section(
                heading="二、履职要求完成情况",
                paragraphs=[_summary_line(file)],
                table=Table(_DUTY_COLUMNS, _duty_rows(file), widths_mm=(26, 30, 20, 14, 14, 14, 38)),
            ),
            Section(
                heading="三、履职记录",
                paragraphs=[f"共 {len(file.records)} 条。"],
                table=Table(_RECORD_COLUMNS, _record_rows(file), widths_mm=(20, 14, 50, 24, 20, 16, 12)),
            ),
        ],
        signature_lines=[
            "本人签字：                    日期：      年    月    日",
            "安委办审核（签字）：          日期：      年    月    日",
        ],
    )
    return render_docx(document)


def duty_file_xlsx(file: DutyFile) -> bytes:
    """Two sheets, each column under its own header: the duties (with the signature lines), then the records."""
    rows: list[list[object]] = _duty_rows(file)
    rows.append([""] * len(_DUTY_COLUMNS))
    rows.append(["本人签字：", "", "日期：", "", "安委办审核：", "", "日期："])
    return render_workbook(
        [
            Sheet(
                "履职档案",
                f"{file.title}（{file.person.name}）—— {_summary_line(file)}",
                _DUTY_COLUMNS,
                rows,
                (26, 30, 26, 8, 8, 10, 60),
            ),
            Sheet(
                "履职记录",
                f"{file.title}（{file.person.name}）—— 履职记录 {len(file.records)} 条",
                _RECORD_SHEET_COLUMNS,
                _record_sheet_rows(file),
                (12, 10, 24, 16, 50, 20, 20, 24, 17, 12),
            ),
        ]
    )
