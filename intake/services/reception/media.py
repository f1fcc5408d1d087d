"""Citizens' images: only JPEG and PNG, at most 5 MB, re-encoded so EXIF (and GPS location) is dropped."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
# Refused from the header, before any pixel is decoded: a 25 MP picture decodes to 100 MB, and a few
# kilobytes of PNG can claim far more (a decompression bomb). A phone's 24 MP photo still passes.
MAX_PIXELS = 25_000_000
# A PNG has no reduced-scale decoding: every pixel is inflated and filtered (84 KB of one colour at 25 MP took
# 1.5 s of a web worker). PNGs citizens send are screenshots: a phone's 1440×3200 or a tablet's 2048×2732 passes.
MAX_PNG_PIXELS = 6_000_000
# Longest side kept: enough to read a street sign on a phone or a printed page, a fraction of the bytes.
MAX_SIDE = 2560
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


class ImageRejected(ValueError):
    """`reason`: too_large (bytes), too_many_pixels, png_too_many_pixels, not_image."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _fitted(width: int, height: int) -> tuple[int, int]:
    scale = min(1.0, MAX_SIDE / max(width, height))
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


def reencode(data: bytes) -> tuple[bytes, str]:
    if len(data) > MAX_BYTES:
        raise ImageRejected("too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in FORMATS:
                raise ImageRejected("not_image")
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRejected("too_many_pixels")
            if kind == "PNG" and probe.width * probe.height > MAX_PNG_PIXELS:
                raise ImageRejected("png_too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            if kind == "JPEG":
                # The decoder scales by 1/2, 1/4 or 1/8 while decoding: a large photo never exists in memory
                # at full size.
                img.draft("RGB", _fitted(img.width, img.height))
            # Apply the camera's rotation, then save pixels only: no EXIF, no GPS, no comments.
            upright = ImageOps.exif_transpose(img)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if kind == "JPEG":
                upright.convert("RGB").save(out, format="JPEG", quality=85)
            else:
                upright.save(out, format="PNG")
    except Image.DecompressionBombError as exc:  # too many pixels for Pillow to open at all: a picture, far too large
        raise ImageRejected("too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ImageRejected("not_image") from exc
    return out.getvalue(), FORMATS[kind]
