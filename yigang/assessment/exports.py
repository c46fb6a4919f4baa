"""The 通报 of a round (.docx in the official layout, .xlsx) and the accountability file (.docx)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yigang.exports.excel import Sheet, render_workbook
from yigang.exports.word import OfficialDocument, Section, Table, render_docx

from . import file_paper
from .results import cn_date


def _veto(row: dict[str, Any]) -> str:
    return "；".join(row["veto_reasons"]) if row["vetoed"] else ""


def _score(row: dict[str, Any]) -> float:
    """A score as a number (Excel sums and sorts it; a text cell would not)."""
    return float(Decimal(str(row["score"])))


def _no_record_lines(data: dict[str, Any]) -> list[str]:
    """Which items each subject was scored on with nothing on record, and which were marked 不适用 (and why)."""
    lines = []
    for row in data["units"] + data["persons"]:
        name = row["name"] + (f"（{row['post']}）" if row.get("post") else "")
        parts = []
        if row.get("no_record_items"):
            parts.append("无记录计分：" + "、".join(row["no_record_items"]))
        for na in row.get("not_applicable_items") or []:
            parts.append(f"{na['label']}不适用（{na['reason']}）")
        if parts:
            lines.append(f"{name}：" + "；".join(parts))
    return lines


def _doc_number(data: dict[str, Any], meta: dict[str, Any]) -> str:
    if not data["published"]:
        return "（未发布，无文号）"
    return str(meta.get("doc_number") or "（文号未填写）")


def _doc_date(data: dict[str, Any], meta: dict[str, Any]) -> str:
    if not data["published"]:
        return f"（未发布，数据截至{cn_date(data.get('as_of'))}）"
    return cn_date(meta.get("doc_date")) or "（成文日期未填写）"


def notice_docx(data: dict[str, Any], meta: dict[str, Any] | None = None) -> bytes:
    """The 通报. `meta`: the round's 文号 (`doc_number`) and 成文日期 (`doc_date`), set on publishing."""
    meta = meta or {}
    if data["published"]:
        state = ""
    elif data.get("provisional"):
        state = "（预评，未发布：年度尚未结束，按当前数据计算）"
    else:
        state = "（未发布，按当前数据计算）"
    advanced_units = [u["unit"] for u in data["units"] if u.get("advanced")]
    advanced_persons = [f"{p['person']}（{p['post']}）" for p in data["persons"] if p.get("advanced")]
    vetoed_units = [f"{u['unit']}：{_veto(u)}" for u in data["units"] if u["vetoed"]]
    vetoed_persons = [f"{p['person']}（{p['post']}）：{_veto(p)}" for p in data["persons"] if p["vetoed"]]
    scheme = data.get("scheme") or {}
    scheme_name = (
        f"{scheme.get('title')}（第 {scheme.get('version')} 版）" if scheme.get("version") else "默认考核方案"
    )
    pending = [t for t in (data.get("ties") or {}).values() if t.get("decision") is None]
    decided = [t for t in (data.get("ties") or {}).values() if t.get("decision") is not None]
    advanced_lines = [
        "先进单位：" + ("、".join(advanced_units) or "无"),
        "先进个人：" + ("、".join(advanced_persons) or "无"),
        f"先进名额至多为各名单的 {data.get('advanced_share', 20)}%。",
        *(f"名额线上并列（{'、'.join(t['names'])}），待安委办决定。" for t in pending),
        *(f"名额线上并列（{'、'.join(t['names'])}），安委办决定：{t['decision']['reason']}" for t in decided),
    ]
    doc = OfficialDocument(
        title=f"关于{data['year']}年度安全生产责任制考核结果的通报{state}",
        subtitle=_doc_number(data, meta),
        sections=[
            Section(
                paragraphs=[
                    f"根据《{data['town']}安全生产责任制》和《{scheme_name}》，镇安委办对各部门、"
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
            Section(heading="三、拟评先进", paragraphs=advanced_lines),
            Section(
                heading="四、一票否决",
                paragraphs=[
                    "单位：" + ("；".join(vetoed_units) or "无"),
                    "镇领导：" + ("；".join(vetoed_persons) or "无"),
                ],
            ),
            Section(
                heading="五、无记录计分及不适用事项",
                paragraphs=[
                    "以下各项无记录，按考核方案“无记录时的得分”计分；标注不适用的，该项不计分，其余各项折算为百分制。",
                    *(_no_record_lines(data) or ["无"]),
                ],
            ),
        ],
        signature_lines=[f"{data['town']}安全生产委员会办公室", _doc_date(data, meta)],
    )
    return render_docx(doc)


def notice_xlsx(data: dict[str, Any], meta: dict[str, Any] | None = None) -> bytes:
    meta = meta or {}

    def items(row: dict[str, Any]) -> list[str]:
        return [
            f"{i['label']} {'不适用' if i['points'] is None else i['points']}/{i['weight']}"
            + ("（无记录）" if i.get("no_record") else "")
            for i in row["items"]
        ]

    heading = f"{data['town']}{data['year']}年度安全生产责任制考核"
    if not data["published"]:
        heading += "（预评）" if data.get("provisional") else "（未发布）"
    else:
        heading += f"（{_doc_number(data, meta)}，{_doc_date(data, meta)}）"
    return render_workbook(
        [
            Sheet(
                "单位",
                f"{heading}（单位）",
                [
                    "名次",
                    "单位",
                    "得分",
                    "等次",
                    "一票否决",
                    "拟评先进",
                    "得分明细",
                    "无记录项",
                    "扣分",
                    "人工调整",
                ],
                [
                    [
                        u["rank"],
                        u["unit"],
                        _score(u),
                        u["grade"],
                        _veto(u),
                        "是" if u.get("advanced") else ("并列待定" if u.get("tie_pending") else ""),
                        "；".join(items(u)),
                        "、".join(u.get("no_record_items") or []),
                        "；".join(f"{d['label']} {d['points']}" for d in u["deductions"]),
                        "；".join(f"{a['points']} {a['reason']}" for a in u["adjustments"]),
                    ]
                    for u in data["units"]
                ],
                [8, 24, 8, 8, 30, 8, 60, 24, 30, 30],
            ),
            Sheet(
                "个人",
                f"{heading}（个人）",
                ["名次", "姓名", "岗位", "得分", "等次", "一票否决", "拟评先进", "得分明细", "无记录项"],
                [
                    [
                        p["rank"],
                        p["person"],
                        p["post"],
                        _score(p),
                        p["grade"],
                        _veto(p),
                        "是" if p.get("advanced") else ("并列待定" if p.get("tie_pending") else ""),
                        "；".join(items(p)),
                        "、".join(p.get("no_record_items") or []),
                    ]
                    for p in data["persons"]
                ],
                [8, 12, 24, 8, 8, 30, 8, 60, 24],
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
