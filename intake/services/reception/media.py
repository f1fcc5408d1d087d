"""Citizens' images: only JPEG and PNG, at most 5 MB, re-encoded so EXIF (and GPS location) is dropped."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before they exhaust memory
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


class ImageRejected(ValueError):
    """`reason`: too_large, not_image."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def reencode(data: bytes) -> tuple[bytes, str]:
    if len(data) > MAX_BYTES:
        raise ImageRejected("too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in FORMATS or probe.width * probe.height > MAX_PIXELS:
                raise ImageRejected("not_image" if kind not in FORMATS else "too_large")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            # Apply the camera's rotation, then save pixels only: no EXIF, no GPS, no comments.
            upright = ImageOps.exif_transpose(img)
            out = io.BytesIO()
            if kind == "JPEG":
                upright.convert("RGB").save(out, format="JPEG", quality=85)
            else:
                upright.save(out, format="PNG")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ImageRejected("not_image") from exc
    return out.getvalue(), FORMATS[kind]
