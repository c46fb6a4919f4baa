"""The 通报 of a round (.docx in the official layout, .xlsx) and the accountability file (.docx)."""

from __future__ import annotations

from typing import Any

from yigang.exports.excel import Sheet, render_workbook
from yigang.exports.word import OfficialDocument, Section, Table, render_docx

from . import file_paper


def _veto(row: dict[str, Any]) -> str:
    return "；".join(row["veto_reasons"]) if row["vetoed"] else ""


def notice_docx(data: dict[str, Any]) -> bytes:
    state = "" if data["published"] else "（未发布，按当前数据计算）"
    advanced_units = [u["unit"] for u in data["units"] if u.get("advanced")]
    advanced_persons = [f"{p['person']}（{p['post']}）" for p in data["persons"] if p.get("advanced")]
    vetoed = [f"{u['unit']}：{_veto(u)}" for u in data["units"] if u["vetoed"]]
    doc = OfficialDocument(
        title=f"关于{data['year']}年度安全生产责任制考核结果的通报",
        subtitle=f"{data['town']}安全生产委员会办公室{state}",
        sections=[
            Section(
                paragraphs=[
                    f"根据《{data['town']}安全生产责任制》和{data['year']}年度考核方案，镇安委办对各部门、"
                    "驻镇单位、各嘎查村（社区）和镇领导班子成员落实安全生产责任制情况进行了考核，现将结果通报如下。"
                ]
            ),
            Section(
                heading="一、单位考核结果",
                table=Table(
                    columns=["名次", "单位", "得分", "等次", "一票否决"],
                    rows=[[u["rank"], u["unit"], u["score"], u["grade"], _veto(u)] for u in data["units"]],
                    widths_mm=[14, 50, 18, 18, 60],
                ),
            ),
            Section(
                heading="二、个人考核结果",
                table=Table(
                    columns=["名次", "姓名", "岗位", "得分", "等次", "一票否决"],
                    rows=[
                        [p["rank"], p["person"], p["post"], p["score"], p["grade"], _veto(p)]
                        for p in data["persons"]
                    ],
                    widths_mm=[14, 22, 44, 18, 18, 44],
                ),
            ),
            Section(
                heading="三、拟评先进",
                paragraphs=[
                    "先进单位：" + ("、".join(advanced_units) or "无"),
                    "先进个人：" + ("、".join(advanced_persons) or "无"),
                ],
            ),
            Section(heading="四、一票否决", paragraphs=vetoed or ["无"]),
        ],
        signature_lines=[f"{data['town']}安全生产委员会办公室"],
    )
    return render_docx(doc)


def notice_xlsx(data: dict[str, Any]) -> bytes:
    def items(row: dict[str, Any]) -> list[str]:
        return [f"{i['label']} {i['points']}/{i['weight']}" for i in row["items"]]

    return render_workbook(
        [
            Sheet(
                "单位",
                f"{data['town']}{data['year']}年度安全生产责任制考核（单位）",
                ["名次", "单位", "得分", "等次", "一票否决", "拟评先进", "得分明细", "扣分", "人工调整"],
                [
                    [
                        u["rank"],
                        u["unit"],
                        u["score"],
                        u["grade"],
                        _veto(u),
                        "是" if u.get("advanced") else "",
                        "；".join(items(u)),
                        "；".join(f"{d['label']} {d['points']}" for d in u["deductions"]),
                        "；".join(f"{a['points']} {a['reason']}" for a in u["adjustments"]),
                    ]
                    for u in data["units"]
                ],
                [8, 24, 8, 8, 30, 8, 60, 30, 30],
            ),
            Sheet(
                "个人",
                f"{data['town']}{data['year']}年度安全生产责任制考核（个人）",
                ["名次", "姓名", "岗位", "得分", "等次", "一票否决", "拟评先进", "得分明细"],
                [
                    [
                        p["rank"],
                        p["person"],
                        p["post"],
                        p["score"],
                        p["grade"],
                        _veto(p),
                        "是" if p.get("advanced") else "",
                        "；".join(items(p)),
                    ]
                    for p in data["persons"]
                ],
                [8, 12, 24, 8, 8, 30, 8, 60],
            ),
        ]
    )


def file_docx(data: dict[str, Any], issued: dict[str, Any] | None = None) -> bytes:
    """The accountability file (its JSON, or an issued version's frozen content) in the official layout."""
    doc = OfficialDocument(
        title=file_paper.TITLE,
        subtitle=file_paper.subtitle(data),
        sections=file_paper.sections(data, issued),
        signature_lines=["（本材料为证据材料，不是责任认定结论）"],
    )
    return render_docx(doc)
