"""Attachments: typed by content, size-limited, names cleaned, checksummed, stored outside the web root,
served only through the scope check and refused when tampered with."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from yigang.duties import actions
from yigang.duties.models import Attachment, DutyRecord
from yigang.evidence.uploads import clean_name

from .conftest import PDF, PNG

pytestmark = pytest.mark.django_db


def _create(town: Any, posts: Any, files: list[actions.Upload]) -> Any:
    import datetime

    from .conftest import at

    return actions.create_record(
        town=town,
        data=actions.RecordData(
            kind="meeting",
            occurred_at=at(datetime.date(2025, 4, 2)),
            title="安全生产工作会议",
            place="镇政府",
            summary="会议纪要见附件。",
            participants="",
            posts=[posts["mayor"]],
        ),
        files=files,
        actor=None,
    )


def test_the_type_comes_from_the_content_not_the_name(town: Any, seed: Any, posts: Any) -> None:
    record = _create(
        town, posts, [actions.Upload(io.BytesIO(PNG), "scan.pdf"), actions.Upload(io.BytesIO(PDF), "纪要")]
    )
    photo, minutes = record.attachments.order_by("id")
    assert (photo.content_type, photo.name) == ("image/png", "scan.png")
    assert (minutes.content_type, minutes.name) == ("application/pdf", "纪要.pdf")
    assert photo.sha256 == hashlib.sha256(PNG).hexdigest() and photo.size == len(PNG)
    stored = Path(settings.MEDIA_ROOT) / photo.file.name
    assert stored.read_bytes() == PNG
    assert not str(photo.file.name).endswith("scan.pdf")  # the server chooses the path


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg", "不是允许的类型"),
        (b"MZ\x90\x00" + b"\x00" * 100, "minutes.pdf", "不是允许的类型"),
        (b"", "empty.png", "空文件"),
    ],
)
def test_it_refuses_what_is_not_evidence_and_saves_nothing(
    town: Any, seed: Any, posts: Any, data: bytes, name: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _create(
            town, posts, [actions.Upload(io.BytesIO(PNG), "ok.png"), actions.Upload(io.BytesIO(data), name)]
        )
    assert not DutyRecord.objects.exists() and not Attachment.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.*")) if Path(settings.MEDIA_ROOT).exists() else True


def test_it_refuses_files_over_the_size_limit(town: Any, seed: Any, posts: Any, settings: Any) -> None:
    settings.DUTY_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="过大"):
        _create(town, posts, [actions.Upload(io.BytesIO(PNG + b"\x00" * 2000), "big.png")])
    assert not DutyRecord.objects.exists()


def test_names_are_cleaned() -> None:
    assert clean_name("../../etc/passwd.png", "png") == "passwd.png"
    assert clean_name("C:\\Users\\王\\现场 照片.JPG", "jpg") == "现场 照片.jpg"
    assert clean_name('a<b>:"c|?*.exe', "pdf") == "a_b_c.pdf"
    assert clean_name("\x00\x1f", "png") == "附件.png"
    assert len(clean_name("长" * 300 + ".png", "png")) <= 84


def test_it_is_served_with_safe_headers_and_checked_against_its_checksum(
    world: Any, users: Any, login: Any, settings: Any
) -> None:
    from django.urls import reverse

    item = world["attachment"]
    client = login(users["county_viewer"])
    response = client.get(reverse("duties:attachment", args=[item.pk]))
    from yigang.images import reencode

    # the clean copy (issue 26.3): the original is the officer's and the auditor's, with ?original=1
    assert response.status_code == 200 and response.content == reencode(PNG, "image/png").data
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    (Path(settings.MEDIA_ROOT) / item.file.name).write_bytes(PNG + b"tampered")
    tampered = client.get(reverse("duties:attachment", args=[item.pk]))
    assert tampered.status_code == 409 and "校验失败" in tampered.content.decode()


def test_media_root_is_outside_the_static_web_root() -> None:
    from yigang import settings as real

    assert Path(real.MEDIA_ROOT).resolve() == (Path(real.VAR_DIR) / "uploads").resolve()
    assert not str(Path(real.MEDIA_ROOT).resolve()).startswith(str(Path(real.STATIC_ROOT).resolve()))
    assert not getattr(real, "MEDIA_URL", "")
