"""Duty records from an .xlsx template: every row or none, with an error per bad cell (row, column, reason)."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from yigang.exports.excel import safe_cell
from yigang.inputs import (
    ArchiveRefused,
    NotAnArchive,
    check_archive,
    control_character_message,
    spreadsheet_control_character,
)
from yigang.org.models import Post
from yigang.towns.models import Town

from .actions import RecordData, RecordsRefused, create_records
from .models import Source
from .rules import RecordKind

COLUMNS = ("履职日期", "时间", "履职方式", "主题", "地点", "认定岗位", "参加人员", "内容摘要")
REQUIRED = {"履职日期", "履职方式", "主题", "地点", "认定岗位", "内容摘要"}
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
# Rows read at most, blank ones included (the template's drop-down reaches row MAX_ROWS + 1), and columns.
MAX_SCANNED_ROWS = MAX_ROWS + 1000
MAX_COLUMNS = 30
_SPLIT = re.compile(r"[、,，;；\n]+")


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.reason}"


@dataclass
class ImportResult:
    created: int
    errors: list[RowError]
    refused: list[str] = field(default_factory=list)  # rows crediting posts the user may never credit

    @property
    def ok(self) -> bool:
        return not self.errors


def template_xlsx(town: Town) -> bytes:
    """The blank template, with the kinds as a drop-down and the town's post names on a second sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "履职记录"
    for col, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=safe_cell(name))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7" if name in REQUIRED else "F2F2F2")
        ws.column_dimensions[get_column_letter(col)].width = 40 if name in {"内容摘要", "认定岗位"} else 16
    kinds = DataValidation(type="list", formula1='"' + ",".join(str(k.label) for k in RecordKind) + '"')
    kinds.error = "请从列表中选择履职方式"
    ws.add_data_validation(kinds)
    kinds.add(f"C2:C{MAX_ROWS + 1}")
    ws.freeze_panes = "A2"
    help_sheet = wb.create_sheet("填写说明")
    notes = [
        "每行一条履职记录，从第 2 行起填写；蓝色列必填。整表无误才会导入，有错误时一条也不导入。",
        "履职日期：实际开展的日期，如 2025-03-18；时间可不填，如 09:30。",
        "履职方式：" + "、".join(str(k.label) for k in RecordKind) + "。",
        "认定岗位：填写下列岗位名称，多个岗位用“、”分隔；同名岗位写成“单位/岗位”。",
        "",
        "本镇岗位：",
    ]
    posts = (
        Post.objects.filter(town=town).exclude(kind="").select_related("unit").order_by("unit__name", "title")
    )
    notes.extend(f"{p.unit.name}/{p.title}" for p in posts)
    for row, text in enumerate(notes, start=1):
        help_sheet.cell(row=row, column=1, value=safe_cell(text))  # unit and post names: guarded
    help_sheet.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return datetime.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        raise ValueError("日期格式不正确，请写成 2025-03-18") from None


def _time(value: Any) -> datetime.time:
    if value in (None, ""):
        return datetime.time(12, 0)
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, datetime.datetime):
        return value.time()
    text = _text(value).replace("：", ":")
    try:
        return datetime.time.fromisoformat(text if len(text) > 4 else text.zfill(5))
    except ValueError:
        raise ValueError("时间格式不正确，请写成 09:30") from None


def _kind(value: Any) -> str:
    text = _text(value)
    for kind in RecordKind:
        if text in (kind.value, str(kind.label)):
            return kind.value
    raise ValueError("履职方式须为：" + "、".join(str(k.label) for k in RecordKind))


class _PostIndex:
    def __init__(self, town: Town) -> None:
        self.by_title: dict[str, list[Post]] = {}
        self.by_full: dict[str, Post] = {}
        for post in Post.objects.filter(town=town).exclude(kind="").select_related("unit"):
            self.by_title.setdefault(post.title, []).append(post)
            self.by_full[f"{post.unit.name}/{post.title}"] = post

    def find(self, text: str) -> list[Post]:
        names = [n.strip() for n in _SPLIT.split(text) if n.strip()]
        if not names:
            raise ValueError("请至少填写一个岗位")
        found = []
        for name in names:
            normal = name.replace("／", "/")
            if normal in self.by_full:
                found.append(self.by_full[normal])
                continue
            matches = self.by_title.get(normal, [])
            if not matches:
                raise ValueError(f"本镇没有名为“{name}”的岗位")
            if len(matches) > 1:
                raise ValueError(f"“{name}”在多个单位中重名，请写成“单位/岗位”")
            found.append(matches[0])
        return found


def _read_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    if len(data) > MAX_BYTES:
        raise ValidationError(f"文件过大：不能超过 {MAX_BYTES // 1024 // 1024} MB。")
    unreadable = ValidationError("文件不是有效的 Excel（.xlsx）表格，请使用下载的模板。")
    try:
        check_archive(data, what="履职记录表")  # before openpyxl expands anything
    except NotAnArchive:
        raise unreadable from None
    except ArchiveRefused as exc:
        raise ValidationError(str(exc)) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise unreadable from None
    try:
        return _sheet_rows(wb)
    finally:
        wb.close()


def _sheet_rows(wb: Any) -> list[tuple[int, dict[str, Any]]]:
    ws = wb["履职记录"] if "履职记录" in wb.sheetnames else wb.worksheets[0]
    # Streaming (read-only) and bounded: never more than MAX_SCANNED_ROWS rows of MAX_COLUMNS cells.
    rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = [_text(v) for v in next(rows, ())]
    missing = [c for c in COLUMNS if c in REQUIRED and c not in header]
    if missing:
        raise ValidationError("表头缺少：" + "、".join(missing) + "。请使用下载的模板。")
    result: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_SCANNED_ROWS:
            raise ValidationError(f"表格行数过多：一次最多导入 {MAX_ROWS} 行。")
        if all(_text(v) == "" for v in values):
            continue
        if len(result) >= MAX_ROWS:
            raise ValidationError(f"一次最多导入 {MAX_ROWS} 行。")
        result.append(
            (number, {name: values[i] if i < len(values) else None for i, name in enumerate(header)})
        )
    if not result:
        raise ValidationError("表格中没有记录。")
    return result


def _parse(number: int, cells: dict[str, Any], posts: _PostIndex) -> tuple[RecordData | None, list[RowError]]:
    errors: list[RowError] = []

    def cell(column: str, parse: Any) -> Any:
        raw = cells.get(column)
        found = spreadsheet_control_character(raw) if isinstance(raw, str) else None
        if found is not None:  # refused here, at the edge, like a form or the API would
            errors.append(RowError(number, column, control_character_message(column, found)))
            return None
        if column in REQUIRED and _text(raw) == "":
            errors.append(RowError(number, column, "必填"))
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            errors.append(RowError(number, column, str(exc)))
            return None

    day = cell("履职日期", _date)
    at = cell("时间", _time)
    kind = cell("履职方式", _kind)
    title = cell("主题", _text)
    place = cell("地点", _text)
    credited = cell("认定岗位", lambda v: posts.find(_text(v)))
    participants = cell("参加人员", _text)
    summary = cell("内容摘要", _text)
    for column, value, limit in (("主题", title, 200), ("地点", place, 200)):
        if value and len(value) > limit:
            errors.append(RowError(number, column, f"不能超过 {limit} 个字"))
    if day and day > timezone.localdate():
        errors.append(RowError(number, "履职日期", "不能晚于今天"))
    if errors:
        return None, errors
    moment = timezone.make_aware(datetime.datetime.combine(day, at))
    return RecordData(kind, moment, title, place, summary, participants or "", credited), []


def import_records(*, town: Town, data: bytes, filename: str, actor: Any) -> ImportResult:
    """Create a record per row, all in one transaction; any bad row and nothing is saved.

    Every row is read and checked first (cells here; then the rules of hand entry, in `create_records`), and
    only a sheet without a single problem is written, in bulk, with one audit entry naming the file, its SHA-256,
    the row count and the new records' ids. Raises ValidationError for a file that is not the template at all.
    """
    rows = _read_rows(data)
    posts = _PostIndex(town)
    parsed: list[tuple[int, RecordData]] = []
    errors: list[RowError] = []
    for number, cells in rows:
        record_data, row_errors = _parse(number, cells, posts)
        errors.extend(row_errors)
        if record_data is not None:
            parsed.append((number, record_data))
    if errors:
        return ImportResult(0, errors)
    try:
        created = create_records(
            town=town,
            data=[record_data for _, record_data in parsed],
            source=Source.IMPORT,
            details={
                "filename": filename[:200],
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": len(parsed),
            },
            actor=actor,
        )
    except RecordsRefused as exc:
        refused: list[str] = []
        for index, message, is_refusal in exc.errors:
            number = parsed[index][0]
            if is_refusal:
                errors.append(RowError(number, "认定岗位", message))
                refused.append(f"第 {number} 行：{message}")
            else:
                errors.append(RowError(number, "整行", message))
        return ImportResult(0, errors, refused)
    return ImportResult(len(created), [])
