"""People, posts and tenures in bulk: the .xlsx template, import (all rows or none) and export.

One row is one tenure (a person in a post from a date), or a post with no one named (a seat to fill).
Import goes through the same actions as the pages, row by row inside one transaction; every bad row is
reported with its Excel row number, column and a Chinese reason, and if any row is bad nothing is kept.
Re-importing an export changes nothing.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from yigang.audit.log import record
from yigang.exports.excel import render_xlsx
from yigang.inputs import (
    ArchiveRefused,
    NotAnArchive,
    check_archive,
    control_character_message,
    spreadsheet_control_character,
)
from yigang.towns.actions import link_person
from yigang.towns.models import READ_ROLES, Membership, Town

from . import actions
from .models import POST_KINDS, Person, Post, Tenure, Unit, UnitKind

COLUMNS = (
    "单位",
    "单位类别",
    "岗位",
    "制度岗位",
    "姓名",
    "电话",
    "任职日期",
    "离任日期",
    "任免依据",
    "系统账号",
)
WIDTHS = (24, 18, 28, 26, 12, 16, 14, 14, 30, 16)
REQUIRED_HEADERS = ("单位", "岗位", "姓名", "任职日期")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 40

_UNIT_KINDS = {str(label): value for value, label in UnitKind.choices}
_POST_KINDS = {str(label): value for value, label in POST_KINDS}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


class ImportRefused(Exception):
    """The file as a whole cannot be read (not an .xlsx, no header, too large)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行" + (f"【{self.column}】" if self.column else "") + f"：{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class BulkResult:
    """What the import of a register's .xlsx did: the rows read, the register's own counts, the errors (none:
    written; any: nothing written)."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count_names(self) -> list[str]:
        return [each.name for each in fields(self) if each.name not in ("rows", "errors")]

    def counts(self) -> dict[str, Any]:
        """The register's own counts, in the order declared (as the JSON and the audit entry give them)."""
        return {name: getattr(self, name) for name in self._count_names()}

    def clear_counts(self) -> None:
        """Every count back to nought (the rows were not kept)."""
        for name in self._count_names():
            setattr(self, name, 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            **self.counts(),
            "errors": [e.as_dict() for e in self.errors],
        }


@dataclass
class ImportResult(BulkResult):
    units: int = 0
    posts: int = 0
    people: int = 0
    tenures: int = 0
    ended: int = 0
    unchanged: int = 0

    def counts(self) -> dict[str, Any]:
        made = {"units": self.units, "posts": self.posts, "people": self.people, "tenures": self.tenures}
        return {"created": made, "ended": self.ended, "unchanged": self.unchanged}


@dataclass
class _Row:
    number: int
    unit: str
    unit_kind: str
    post: str
    post_kind: str
    name: str
    phone: str
    start: datetime.date | None
    end: datetime.date | None
    note: str
    account: str = ""


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


T = TypeVar("T")
R = TypeVar("R", bound=BulkResult)
# The pieces another template's import builds on (yigang.places.bulk): a refused cell, a cell's text and date.
Bad = _Bad


@contextmanager
def refused_in(column: str) -> Iterator[None]:
    """An action's refusal (ValidationError) becomes the row's error in `column`, its reasons joined by "；"."""
    try:
        yield
    except ValidationError as exc:
        raise _Bad(column, "；".join(exc.messages)) from None


# ---------------------------------------------------------------- template and export


def template_xlsx(town: Town) -> bytes:
    """The empty template: title, header, and a sheet explaining each column and its allowed values."""
    return _with_instructions(
        render_xlsx(
            sheet="人员任职",
            title=f"{town.name}人员任职导入表（第2行为表头，请从第3行起每行填写一条任职）",
            columns=COLUMNS,
            rows=[],
            widths=WIDTHS,
        )
    )


def export_rows(town: Town) -> list[list[object]]:
    """Every tenure of the town (past and present), then every post never held, in the template's columns."""
    rows: list[list[object]] = []
    tenures = (
        Tenure.objects.filter(town=town)
        .select_related("post__unit", "person__user")
        .order_by("post__unit__kind", "post__unit__name", "post__title", "start", "id")
    )
    for t in tenures:
        rows.append(
            [
                t.post.unit.name,
                t.post.unit.get_kind_display(),
                t.post.title,
                t.post.get_kind_display() if t.post.kind else "",
                t.person.name,
                t.person.phone,
                t.start,
                t.end,
                t.note,
                t.person.user.username if t.person.user else "",
            ]
        )
    never_held = (
        Post.objects.filter(town=town, tenures__isnull=True)
        .select_related("unit")
        .order_by("unit__kind", "unit__name", "title")
    )
    for p in never_held:
        rows.append(
            [p.unit.name, p.unit.get_kind_display(), p.title, p.get_kind_display() if p.kind else ""]
            + [""] * 6
        )
    return rows


def export_xlsx(town: Town, *, actor: Any) -> bytes:
    body = render_xlsx(
        sheet="人员任职",
        title=f"{town.name}人员任职表（导出，可修改后重新导入）",
        columns=COLUMNS,
        rows=export_rows(town),
        widths=WIDTHS,
    )
    record("export.org_people", actor=actor, town=town, changes={"format": "xlsx"})
    return _with_instructions(body)


def _with_instructions(body: bytes) -> bytes:
    lines = [
        ("列", "说明"),
        ("单位", "必填。已登记的单位按名称对应；新单位须同时填写单位类别。"),
        ("单位类别", "新单位必填，可选：" + "、".join(_UNIT_KINDS)),
        ("岗位", "必填。单位内的岗位名称，如“镇长”“平安建设办公室负责人”；不存在的岗位将新建。"),
        ("制度岗位", "新岗位可填，对应制度中的岗位（决定其责任清单），可选：" + "、".join(_POST_KINDS)),
        ("姓名", "可空：只登记岗位（空缺）。同名人员请填写电话以区分。"),
        ("电话", "选填。"),
        ("任职日期", "填写姓名时必填，格式 2024-04-01。"),
        ("离任日期", "选填，任职的最后一天；空表示仍在任。"),
        ("任免依据", "选填，如任免文件文号。"),
        ("系统账号", "选填：此人登录本系统的用户名（须已在本镇分配角色），关联后提醒发给本人。"),
        ("", "导入时所有行全部成功才保存；任何一行有误则全部不保存，并逐行列出错误。"),
    ]
    return with_notes(body, lines)


def with_notes(body: bytes, lines: Sequence[tuple[str, str]]) -> bytes:
    """The workbook with a second sheet “填写说明” explaining each column (column, explanation)."""
    wb = load_workbook(io.BytesIO(body))
    notes = wb.create_sheet("填写说明")
    for line in lines:
        notes.append(list(line))
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- import


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    # An exported cell that began with a formula character was prefixed with ' (exports/excel.safe_cell).
    return text[1:] if text.startswith("'") else text


def _date(value: object, column: str) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(str(value))
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise _Bad(column, f"“{value}”不是有效日期，请按 2024-04-01 的格式填写")


def read_rows(data: bytes) -> list[_Row | RowError]:
    """Rows of the first sheet, each parsed or an error; raises ImportRefused for an unreadable file."""
    return read_table(data, columns=COLUMNS, required=REQUIRED_HEADERS, parse=_parse)


def read_table(
    data: bytes, *, columns: Sequence[str], required: Sequence[str], parse: Callable[[int, Any, Any], T]
) -> list[T | RowError]:
    """The rows of any template's first sheet (people here, places in yigang.places.bulk): the header found in
    the first 5 rows, each row checked for control characters, then `parse(number, row, cell)` — which returns
    the row or raises `Bad(column, message)`. Raises ImportRefused for an unreadable file."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"文件过大：导入表不能超过 {MAX_BYTES // 1024 // 1024} MB。")
    try:
        check_archive(data, what="导入表")  # before openpyxl expands anything
    except NotAnArchive:
        pass  # openpyxl below says so in the usual words
    except ArchiveRefused as exc:
        raise ImportRefused(str(exc)) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # Streaming (read-only) and bounded: the header lies in the first 5 rows, then at most MAX_ROWS.
        sheet = wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
        rows = list(itertools.islice(sheet, MAX_ROWS + 6))
        wb.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
        raise ImportRefused("无法读取该文件：请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）。") from None
    header_at, found = None, {}
    for i, row in enumerate(rows[:5]):
        names = [_text(v) for v in row]
        if all(h in names for h in required):
            header_at, found = i, {name: idx for idx, name in enumerate(names) if name in columns}
            break
    if header_at is None:
        wanted = "".join(f"“{h}”" for h in required)
        raise ImportRefused(f"找不到表头：前5行中须有{wanted}等列，请使用导入模板。")
    body = rows[header_at + 1 :]
    if len(body) > MAX_ROWS:
        raise ImportRefused(f"行数过多：一次最多导入 {MAX_ROWS} 行。")

    def cell(row: tuple[object, ...], name: str) -> object:
        idx = found.get(name)
        return row[idx] if idx is not None and idx < len(row) else None

    parsed: list[T | RowError] = []
    for offset, row in enumerate(body):
        number = header_at + 2 + offset
        if all(_text(v) == "" for v in row):
            continue
        refused = _control_character(row, found)
        if refused is not None:  # refused here, at the edge, like a form would
            parsed.append(RowError(number, *refused))
            continue
        try:
            parsed.append(parse(number, row, cell))
        except _Bad as bad:
            parsed.append(RowError(number, _column(bad.column, found), bad.message))
    return parsed


def apply_all(
    rows: Sequence[Any], apply: Callable[[Any], None], errors: list[RowError], done: Callable[[], None]
) -> bool:
    """Apply every row inside one transaction, a savepoint per row so every bad row is reported (`Bad` from
    `apply` becomes a RowError of that row); any error rolls everything back. `done()` (the audit entry of the
    success) runs inside the transaction. Returns whether the rows were kept."""

    class _Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for row in rows:
                try:
                    # A savepoint per row: a refused row leaves the others' work in place to find more errors.
                    with transaction.atomic():
                        apply(row)
                except _Bad as bad:
                    errors.append(RowError(row.number, bad.column, bad.message))
            if errors:
                raise _Rollback
            done()
    except _Rollback:
        errors.sort(key=lambda e: e.row)
        return False
    return True


def import_all(
    town: Town,
    rows: Sequence[Any],
    apply: Callable[[Any], None],
    result: R,
    *,
    event: str,
    actor: Any,
    filename: str,
) -> R:
    """`apply_all` for one register's import, audited as `event`: the file and the counts when kept; when not,
    a failure with the number of errors, and the counts back to nought."""

    def done() -> None:
        counts = {k: v for k, v in result.as_dict().items() if k != "errors"}
        record(event, actor=actor, town=town, changes={"file": filename, **counts})

    if not apply_all(rows, apply, result.errors, done):
        result.clear_counts()
        changes = {"file": filename, "errors": len(result.errors)}
        record(event, actor=actor, town=town, success=False, changes=changes)
    return result


def _control_character(row: tuple[object, ...], columns: dict[str, int]) -> tuple[str, str] | None:
    for name, idx in columns.items():
        value = row[idx] if idx < len(row) else None
        found = spreadsheet_control_character(value) if isinstance(value, str) else None
        if found is not None:
            return _column(name, columns), control_character_message(name, found)
    return None


def _column(name: str, columns: dict[str, int]) -> str:
    idx = columns.get(name)
    return f"{name}（{get_column_letter(idx + 1)}列）" if idx is not None else name


def _parse(number: int, row: tuple[object, ...], cell: Any) -> _Row:
    unit = _text(cell(row, "单位"))
    post = _text(cell(row, "岗位"))
    name = _text(cell(row, "姓名"))
    if not unit:
        raise _Bad("单位", "请填写单位名称")
    if not post:
        raise _Bad("岗位", "请填写岗位名称")
    unit_kind = _text(cell(row, "单位类别"))
    if unit_kind and unit_kind not in _UNIT_KINDS:
        raise _Bad("单位类别", f"“{unit_kind}”不是有效的单位类别，可选：{'、'.join(_UNIT_KINDS)}")
    post_kind = _text(cell(row, "制度岗位"))
    if post_kind and post_kind not in _POST_KINDS:
        raise _Bad("制度岗位", f"“{post_kind}”不是制度中的岗位，可选：{'、'.join(_POST_KINDS)}")
    start = _date(cell(row, "任职日期"), "任职日期")
    end = _date(cell(row, "离任日期"), "离任日期")
    phone = _text(cell(row, "电话"))
    if name and start is None:
        raise _Bad("任职日期", "填写了姓名须同时填写任职日期")
    if not name and (start or end or phone):
        raise _Bad("姓名", "填写了任职日期或电话须同时填写姓名")
    if start and end and end < start:
        raise _Bad("离任日期", "离任日期不能早于任职日期")
    if len(name) > 50:
        raise _Bad("姓名", "姓名不能超过 50 个字")
    if len(phone) > 30:
        raise _Bad("电话", "电话不能超过 30 个字符")
    return _Row(
        number,
        unit,
        _UNIT_KINDS.get(unit_kind, ""),
        post,
        _POST_KINDS.get(post_kind, ""),
        name,
        phone,
        start,
        end,
        _text(cell(row, "任免依据"))[:200],
        _account(name, _text(cell(row, "系统账号"))),
    )


def _account(name: str, account: str) -> str:
    if account and not name:
        raise _Bad("系统账号", "填写了系统账号须同时填写姓名")
    if len(account) > 150:
        raise _Bad("系统账号", "用户名不能超过 150 个字符")
    return account


def import_xlsx(town: Town, data: bytes, *, actor: Any, filename: str = "") -> ImportResult:
    """Import every row or none. Returns the counts, or the errors (and then nothing is saved)."""
    parsed = read_rows(data)
    result = ImportResult(rows=len(parsed))
    result.errors = [p for p in parsed if isinstance(p, RowError)]
    rows = [p for p in parsed if isinstance(p, _Row)]
    return import_all(
        town,
        rows,
        lambda row: _apply(town, row, result, actor),
        result,
        event="org.import",
        actor=actor,
        filename=filename,
    )


def _find_unit(town: Town, row: _Row, result: ImportResult, actor: Any) -> Unit:
    unit = Unit.objects.filter(town=town, name=row.unit).order_by("-active", "-valid_until", "-id").first()
    if unit is not None:
        if row.unit_kind and row.unit_kind != unit.kind:
            raise _Bad("单位类别", f"“{unit}”已登记为“{unit.get_kind_display()}”，与表中不符")
        return unit
    if not row.unit_kind:
        raise _Bad("单位", f"单位“{row.unit}”尚未登记；新建单位须填写单位类别")
    with refused_in("单位"):
        unit = actions.add_unit(town=town, name=row.unit, kind=row.unit_kind, actor=actor)
    result.units += 1
    return unit


def _find_post(unit: Unit, row: _Row, result: ImportResult, actor: Any) -> Post:
    post = Post.objects.filter(unit=unit, title=row.post).first()
    if post is not None:
        if row.post_kind and row.post_kind != post.kind:
            shown = post.get_kind_display() or "未对应"
            raise _Bad("制度岗位", f"“{post}”已登记的制度岗位为“{shown}”，与表中不符")
        return post
    with refused_in("岗位"):
        post = actions.add_post(unit=unit, title=row.post, kind=row.post_kind, actor=actor)
    result.posts += 1
    return post


def _find_person(town: Town, row: _Row, result: ImportResult, actor: Any) -> Person:
    same = list(Person.objects.filter(town=town, name=row.name).order_by("id"))
    if row.phone:
        by_phone = [p for p in same if p.phone == row.phone]
        if by_phone:
            return by_phone[0]
        if len(same) == 1 and not same[0].phone:
            return same[0]
        if same:
            raise _Bad(
                "电话",
                f"已登记的“{row.name}”电话与表中不同；如为同名的另一人，请先在人员页面添加此人后再导入",
            )
    elif len(same) == 1:
        return same[0]
    elif len(same) > 1:
        raise _Bad("姓名", f"本镇有{len(same)}名“{row.name}”，请填写电话以区分")
    with refused_in("姓名"):
        person = actions.add_person(town=town, name=row.name, phone=row.phone, actor=actor)
    result.people += 1
    return person


def _link_account(town: Town, person: Person, username: str, actor: Any) -> None:
    """The person's login account, named by username: only an account with a business role in this town (the
    安委办 links its own town's people; anything else reads as unknown, so no username elsewhere is revealed)."""
    user = get_user_model().objects.filter(username__iexact=username).first()
    in_town = user is not None and (
        Membership.objects.filter(user_id=user.pk, town=town, role__in=READ_ROLES).exists()
    )
    if not in_town:
        raise _Bad("系统账号", f"本镇没有用户名为“{username}”的账号（须先由系统管理员建立并分配本镇角色）")
    with refused_in("系统账号"):
        link_person(user=user, person=person, actor=actor, source="import")


def _apply(town: Town, row: _Row, result: ImportResult, actor: Any) -> None:
    unit = _find_unit(town, row, result, actor)
    post = _find_post(unit, row, result, actor)
    if not row.name:
        return
    assert row.start is not None
    person = _find_person(town, row, result, actor)
    if row.account:
        _link_account(town, person, row.account, actor)
    existing = Tenure.objects.filter(post=post, person=person, start=row.start).first()
    if existing is not None:
        if existing.end == row.end:
            result.unchanged += 1
            return
        if existing.end is None and row.end is not None:
            with refused_in("离任日期"):
                actions.end_tenure(tenure=existing, end=row.end, actor=actor)
            result.ended += 1
            return
        raise _Bad(
            "离任日期",
            f"已登记该任职的离任日期为{existing.end or '空（在任）'}，与表中不同；请在任职页面更正",
        )
    with refused_in("任职日期"):
        actions.appoint(post=post, person=person, start=row.start, end=row.end, note=row.note, actor=actor)
    result.tenures += 1


cell_text = _text
cell_date = _date
