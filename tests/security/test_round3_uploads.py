"""Every stored upload is checked as the imports are (issue 26.2): one check (`uploads.check`) for duty
attachments, hazard photos, accident attachments, assessment evidence and the scans of signed paper — the type
read from the content, a Word or Excel file's archive limits (entry count, size once expanded) before anything
is stored, an image that decodes — and a scan of signed paper is an image or a PDF, nothing else."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document

from tests.conftest import PASSWORD

from .conftest import PNG
from .test_zip_bombs import RECORDS, _bomb, _workbook

pytestmark = pytest.mark.django_db
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A real .xlsx whose shared strings expand to 60 MB (the limit is 50 MB) in well under 1 MB."""
    data = _bomb(_workbook(RECORDS, [], sheet="履职记录"), "xl/sharedStrings.xml", 60 * MiB)
    assert len(data) < 1 * MiB
    return data


def _many_entries(count: int = 1200) -> bytes:
    """A real .docx with `count` extra (tiny) entries: over the 1,000-entry limit."""
    out = io.BytesIO()
    Document().save(out)
    grown = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(grown, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        for n in range(count):
            target.writestr(f"word/media/x{n}.xml", b"<x/>")
    return grown.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("会议纪要")
    document.save(out)
    return out.getvalue()


def _stored(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# ---------------------------------------------------------------- the one check


def test_the_shared_check_refuses_an_expanding_workbook_and_names_the_file(bomb: bytes) -> None:
    from yigang.evidence import uploads

    with pytest.raises(ValidationError) as exc:
        uploads.check(io.BytesIO(bomb), "事故调查报告.xlsx")
    assert "压缩炸弹" in exc.value.messages[0]
    assert "事故调查报告.xlsx" in exc.value.messages[0]


def test_the_shared_check_refuses_too_many_entries() -> None:
    from yigang.evidence import uploads

    with pytest.raises(ValidationError) as exc:
        uploads.check(io.BytesIO(_many_entries()), "纪要.docx")
    assert "内部文件" in exc.value.messages[0]


def test_an_ordinary_word_file_and_pdf_still_pass() -> None:
    from yigang.evidence import uploads

    assert uploads.check(io.BytesIO(_docx()), "纪要.docx").content_type.endswith("document")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert uploads.check(io.BytesIO(pdf), "扫描.pdf").content_type == "application/pdf"


def test_a_scan_is_an_image_or_a_pdf_nothing_else(bomb: bytes) -> None:
    from yigang.evidence import uploads

    for data, name in ((_docx(), "签字.docx"), (_workbook(RECORDS, []), "签字.xlsx")):
        with pytest.raises(ValidationError) as exc:
            uploads.check(io.BytesIO(data), name, kinds=uploads.SCAN_KINDS)
        assert "扫描件须为图片（JPG/PNG/WebP）或 PDF" in exc.value.messages[0]
    assert uploads.check(io.BytesIO(PNG), "签字.png", kinds=uploads.SCAN_KINDS).content_type == "image/png"


# ---------------------------------------------------------------- each place that stores a file


def test_an_accident_attachment_bomb_is_refused_and_nothing_is_stored(
    world: Any, bomb: bytes, settings: Any
) -> None:
    from yigang.accidents.actions import ReportData, Upload, report_accident
    from yigang.accidents.models import Accident

    before = Accident.objects.count()
    occurred = datetime.datetime(2025, 8, 1, 9, 0, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as exc:
        report_accident(
            town=world.town,
            data=ReportData(
                occurred_at=occurred,
                learned_at=occurred,
                reported_at=occurred,
                sector=world.sector,
                kind="other",
                address="镇区",
                course="经过",
                reporter="安委办",
                unit_name="某公司",
            ),
            files=[Upload(io.BytesIO(bomb), "调查报告.xlsx")],
            actor=world.users["officer"],
        )
    assert "压缩炸弹" in " ".join(exc.value.messages)
    assert Accident.objects.count() == before
    assert not [
        p for p in _stored(Path(settings.MEDIA_ROOT)) if "accidents" in p.parts and p.suffix == ".xlsx"
    ]


def test_a_duty_attachment_bomb_is_refused(world: Any, bomb: bytes) -> None:
    from yigang.duties.actions import RecordData, Upload, create_record
    from yigang.duties.models import DutyRecord

    before = DutyRecord.objects.count()
    with pytest.raises(ValidationError) as exc:
        create_record(
            town=world.town,
            data=RecordData(
                kind="inspection",
                occurred_at=datetime.datetime(2025, 3, 19, 9, 0, tzinfo=datetime.UTC),
                title="检查",
                place="镇区",
                summary="检查",
                participants="应急办",
                posts=[world.body_post],
            ),
            files=[Upload(io.BytesIO(bomb), "台账.xlsx")],
            actor=world.users["officer"],
        )
    assert "压缩炸弹" in " ".join(exc.value.messages)
    assert DutyRecord.objects.count() == before


def test_a_hazard_photo_must_be_an_image_that_decodes(world: Any, bomb: bytes) -> None:
    from yigang.hazards import actions

    for data, name in ((bomb, "照片.xlsx"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "照片.png")):
        with pytest.raises(ValidationError):
            actions.check_photos([actions.Upload(io.BytesIO(data), name)])


def test_assessment_evidence_bomb_is_refused(world: Any, bomb: bytes) -> None:
    from yigang.assessment import actions
    from yigang.assessment.models import Adjustment

    rnd = actions.open_round(town=world.town, year=2025, actor=world.users["officer"])
    with pytest.raises(ValidationError) as exc:
        actions.add_adjustment(
            rnd=rnd,
            subject=f"unit:{world.body.pk}",
            points="1",
            reason="补充材料",
            upload=io.BytesIO(bomb),
            filename="佐证.xlsx",
            actor=world.users["officer"],
        )
    assert "压缩炸弹" in " ".join(exc.value.messages)
    assert not Adjustment.objects.exists()


def test_a_scan_of_signed_paper_refuses_a_workbook_on_both_paths(world: Any, bomb: bytes) -> None:
    from yigang.signoff import actions
    from yigang.signoff.models import Confirmation, Scan

    scans = Scan.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.attach_scan(
            confirmation=world.signoff.confirmation,
            upload=io.BytesIO(bomb),
            name="签字.xlsx",
            actor=world.users["leader"],
        )
    assert "扫描件须为图片" in exc.value.messages[0]
    task = world.signoff.waiting
    with pytest.raises(ValidationError) as exc:
        actions.record_paper_signature(
            task=task,
            actor=world.users["officer"],
            secret=PASSWORD,
            sha256=task.text_sha256,
            signed_on=timezone.localdate(),
            upload=io.BytesIO(_docx()),
            name="签字.docx",
        )
    assert "扫描件须为图片" in exc.value.messages[0]
    assert Scan.objects.count() == scans
    assert not Confirmation.objects.filter(task=task).exists()


def test_the_scan_form_answers_the_refusal_in_chinese(world: Any, bomb: bytes) -> None:
    """Over HTTP, as the outside test stored it: a workbook of a few hundred KB sent as a "scan"."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from yigang.signoff.models import Scan

    before = Scan.objects.count()
    response = world.client("leader").post(
        reverse("signoff:scan", args=[world.signoff.confirmation.pk]),
        {"file": SimpleUploadedFile("签字.xlsx", bomb)},
        follow=True,
    )
    assert Scan.objects.count() == before
    assert "扫描件须为图片（JPG/PNG/WebP）或 PDF" in response.content.decode()
