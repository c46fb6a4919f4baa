"""The places register in bulk: the .xlsx template, import (all rows or none) and export.

One row is one place. The reading, the per-row savepoints and the all-or-nothing rule are the people import's
(yigang.org.bulk: `read_table`, `import_all`); every row goes through the same actions as the pages, so the same
Chinese messages come back with the row and column. A place already on record (an open place of that name) is
updated; a row with a 注销日期 ends it. Re-importing an export changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from yigang.audit.log import record
from yigang.exports.excel import render_xlsx
from yigang.org.bulk import (
    Bad,
    BulkResult,
    ImportRefused,
    RowError,
    cell_date,
    cell_text,
    import_all,
    read_table,
    with_notes,
)
from yigang.org.models import Sector, Unit, UnitKind
from yigang.towns.models import Town

from . import actions
from .models import Place, PlaceKind, RiskLevel

__all__ = ["COLUMNS", "ImportRefused", "export_xlsx", "import_xlsx", "template_xlsx"]

COLUMNS = (
    "名称",
    "类型",
    "所在嘎查村（社区）",
    "行业领域",
    "登记单位",
    "地址",
    "法定代表人",
    "法定代表人电话",
    "安全管理人员",
    "安全管理人员电话",
    "规模",
    "许可证",
    "风险等级",
    "评估日期",
    "评估依据",
    "纳入监管日期",
    "注销日期",
    "注销原因",
)
WIDTHS = (26, 16, 16, 22, 22, 24, 12, 16, 12, 16, 18, 40, 10, 14, 30, 14, 14, 20)
REQUIRED = ("名称", "类型", "所在嘎查村（社区）", "行业领域")
SHEET = "监管对象"

_KINDS = {str(label): value for value, label in PlaceKind.choices}
# A risk level by its full words (红色（重大风险）) or its colour alone (红, 红色).
_LEVELS = {str(label): value for value, label in RiskLevel.choices} | {
    word: value for value, label in RiskLevel.choices for word in (str(label)[0], str(label)[:2])
}


@dataclass
class ImportResult(BulkResult):
    """Places added, updated and closed (注销) by the import, and those it left as they were."""

    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0


@dataclass
class _Row:
    number: int
    name: str
    kind: str
    village: str
    sectors: list[str]
    unit: str
    texts: dict[str, str]
    licences: list[tuple[str, str]]
    risk_level: str
    risk_on: datetime.date | None
    risk_basis: str
    opened: datetime.date | None
    closed: datetime.date | None
    closed_reason: str


_TEXTS = {
    "地址": "address",
    "法定代表人": "legal_representative",
    "法定代表人电话": "legal_representative_phone",
    "安全管理人员": "safety_manager",
    "安全管理人员电话": "safety_manager_phone",
    "规模": "scale",
}


def _split(text: str) -> list[str]:
    for mark in ("，", ",", ";", "；", "/"):
        text = text.replace(mark, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def _licences(text: str) -> list[tuple[str, str]]:
    found = []
    for part in (p.strip() for p in text.replace(";", "；").split("；")):
        if not part:
            continue
        name, sep, number = part.replace(":", "：").partition("：")
        if not sep or not name.strip() or not number.strip():
            raise Bad("许可证", f"“{part}”应写作“许可证名称：编号”，多个用“；”分隔")
        found.append((name.strip(), number.strip()))
    return found


def _parse(number: int, row: Any, cell: Any) -> _Row:
    name = cell_text(cell(row, "名称"))
    if not name:
        raise Bad("名称", "请填写场所名称")
    kind = cell_text(cell(row, "类型"))
    if kind not in _KINDS:
        raise Bad("类型", f"“{kind}”不是有效的场所类型，可选：{'、'.join(_KINDS)}")
    village = cell_text(cell(row, "所在嘎查村（社区）"))
    if not village:
        raise Bad("所在嘎查村（社区）", "请填写场所所在的嘎查村（社区）")
    sectors = _split(cell_text(cell(row, "行业领域")))
    if not sectors:
        raise Bad("行业领域", "请至少填写一个行业领域，多个用“、”分隔")
    level_text = cell_text(cell(row, "风险等级"))
    if level_text and level_text not in _LEVELS:
        raise Bad("风险等级", f"“{level_text}”不是有效的风险等级，可填：红、橙、黄、蓝")
    risk_on = cell_date(cell(row, "评估日期"), "评估日期")
    if level_text and risk_on is None:
        raise Bad("评估日期", "填写风险等级须同时填写评估日期")
    if risk_on and not level_text:
        raise Bad("风险等级", "填写了评估日期须同时填写风险等级")
    closed = cell_date(cell(row, "注销日期"), "注销日期")
    closed_reason = cell_text(cell(row, "注销原因"))
    if closed and not closed_reason:
        raise Bad("注销原因", "填写了注销日期须同时填写注销原因")
    return _Row(
        number=number,
        name=name,
        kind=_KINDS[kind],
        village=village,
        sectors=sectors,
        unit=cell_text(cell(row, "登记单位")),
        texts={field_: cell_text(cell(row, column)) for column, field_ in _TEXTS.items()},
        licences=_licences(cell_text(cell(row, "许可证"))),
        risk_level=_LEVELS.get(level_text, ""),
        risk_on=risk_on,
        risk_basis=cell_text(cell(row, "评估依据")),
        opened=cell_date(cell(row, "纳入监管日期"), "纳入监管日期"),
        closed=closed,
        closed_reason=closed_reason,
    )


# Which column an action's message is about (the actions speak in sentences, the sheet in columns).
_MESSAGE_COLUMNS = (
    ("许可证", "许可证"),
    ("评估日期", "评估日期"),
    ("风险等级", "风险等级"),
    ("嘎查村", "所在嘎查村（社区）"),
    ("行业领域", "行业领域"),
    ("生产经营单位", "登记单位"),
    ("注销", "注销日期"),
    ("纳入监管", "纳入监管日期"),
    ("名称", "名称"),
)


def _bad(exc: ValidationError) -> Bad:
    messages = exc.messages
    text = "；".join(messages)
    column = next((col for word, col in _MESSAGE_COLUMNS if word in messages[0]), "")
    for label in _TEXTS:
        if column == "" and label in messages[0]:
            column = label
    return Bad(column, text)


class _Lookups:
    """The town's villages, sectors and enterprises by name, read once per import."""

    def __init__(self, town: Town) -> None:
        units = Unit.objects.filter(town=town, active=True)
        self.villages = {u.name: u for u in units.filter(kind=UnitKind.VILLAGE)}
        self.enterprises = {u.name: u for u in units.filter(kind=UnitKind.ENTERPRISE)}
        self.sectors: dict[str, Sector] = {}
        for s in Sector.objects.filter(town=town).order_by("-id"):
            self.sectors[s.name] = s  # a name the register holds twice: the first entered

    def data(self, row: _Row) -> actions.PlaceData:
        village = self.villages.get(row.village)
        if village is None:
            raise Bad("所在嘎查村（社区）", f"本镇没有名为“{row.village}”的现存嘎查村（社区）")
        sectors = []
        for name in row.sectors:
            sector = self.sectors.get(name)
            if sector is None:
                raise Bad("行业领域", f"本镇没有名为“{name}”的行业领域")
            sectors.append(sector)
        unit = None
        if row.unit:
            unit = self.enterprises.get(row.unit)
            if unit is None:
                raise Bad("登记单位", f"本镇没有名为“{row.unit}”的现存生产经营单位")
        return actions.PlaceData(
            name=row.name,
            kind=row.kind,
            village=village,
            sectors=sectors,
            unit=unit,
            opened=row.opened,
            licences=row.licences,
            risk_level=row.risk_level,
            risk_on=row.risk_on,
            risk_basis=row.risk_basis,
            **row.texts,
        )


def _apply(town: Town, row: _Row, lookups: _Lookups, result: ImportResult, actor: Any) -> None:
    data = lookups.data(row)
    place = Place.objects.filter(town=town, name=row.name, closed__isnull=True).first()
    if place is None and row.closed is not None:
        ended = Place.objects.filter(town=town, name=row.name, closed=row.closed).first()
        if ended is not None:
            result.unchanged += 1  # a closed place exported and imported again
            return
    try:
        if place is None:
            place = actions.register_place(town=town, data=data, actor=actor)
            result.created += 1
        else:
            place, changed = actions.update_place(place=place, data=data, actor=actor)
            if changed:
                result.updated += 1
            elif row.closed is None:
                result.unchanged += 1
        if row.closed is not None:
            actions.close_place(place=place, closed=row.closed, reason=row.closed_reason, actor=actor)
            result.closed += 1
    except ValidationError as exc:
        raise _bad(exc) from None


def import_xlsx(town: Town, data: bytes, *, actor: Any, filename: str = "") -> ImportResult:
    """Import every row or none. Returns the counts, or the errors by row and column (and nothing is saved)."""
    parsed = read_table(data, columns=COLUMNS, required=REQUIRED, parse=_parse)
    result = ImportResult(rows=len(parsed))
    result.errors = [p for p in parsed if isinstance(p, RowError)]
    rows = [p for p in parsed if isinstance(p, _Row)]
    names = [r.name for r in rows if r.closed is None]
    lookups = _Lookups(town)

    def apply(row: _Row) -> None:
        if row.closed is None and names.count(row.name) > 1:
            raise Bad("名称", f"表中有多行名为“{row.name}”的在册场所")
        _apply(town, row, lookups, result, actor)

    return import_all(town, rows, apply, result, event="places.import", actor=actor, filename=filename)


def _notes() -> list[tuple[str, str]]:
    return [
        ("列", "说明"),
        ("名称", "必填。在册场所按名称对应：已登记的更新，未登记的新增。"),
        ("类型", "必填，可选：" + "、".join(_KINDS)),
        ("所在嘎查村（社区）", "必填，须为本镇已登记的嘎查村（社区）。"),
        ("行业领域", "必填，须为本镇行业领域表中的名称，多个用“、”分隔。"),
        ("登记单位", "选填：责任体系中已登记的生产经营单位名称，其隐患、事故显示在场所页面。"),
        ("法定代表人、安全管理人员及电话", "选填。"),
        ("规模", "选填，如“从业人员25人”“储罐60立方米”。"),
        ("许可证", "有许可证的行业填写，写作“许可证名称：编号”，多个用“；”分隔；编号在本镇唯一。"),
        ("风险等级", "红、橙、黄、蓝之一；填写时须同时填写评估日期。与上次评估不同时记为一次新评估。"),
        ("评估日期、评估依据", "风险评估的日期（格式 2025-03-01）和依据。"),
        ("纳入监管日期", "选填；空表示登记前已纳入。"),
        ("注销日期、注销原因", "停业、关闭或不再监管时填写（监管的最后一天），场所记录保留，不删除。"),
        ("", "导入时所有行全部成功才保存；任何一行有误则全部不保存，并逐行列出错误。"),
    ]


def template_xlsx(town: Town) -> bytes:
    body = render_xlsx(
        sheet=SHEET,
        title=f"{town.name}监管对象台账导入表（第2行为表头，请从第3行起每行填写一个场所）",
        columns=COLUMNS,
        rows=[],
        widths=WIDTHS,
    )
    return with_notes(body, _notes())


def export_rows(town: Town) -> list[list[object]]:
    """Every place of the town, open and closed, in the template's columns (current risk assessment)."""
    places = (
        Place.objects.filter(town=town)
        .with_risk()
        .select_related("village", "unit")
        .prefetch_related("sectors", "licences")
        .order_by("village__name", "name", "id")
    )
    rows: list[list[object]] = []
    for p in places:
        level = getattr(p, "risk_level", None)
        rows.append(
            [
                p.name,
                p.get_kind_display(),
                p.village.name,
                "、".join(s.name for s in sorted(p.sectors.all(), key=lambda s: s.name)),
                p.unit.name if p.unit else "",
                p.address,
                p.legal_representative,
                p.legal_representative_phone,
                p.safety_manager,
                p.safety_manager_phone,
                p.scale,
                "；".join(f"{lic.name}：{lic.number}" for lic in p.licences.all()),
                str(RiskLevel(level).label) if level else "",
                getattr(p, "risk_on", None),
                getattr(p, "risk_basis", None) or "",
                p.opened,
                p.closed,
                p.closed_reason,
            ]
        )
    return rows


def export_xlsx(town: Town, *, actor: Any) -> bytes:
    body = render_xlsx(
        sheet=SHEET,
        title=f"{town.name}监管对象台账（导出，可修改后重新导入）",
        columns=COLUMNS,
        rows=export_rows(town),
        widths=WIDTHS,
    )
    record("export.places", actor=actor, town=town, changes={"format": "xlsx"})
    return with_notes(body, _notes())
