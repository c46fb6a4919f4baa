"""The accountability file as paper: one list of sections (headings, paragraphs, tables) made from the file's JSON
(`accountability.File.as_json()`, or an issued version's frozen content), which the page, the Word file and the
PDF all print. Every time is printed the way a person reads it (2026年12月6日23:58), never as ISO 8601."""

from __future__ import annotations

from typing import Any

from yigang.exports.word import Section, Table

from .dates import cn_date, cn_datetime
from .entries import DONE, FAIR, MINOR, NOT_DONE, SERIOUS, UNKNOWN_ENTRY

TITLE = "安全生产责任追究履职情况材料"
_MARK = {"met": "〔有〕", "missing": "〔缺〕", "none": "〔—〕"}
_WEIGHT = {SERIOUS: "〔严重〕", MINOR: "〔一般〕"}


def subtitle(data: dict[str, Any]) -> str:
    return f"{data['subject']}（{cn_datetime(data['at'])}）"


def issued_line(issued: dict[str, Any] | None) -> str:
    if not issued:
        return "未出具（按当前记录生成，出具后固定）"
    return (
        f"第{issued['version']}版，{cn_datetime(issued['at'])}由{issued['by'] or '系统'}出具；"
        f"内容校验值（SHA-256）：{issued['sha256']}"
    )


def _entered(value: str | None, note: str = "") -> str:
    if value:
        return cn_datetime(value)
    return note or UNKNOWN_ENTRY


def sections(data: dict[str, Any], issued: dict[str, Any] | None = None) -> list[Section]:
    window = data["window"]
    what = "事故" if data["kind"] == "accident" else "隐患"
    out = [
        Section(
            heading="说明",
            paragraphs=[
                data["notice"],
                f"版本：{issued_line(issued)}",
                f"评定期间：{cn_date(window['start'])}至{cn_date(window['end'])}（{what}前{window['months']}个月）。",
                f"记录截至{cn_datetime(data['as_of'])}：此后录入的履职记录列为“事后补录”，"
                "经镇安委办说明理由采信的方计入。",
                f"责任链为{cn_datetime(data['register_as_of'])}{'事故登记' if what == '事故' else '隐患上报'}时在案的责任链；"
                "此后对登记册所作、涉及此前日期的变更在“登记册事后变更”中列出。",
                f"履职评定分{DONE}、{FAIR}、{NOT_DONE}三档，规则见系统文档“履职评定规则”（docs/accountability.md）。",
            ],
        ),
        Section(
            heading="一、责任链",
            table=Table(
                columns=["职责", "责任", "岗位（单位）", "时任人员", "任职登记录入时间"],
                rows=[
                    [
                        c.get("role_label") or "",
                        c.get("level") or "",
                        f"{c.get('post') or ''}（{c.get('unit') or ''}）",
                        c.get("person") or "空缺",
                        _entered(c.get("entered_at"), c.get("entered_note") or "") if c.get("person") else "",
                    ]
                    for c in data["chain"]
                ],
                widths_mm=[24, 28, 50, 22, 36],
            ),
        ),
        Section(
            heading="二、登记册事后变更",
            paragraphs=[f"〔已变更〕{c['text']}" for c in data["register_changes"]]
            or ["无：登记册中与本责任链有关的记录，均在责任链登记之前录入。"],
        ),
        Section(
            heading="三、评定期间各岗位任职情况",
            table=Table(
                columns=["岗位（单位）", "任职人员及期间", "空缺期间"],
                rows=[
                    [
                        f"{p['post']}（{p['unit']}）",
                        "；".join(
                            f"{h['person']} {cn_date(h['from'])}至{cn_date(h['until'])}" for h in p["holders"]
                        )
                        or "无",
                        "；".join(f"{cn_date(v['from'])}至{cn_date(v['until'])}" for v in p["vacancies"])
                        or "无",
                    ]
                    for p in data["posts"]
                ],
                widths_mm=[50, 70, 40],
            ),
        ),
    ]
    late = data["late_records"]
    out.append(
        Section(
            heading="四、事后补录的履职记录",
            paragraphs=[] if late else [f"无：评定期间的履职记录均在{cn_datetime(data['as_of'])}之前录入。"],
            table=Table(
                columns=["记录", "履职日期及内容", "录入时间", "涉及人员", "采信情况"],
                rows=[
                    [
                        f"记录 {r['id']}",
                        f"{cn_date(r['on'])} {r['kind']} {r['title']}",
                        cn_datetime(r["entered_at"]),
                        "、".join(r["persons"]),
                        (
                            f"已采信：{r['admission']['reason']}（{r['admission']['by']}，"
                            f"{cn_datetime(r['admission']['at'])}）"
                        )
                        if r["admitted"] and r.get("admission")
                        else "未采信，不计入",
                    ]
                    for r in late
                ],
                widths_mm=[16, 50, 30, 30, 34],
            )
            if late
            else None,
        )
    )
    for n, e in enumerate(data["persons"], start=5):
        out.append(Section(heading=f"{_cn(n)}、{e['person']}（{e['post']}）", paragraphs=person_lines(e)))
    out.append(
        Section(
            heading=f"{_cn(len(data['persons']) + 5)}、镇安委办意见",
            paragraphs=[
                f"{f['person']}（{f['post']}）：{f['verdict_label']}。理由：{f['reasons']}"
                f"（{f['by']}于{cn_datetime(f['at'])}记录，经{f['method']}确认）"
                for f in data["findings"]
            ]
            or ["尚未记录。"],
        )
    )
    return out


def person_lines(e: dict[str, Any]) -> list[str]:
    c = e["compliance"]
    extra = c["done_with_late"] - c["done"]
    lines = [
        f"{'事故（隐患）发生时在岗' if e['in_chain'] else '评定期间曾任（前任）'}："
        f"{cn_date(e['held']['from'])}至{cn_date(e['held']['until'])}；责任：{e['role_label']} {e['level']}",
        f"频次职责：应 {c['required']} 次，记录在案完成 {c['done']} 次"
        + (f"（另有事后补录 {extra} 次未采信，不计入）" if extra > 0 else "")
        + "。",
    ]
    for d in e["duties"]:
        if d["done"] < d["required"]:
            lines.append(
                f"　· {d['place']} {d['kind']}（{d['frequency']}）{d['period']}：应 {d['required']}，实 {d['done']}"
            )
    lines.append("制度规定的其他职责：")
    for item in e["checklist"]:
        if not item["applies"]:
            lines.append(f"　{_MARK['none']} {item['label']}：不适用（{item['evidence'][0]}）")
        else:
            lines.append(f"　{_MARK[item['status']]} {item['label']}：" + "；".join(item["evidence"]))
    lines.append(
        "知悉的隐患："
        + (
            "；".join(
                f"{h['number']}（{cn_date(h['found_on'])}发现，期限 {cn_date(h['deadline'])}）{h['fate']}"
                for h in e["hazards"]
            )
            or "无"
        )
    )
    lines.append(
        "收到的提醒与督办："
        + ("；".join(f"{cn_datetime(r['at'])} {r['title']}" for r in e["reminders"]) or "无")
    )
    lines.append(
        "履职记录（履职日期 / 录入时间）："
        + (
            "；".join(
                f"{cn_date(r['on'])} {r['kind']} {r['title']}（记录 {r['id']}，{cn_datetime(r['entered_at'])}录入"
                + ("，事后补录" + ("，已采信" if r["admitted"] else "，未采信") if r["late"] else "")
                + "）"
                for r in e["records"]
            )
            or "无"
        )
    )
    lines.append(f"履职评定：{e['reading']['grade']}")
    for line in e["reading"]["lines"]:
        cites = f"（依据：{'、'.join(line['cites'])}）" if line["cites"] else ""
        lines.append(f"　{_WEIGHT.get(line['weight'], '')}{line['text']}{cites}")
    return lines


def _cn(n: int) -> str:
    from yigang.words import chinese_number

    return chinese_number(n)
