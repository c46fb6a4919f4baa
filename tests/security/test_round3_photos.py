"""Photos (issue 26.3): the uploaded original stays the evidence, byte for byte (its SHA-256 unchanged); an
image must decode and stay within a pixel limit; pages are served a re-encoded copy without EXIF (camera make,
GPS) and without trailing bytes; the original is downloaded by the 安委办 and the audit administrator only."""

from __future__ import annotations

import datetime
import hashlib
import io
import struct
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db
MiB = 1024 * 1024
TRAILER = b"--after-the-image: secret trailing bytes--"


def camera_jpeg(size: tuple[int, int] = (64, 48), orientation: int | None = None) -> bytes:
    """A phone photo as it comes: EXIF with the camera's make and model and a GPS position, bytes after its end."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1] // 2))  # the top-left quarter blue
    exif = Image.Exif()
    exif[271] = "Canon"  # Make
    exif[272] = "Canon EOS R5"  # Model
    if orientation:
        exif[274] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 36.0, 25.0), "E", (109.0, 47.0, 3.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue() + TRAILER


def huge_png(width: int = 30000, height: int = 30000) -> bytes:
    """A valid 1-bit PNG of width × height, all zeros: about 110 KB on disk, 900 million pixels once open."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# ---------------------------------------------------------------- the checks at upload


def test_a_30000_by_30000_png_is_refused_from_its_header() -> None:
    from yigang.evidence import uploads

    data = huge_png()
    assert len(data) < 200 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as exc:
            uploads.check(io.BytesIO(data), "现场.png")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "30000 × 30000 像素" in exc.value.messages[0]
    assert peak < 20 * MiB  # judged by its header, never decoded


def test_the_limit_is_a_setting(settings: Any) -> None:
    from yigang.evidence import uploads

    settings.UPLOAD_IMAGE_MAX_PIXELS = 64 * 48 - 1
    with pytest.raises(ValidationError):
        uploads.check(io.BytesIO(camera_jpeg()), "a.jpg")
    settings.UPLOAD_IMAGE_MAX_PIXELS = 64 * 48
    assert uploads.check(io.BytesIO(camera_jpeg()), "a.jpg").content_type == "image/jpeg"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\0" * 64,  # a PNG signature and nothing
        camera_jpeg()[:600],  # a photo cut off in the middle of its pixels
        b"\xff\xd8\xff\xe0" + b"\0" * 300,  # a JPEG marker and nothing
    ],
)
def test_an_image_that_does_not_decode_is_refused(data: bytes) -> None:
    from yigang.evidence import uploads

    with pytest.raises(ValidationError) as exc:
        uploads.check(io.BytesIO(data), "照片.jpg")
    assert "无法打开" in exc.value.messages[0] or "不是允许的类型" in exc.value.messages[0]


def test_the_checked_file_is_the_original_byte_for_byte() -> None:
    from yigang.evidence import uploads

    data = camera_jpeg()
    checked = uploads.check(io.BytesIO(data), "照片.jpg")
    assert checked.data == data
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- the clean copy


def test_the_copy_has_no_exif_no_gps_and_no_trailing_bytes() -> None:
    from yigang import images

    copy = images.reencode(camera_jpeg(), "image/jpeg")
    assert copy.content_type == "image/jpeg"
    assert b"Canon" not in copy.data and b"Exif" not in copy.data and TRAILER not in copy.data
    assert copy.data.endswith(b"\xff\xd9")  # nothing after the end of the image
    with Image.open(io.BytesIO(copy.data)) as image:
        assert image.size == (64, 48)
        assert not image.getexif()
        assert image.getpixel((5, 5))[2] > 150 and image.getpixel((60, 40))[0] > 150  # the same picture


def test_the_copy_is_turned_upright_by_the_orientation_it_drops() -> None:
    from yigang import images

    copy = images.reencode(camera_jpeg(orientation=6), "image/jpeg")  # 6: turn 90° clockwise to view
    with Image.open(io.BytesIO(copy.data)) as image:
        assert image.size == (48, 64)


def test_a_picture_with_transparency_stays_a_png_and_a_large_one_is_scaled() -> None:
    from yigang import images

    out = io.BytesIO()
    Image.new("RGBA", (5000, 100), (0, 0, 0, 0)).save(out, format="PNG")
    copy = images.reencode(out.getvalue(), "image/png")
    assert copy.content_type == "image/png"
    with Image.open(io.BytesIO(copy.data)) as image:
        assert image.size == (images.DISPLAY_MAX_SIDE, 82) and image.mode == "RGBA"


# ---------------------------------------------------------------- served from every place that keeps images


def _hazard_photo(world: Any, data: bytes) -> str:
    from yigang.hazards.actions import HazardData, Upload, report_hazard

    hazard, _ = report_hazard(
        town=world.town,
        data=HazardData(
            sector=world.sector,
            description="配电箱未上锁",
            address="镇区",
            found_on=datetime.date(2025, 4, 1),
            found_by="安委办",
            source="inspection",
            village=world.village,
            deadline=datetime.date(2025, 4, 30),
        ),
        photos=[Upload(io.BytesIO(data), "配电箱.jpg")],
        actor=world.users["officer"],
    )
    return reverse("hazards:photo", args=[hazard.photos.get().pk])


def _duty_attachment(world: Any, data: bytes) -> str:
    from yigang.duties.actions import RecordData, Upload, create_record

    record = create_record(
        town=world.town,
        data=RecordData(
            kind="inspection",
            occurred_at=datetime.datetime(2025, 3, 19, 9, 0, tzinfo=datetime.UTC),
            title="复查",
            place="镇区",
            summary="复查",
            participants="应急办",
            posts=[world.body_post],
        ),
        files=[Upload(io.BytesIO(data), "复查.jpg")],
        actor=world.users["officer"],
    )
    return reverse("duties:attachment", args=[record.attachments.get().pk])


def _accident_attachment(world: Any, data: bytes) -> str:
    from yigang.accidents.actions import ReportData, Upload, report_accident

    occurred = datetime.datetime(2025, 8, 1, 9, 0, tzinfo=datetime.UTC)
    accident = report_accident(
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
            village=world.village,
        ),
        files=[Upload(io.BytesIO(data), "现场.jpg")],
        actor=world.users["officer"],
    )
    return reverse("accidents:attachment", args=[accident.attachments.get().pk])


def _scan(world: Any, data: bytes) -> str:
    from yigang.signoff import actions

    scan = actions.attach_scan(
        confirmation=world.signoff.confirmation,
        upload=io.BytesIO(data),
        name="签字.jpg",
        actor=world.users["leader"],
    )
    return reverse("signoff:scan_file", args=[scan.pk])


PLACES: dict[str, Callable[[Any, bytes], str]] = {
    "hazard photo": _hazard_photo,
    "duty attachment": _duty_attachment,
    "accident attachment": _accident_attachment,
    "signoff scan": _scan,
}


@pytest.mark.parametrize("place", sorted(PLACES))
def test_pages_get_the_clean_copy_and_the_original_stays_as_uploaded(world: Any, place: str) -> None:
    data = camera_jpeg()
    url = PLACES[place](world, data)
    stored = [p for p in Path(world_media(world)).rglob("*.jpg") if p.read_bytes() == data]
    assert stored, "the original is kept as uploaded"
    for principal in ("officer", "leader", "county_viewer"):
        shown = world.client(principal).get(url)
        assert shown.status_code == 200, principal
        assert shown["Content-Type"] == "image/jpeg"
        assert b"Canon" not in shown.content and TRAILER not in shown.content, principal
        assert shown.content != data
    for principal in ("officer", "auditor"):
        original = world.client(principal).get(url, {"original": "1"})
        assert original.status_code == 200, principal
        assert original.content == data
        assert hashlib.sha256(original.content).hexdigest() == hashlib.sha256(data).hexdigest()
        assert original["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("principal", ["leader", "county_viewer", "body_staff"])
def test_the_original_is_refused_to_other_readers_and_the_refusal_is_audited(
    world: Any, principal: str
) -> None:
    from yigang.audit.models import AuditEntry

    url = _hazard_photo(world, camera_jpeg())
    before = AuditEntry.objects.filter(event="auth.permission_denied").count()
    response = world.client(principal).get(url, {"original": "1"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(event="auth.permission_denied").count() == before + 1


def test_the_copy_is_made_once_and_kept_by_the_originals_checksum(world: Any) -> None:
    data = camera_jpeg()
    url = _hazard_photo(world, data)
    first = world.client("officer").get(url).content
    kept = Path(world_media(world)) / "copies" / hashlib.sha256(data).hexdigest()[:2]
    assert [p.read_bytes() for p in kept.iterdir()] == [first]
    assert world.client("leader").get(url).content == first


def test_a_tampered_original_is_refused_not_copied(world: Any) -> None:
    from yigang.hazards.models import Photo

    data = camera_jpeg()
    url = _hazard_photo(world, data)
    photo = Photo.objects.order_by("-pk").first()
    Path(world_media(world), photo.file.name).write_bytes(data + b"x")
    assert world.client("officer").get(url).status_code == 409


def world_media(world: Any) -> str:
    from django.conf import settings

    return str(settings.MEDIA_ROOT)
