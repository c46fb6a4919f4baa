"""The accident report as a Word document in the official layout, and the year's figures as .xlsx."""

from __future__ import annotations

from django.utils import timezone

from yigang.exports.excel import render_xlsx
from yigang.exports.word import OfficialDocument, Section, Table, render_docx
from yigang.words import span_in_words

from .grading import format_yuan
from .models import Accident, OnSiteTask
from .stats import YearFigures


def _moment(value: object) -> str:
    if value is None:
        return "尚未报告"
    return timezone.localtime(value).strftime("%Y年%m月%d日 %H时%M分")  # type: ignore[arg-type]


def report_docx(accident: Accident, tasks: list[OnSiteTask]) -> bytes:
    """生产安全事故报告 in the order of 493号令 Art. 12."""
    report = accident.latest
    assert report is not None
    late = f"（迟报，超过时限{span_in_words(report.late_by)}）" if report.late_by else ""
    place = f"{report.village.name} " if report.village else ""
    sections = [
        Section("一、事故发生单位概况", [f"事故单位：{report.unit_label}；行业领域：{report.sector.name}。"]),
        Section(
            "二、事故发生的时间、地点以及事故现场情况",
            [
                f"发生时间：{_moment(report.occurred_at)}；地点：{place}{report.address}。",
                f"事故类型：{report.get_kind_display()}；事故等级：{report.grade}事故（{'；'.join(report.grade_reasons)}）。",
                f"单位负责人接到报告时间：{_moment(report.learned_at)}；"
                f"向县级有关部门报告时间：{_moment(report.reported_at)}{late}。",
            ],
        ),
        Section("三、事故的简要经过", [report.course]),
        Section(
            "四、伤亡人数和初步估计的直接经济损失",
            [
                f"死亡{report.deaths}人，重伤（包括急性工业中毒）{report.serious_injuries}人，"
                f"失踪{report.missing}人；初步估计直接经济损失{format_yuan(report.direct_loss)}元。"
            ],
        ),
        Section("五、已经采取的措施", [report.measures or "无。"]),
    ]
    if tasks:
        sections.append(
            Section(
                "六、领导到场情况",
                table=Table(
                    columns=["岗位", "时任人员", "到达现场时间"],
                    rows=[
                        [
                            t.post.title,
                            t.person.name if t.person else "空缺",
                            _moment(t.arrived_at) if t.arrived_at else "未确认",
                        ]
                        for t in tasks
                    ],
                ),
            )
        )
    sections.append(
        Section(
            "七、其他应当报告的情况",
            [f"报告人：{report.reporter}。本报告为第 {report.version} 版。"],
        )
    )
    return render_docx(
        OfficialDocument(
            title=f"{accident.town.name}生产安全事故报告",
            subtitle=f"（第 {report.version} 版）",
            sections=sections,
            signature_lines=[accident.town.name, timezone.localdate().strftime("%Y年%m月%d日")],
        )
    )


def figures_xlsx(figures: YearFigures) -> bytes:
    columns = ["分类", "项目", "事故起数", "死亡", "重伤", "失踪", "直接经济损失（元）"]
    rows: list[list[object]] = []
    for label, group in (
        ("事故等级", figures.by_grade),
        ("行业领域", figures.by_sector),
        ("嘎查村", figures.by_village),
    ):
        for row in group:
            rows.append(
                [
                    label,
                    row.label,
                    row.accidents,
                    row.deaths,
                    row.serious_injuries,
                    row.missing,
                    row.direct_loss,
                ]
            )
    t = figures.total
    rows.append(["合计", "", t.accidents, t.deaths, t.serious_injuries, t.missing, t.direct_loss])
    return render_xlsx(
        sheet=f"{figures.year}年事故",
        title=f"{figures.year}年生产安全事故统计",
        columns=columns,
        rows=rows,
        widths=[12, 24, 10, 8, 8, 8, 20],
    )
