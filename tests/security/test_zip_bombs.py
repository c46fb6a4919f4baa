"""Zip bombs (issue 9.3): every .xlsx and .docx Yigang reads is checked as an archive — entry count, size once
expanded, expansion ratio — before openpyxl or python-docx opens it, and worksheets are read streaming with a
row limit. A 1.5 MB workbook whose shared strings expand to 1.5 GB once took a worker to 3.4 GB."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from yigang import inputs

pytestmark = pytest.mark.django_db
MiB = 1024 * 1024


def _workbook(header: list[str], rows: list[list[Any]], sheet: str = "Sheet") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _replace(data: bytes, name: str, size: int, chunk: bytes) -> bytes:
    """The archive with entry `name` replaced by `size` bytes made of `chunk`, written in pieces."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info.filename))
        with target.open(name, "w") as entry:
            written = 0
            while written < size:
                piece = chunk[: size - written]
                entry.write(piece)
                written += len(piece)
    return out.getvalue()


def _bomb(data: bytes, name: str, expanded: int) -> bytes:
    return _replace(data, name, expanded, b"<si><t>" + b"A" * 4000 + b"</t></si>")


RECORDS = ["履职日期", "时间", "履职方式", "主题", "地点", "认定岗位", "参加人员", "内容摘要"]
PEOPLE = ["单位", "单位类别", "岗位", "制度岗位", "姓名", "电话", "任职日期", "离任日期", "任免依据"]


def test_a_records_workbook_that_expands_to_300_mb_is_refused_before_parsing(
    town: Any, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from yigang.duties import importer

    bomb = _bomb(_workbook(RECORDS, [], sheet="履职记录"), "xl/sharedStrings.xml", 300 * MiB)
    assert len(bomb) < 5 * MiB  # small enough to pass the upload limit
    monkeypatch.setattr(importer, "load_workbook", _never)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as exc:
            importer.import_records(town=town, data=bomb, filename="b.xlsx", actor=users["officer"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "压缩" in exc.value.messages[0]
    assert peak < 20 * MiB  # the archive was judged by its directory, never expanded


def _never(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the parser must not see a refused archive")


def test_a_people_workbook_bomb_is_refused_whole(town: Any, users: dict[str, Any]) -> None:
    from yigang.org.bulk import ImportRefused, import_xlsx

    bomb = _bomb(_workbook(PEOPLE, []), "xl/sharedStrings.xml", 200 * MiB)
    with pytest.raises(ImportRefused) as exc:
        import_xlsx(town, bomb, actor=users["officer"])
    assert "压缩" in exc.value.message


def test_a_regulation_docx_bomb_is_refused(seed_bytes: bytes) -> None:
    import docx

    from yigang.regulations.parser import SourceError, read_source

    document = docx.Document()
    document.add_paragraph("乌审召镇安全生产责任制度")
    out = io.BytesIO()
    document.save(out)
    bomb = _replace(out.getvalue(), "word/document.xml", 200 * MiB, b"<w:p/>" * 1000)
    with pytest.raises(SourceError) as exc:
        read_source(bomb, "制度.docx")
    assert "压缩" in str(exc.value)


def test_every_limit_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _workbook(RECORDS, [])
    inputs.check_archive(plain)  # an ordinary workbook passes
    # The expanded total, with entries that compress poorly (no ratio alarm).
    monkeypatch.setattr(inputs, "DEFAULT_LIMITS", inputs.ArchiveLimits(total_bytes=1 * MiB))
    noisy = _replace(plain, "xl/media/noise.bin", 2 * MiB, os.urandom(64 * 1024))
    with pytest.raises(inputs.ArchiveRefused, match="解压后超过 1 MB"):
        inputs.check_archive(noisy)
    monkeypatch.undo()
    # The ratio of one entry.
    with pytest.raises(inputs.ArchiveRefused, match="压缩比异常"):
        inputs.check_archive(_replace(plain, "xl/media/zeros.bin", 10 * MiB, b"\0" * 65536))
    # The number of entries.
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(1001):
            archive.writestr(f"x/{n}.xml", "<a/>")
    with pytest.raises(inputs.ArchiveRefused, match="1001 个内部文件"):
        inputs.check_archive(many.getvalue())
    with pytest.raises(inputs.NotAnArchive):
        inputs.check_archive(b"not a zip")


def test_worksheets_are_read_streaming_with_a_row_limit(
    town: Any, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from yigang.duties import importer
    from yigang.org import bulk

    row = ["2025-04-02", "14:00", "培训宣传", "安全培训", "活动室", "岗位", "", "宣讲"]
    monkeypatch.setattr(importer, "MAX_ROWS", 5)
    monkeypatch.setattr(importer, "MAX_SCANNED_ROWS", 8)
    blank_tail = _workbook(RECORDS, [row] + [[None] * 7 + ["  "]] * 20, sheet="履职记录")
    with pytest.raises(ValidationError, match="行数过多"):
        importer.import_records(town=town, data=blank_tail, filename="r.xlsx", actor=users["officer"])
    monkeypatch.setattr(bulk, "MAX_ROWS", 10)
    people = [["镇人民政府", "镇党委", f"岗位{n}", "", "", "", "", "", ""] for n in range(30)]
    with pytest.raises(bulk.ImportRefused, match="行数过多"):
        bulk.import_xlsx(town, _workbook(PEOPLE, people), actor=users["officer"])
