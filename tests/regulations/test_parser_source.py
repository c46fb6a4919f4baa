"""Reading uploads: encodings, Word documents, normalisation, and every refusal with its message."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from yigang.regulations.parser import MAX_SOURCE_BYTES, SourceError, parse_source, read_source
from yigang.regulations.parser.normalise import normalise

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = "第一条 镇长每月至少检查1次。\n第二条 镇党委书记每年至少召开4次会议。"


def _docx(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _refusal(data: bytes, filename: str) -> str:
    with pytest.raises(SourceError) as caught:
        read_source(data, filename)
    assert str(caught.value) == caught.value.message
    return caught.value.message


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM (little-endian here)
        b"\xfe\xff" + TEXT.encode("utf-16-be"),
        TEXT.encode("gbk"),
        TEXT.encode("gb18030"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "gbk", "gb18030", "crlf"],
)
def test_it_reads_each_text_encoding(data: bytes) -> None:
    assert read_source(data, "制度.txt") == TEXT


def test_the_extension_is_case_insensitive() -> None:
    assert read_source(TEXT.encode(), "ZHIDU.TXT") == TEXT


def test_it_reads_a_word_document_with_tables_in_order() -> None:
    table = [["单位", "职责"], ["交警中队", "负责道路交通"]]
    data = _docx("第一条 各单位职责如下：", "1．每月至少检查1次。", table=table)
    assert read_source(data, "制度.docx").split("\n") == [
        "第一条 各单位职责如下：",
        "1．每月至少检查1次。",
        "单位",
        "职责",
        "交警中队",
        "负责道路交通",
    ]


def test_it_writes_out_word_automatic_numbering() -> None:
    document = docx.Document()
    document.add_paragraph("第一条 镇长履行以下职责：")
    document.add_paragraph("每月至少检查1次。", style="List Number")
    document.add_paragraph("每年至少召开4次会议。", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_source(buffer.getvalue(), "制度.docx")
    assert [(d.article, d.item, d.min_count, d.period) for d in parsed.duties] == [
        (1, 1, 1, "month"),
        (1, 2, 4, "year"),
    ]


def test_it_refuses_an_empty_file() -> None:
    assert "文件为空" in _refusal(b"", "制度.txt")
    assert "文件为空" in _refusal(b"  \n\xe3\x80\x80\n", "制度.txt")  # only spaces
    assert "文件为空" in _refusal(_docx(""), "制度.docx")


def test_it_refuses_a_file_over_the_limit() -> None:
    assert MAX_SOURCE_BYTES == 10 * 1024 * 1024
    message = _refusal(b"a" * (MAX_SOURCE_BYTES + 1), "制度.txt")
    assert "10 MB" in message
    assert "过大" in message


def test_a_file_at_the_limit_is_read() -> None:
    line = "第一条 镇长每月至少检查1次。\n".encode()
    data = line * (MAX_SOURCE_BYTES // len(line))
    assert len(data) <= MAX_SOURCE_BYTES
    assert read_source(data, "制度.txt").startswith("第一条")


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x00\x00binary\x00stuff",  # NUL bytes
        b"\x80\x80\x81\xff\xfe\x80" * 20,  # neither UTF-8 nor GB18030
        bytes(range(1, 32)) * 10,  # control characters
        b"\xff\xfe\x00",  # a UTF-16 BOM with an odd length
    ],
    ids=["nul", "undecodable", "controls", "broken-utf16"],
)
def test_it_refuses_binary_data(data: bytes) -> None:
    assert _refusal(data, "制度.txt").startswith("不是文本文件")


def test_it_refuses_garbage_as_word() -> None:
    assert "不是有效的 Word 文档" in _refusal(b"this is not a zip at all", "制度.docx")


def test_it_refuses_a_zip_that_is_no_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "不是有效的 Word 文档" in _refusal(buffer.getvalue(), "制度.docx")


def test_it_refuses_a_broken_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not-xml")
    assert "不是有效的 Word 文档" in _refusal(buffer.getvalue(), "制度.docx")


def test_it_explains_an_old_word_file_renamed() -> None:
    message = _refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "制度.docx")
    assert "不是有效的 Word 文档" in message
    assert ".doc" in message


@pytest.mark.parametrize("filename", ["制度.pdf", "制度.doc", "制度", "制度.xlsx"])
def test_it_refuses_unsupported_types(filename: str) -> None:
    message = _refusal(TEXT.encode(), filename)
    assert "不支持的文件类型" in message
    assert ".txt" in message
    assert ".docx" in message


def test_parse_source_refuses_text_with_no_regulation_in_it() -> None:
    with pytest.raises(SourceError) as caught:
        parse_source("今天天气很好，我们去公园散步。".encode(), "随笔.txt")
    assert caught.value.message.startswith("未能从文本中识别出制度的章、条、项或履职频次")


def test_parse_source_accepts_a_bare_frequency() -> None:
    parsed = parse_source("镇安委办每月至少召开一次安全生产例会。".encode(), "a.txt")
    assert [(d.min_count, d.period, d.kind) for d in parsed.duties] == [(1, "month", "meeting")]


def test_parse_source_reads_gbk_fixtures() -> None:
    text = (FIXTURES / "traditional.txt").read_text(encoding="utf-8")
    parsed = parse_source(text.encode("gb18030"), "繁体.txt")  # Traditional characters need GB18030/GBK
    assert len(parsed.articles) == 3


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("职责：-2-\n\n1．认真", "职责：\n1．认真"),
        ("确保安全。－3－", "确保安全。"),
        ("确保安全。- 7 -", "确保安全。"),
        ("确保安全。\n— 4 —\n2．组织", "确保安全。\n2．组织"),
        ("第2页 共8页\n正文", "正文"),
        ("[bookmark: _GoBack]4．所辖区", "4．所辖区"),
        ("正文[bookmark: _Toc123]继续", "正文继续"),
        ("-3-2．组织", "2．组织"),
        ("职责：-2-1．认真贯彻。", "职责：\n1．认真贯彻。"),
        ("\u3000\u3000因乡镇机构改革 \t", "因乡镇机构改革"),
        ("甲\u3000\u3000乙", "甲 乙"),
        ("a\r\nb\rc\u2028d", "a\nb\nc\nd"),
        ("零\u200b宽\ufeff字\x07符", "零宽字符"),
        ("2022-8-4-", "2022-8-4-"),
        ("\n\n\n", ""),
    ],
)
def test_normalisation(raw: str, clean: str) -> None:
    assert normalise(raw) == clean
    assert normalise(clean) == clean
