"""Photos and scans as images: the original is the evidence, a clean copy is what people look at.

- `check_image` — an uploaded image must decode completely with the decoder of the type its content names
  (a PNG is read as a PNG, nothing else), and stay within `UPLOAD_IMAGE_MAX_PIXELS` (width × height, 60
  million by default: a 48-megapixel phone photo passes; a 30000 × 30000 PNG of 109 KB, which would take a
  worker 2.7 GB to open, does not). The size is read from the header before any pixel is decoded.
- `display_copy` — what pages, exports and the accountability file show: the image re-encoded from its pixels
  alone (turned upright by its EXIF orientation first), so no EXIF (camera make, GPS position, time), no
  embedded text or colour-profile chunks and no bytes after the image's end survive; at most
  `DISPLAY_MAX_SIDE` pixels along its longer side. A JPEG, WebP or any photo without transparency becomes a
  JPEG, a picture with transparency a PNG — both kinds every browser and Word show. The copy is made once and
  kept under MEDIA_ROOT/copies/, named by the SHA-256 of the original it comes from.

The stored original is never changed: its SHA-256 stays the one taken at upload, and the 安委办 and the audit
administrator download it as it came (`?original=1` on the file's address).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_PIXELS = 60_000_000
DISPLAY_MAX_SIDE = 4096
JPEG_QUALITY = 88

# The Pillow decoder for each image type an upload may be (the type read from the content by `filetype`).
DECODERS: dict[str, str] = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}

_BROKEN = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError)


def max_pixels() -> int:
    return int(getattr(settings, "UPLOAD_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


class ImageRefused(ValidationError):
    """The image does not decode or is too large; the message says so in Chinese, naming the file."""


def _open(data: bytes, mime: str) -> Image.Image:
    decoder = DECODERS.get(mime)
    if decoder is None:
        raise UnidentifiedImageError(mime)
    return Image.open(io.BytesIO(data), formats=[decoder])


def check_image(data: bytes, mime: str, shown: str) -> tuple[int, int]:
    """Refuse `data` unless it decodes fully as `mime` within the pixel limit; return (width, height)."""
    limit = max_pixels()
    broken = ImageRefused(f"图片“{shown}”无法打开（文件已损坏、不完整或不是真正的图片），未保存。")

    def too_large(size: str | None) -> ImageRefused:
        said = f"为 {size} 像素" if size else "像素过多"
        return ImageRefused(
            f"图片“{shown}”{said}，超过上限（{limit // 1_000_000} 百万像素），"
            "可能是恶意构造的文件，已拒绝。手机照片远小于此。"
        )

    with warnings.catch_warnings():
        # Pillow's own bomb warning is a RuntimeWarning; our limit is lower and said in Chinese.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with _open(data, mime) as img:
                width, height = img.size
                if width * height > limit:
                    raise too_large(f"{width} × {height}")
                if width < 1 or height < 1:
                    raise broken
                img.load()
        except ImageRefused:
            raise
        except Image.DecompressionBombError:
            # Over twice Pillow's own limit, open() itself refuses before we see the size: read it from the
            # header the way Pillow does not (PNG's IHDR; other types say only "too many").
            raise too_large(_header_size(data)) from None
        except _BROKEN:
            raise broken from None
    return width, height


def _header_size(data: bytes) -> str | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return f"{int.from_bytes(data[16:20], 'big')} × {int.from_bytes(data[20:24], 'big')}"
    return None


@dataclass(frozen=True)
class Copy:
    data: bytes
    content_type: str
    extension: str


def reencode(data: bytes, mime: str) -> Copy:
    """The image rebuilt from its pixels alone (see the module's docstring). Raises ValueError if it does not
    decode (an image stored before uploads were decoded, or of a type Pillow cannot read)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with _open(data, mime) as img:
                if img.width * img.height > max_pixels():
                    raise ValueError("too many pixels")
                upright = ImageOps.exif_transpose(img) or img
                upright.thumbnail((DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE))
                alpha = upright.mode in ("RGBA", "LA", "PA") or (
                    upright.mode == "P" and "transparency" in upright.info
                )
                pixels = upright.convert("RGBA" if alpha else "RGB")
        except _BROKEN as exc:
            raise ValueError(str(exc)) from None
    # A new image of the same pixels carries no `info` at all: no EXIF, XMP, ICC, text chunks, comments.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if alpha:
        clean.save(out, format="PNG", optimize=False)
        return Copy(out.getvalue(), "image/png", "png")
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return Copy(out.getvalue(), "image/jpeg", "jpg")


def is_image(content_type: str) -> bool:
    return content_type.startswith("image/")


def display_copy(data: bytes, mime: str, sha256: str) -> Copy:
    """The clean copy of an original whose bytes `data` (already checked against `sha256`) are given: read
    from MEDIA_ROOT/copies/ when made before, else made and kept there. Raises ValueError as `reencode`."""
    for extension, content_type in (("jpg", "image/jpeg"), ("png", "image/png")):
        path = f"copies/{sha256[:2]}/{sha256}.{extension}"
        if default_storage.exists(path):
            with default_storage.open(path, "rb") as handle:
                return Copy(handle.read(), content_type, extension)
    made = reencode(data, mime)
    path = f"copies/{sha256[:2]}/{sha256}.{made.extension}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(made.data))
    return made
