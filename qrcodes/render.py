"""One QR code as a PNG or SVG, at print quality."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M
from qrcode.image.svg import SvgPathFillImage

QUIET_ZONE = 4  # modules of white around the symbol, as the standard asks
PRINT_DPI = 300
MIN_SYMBOL_CM = 4.0
LOGO_MAX_SHARE = 0.25  # of the symbol's width; level H restores what the logo covers


@dataclass(frozen=True)
class Code:
    """The module grid of one link: True is a dark module; the quiet zone is included."""

    link: str
    version: int
    level: str
    matrix: list[list[bool]]

    @property
    def size(self) -> int:
        return len(self.matrix)

    @property
    def symbol_modules(self) -> int:
        return self.size - 2 * QUIET_ZONE


def encode(link: str, *, logo: bool = False) -> Code:
    level = ERROR_CORRECT_H if logo else ERROR_CORRECT_M
    qr = qrcode.QRCode(error_correction=level, border=QUIET_ZONE)
    qr.add_data(link)
    qr.make(fit=True)
    return Code(link, qr.version, "H" if logo else "M", qr.get_matrix())


def print_pixels_per_module(code: Code, dpi: int = PRINT_DPI, symbol_cm: float = MIN_SYMBOL_CM) -> int:
    """Whole pixels per module so that the symbol is at least `symbol_cm` wide at `dpi`."""
    return math.ceil(symbol_cm / 2.54 * dpi / code.symbol_modules)


def image(code: Code, pixels_per_module: int, logo: Image.Image | None = None) -> Image.Image:
    side = code.size * pixels_per_module
    img = Image.new("L", (code.size, code.size), 255)
    img.putdata([0 if dark else 255 for row in code.matrix for dark in row])
    img = img.resize((side, side), Image.NEAREST).convert("RGB")
    if logo is not None:
        _place_logo(img, code, pixels_per_module, logo)
    return img


def _place_logo(img: Image.Image, code: Code, pixels_per_module: int, logo: Image.Image) -> None:
    symbol_px = code.symbol_modules * pixels_per_module
    box = int(symbol_px * LOGO_MAX_SHARE)
    mark = logo.convert("RGBA")
    mark.thumbnail((box, box))
    # A white pad around the logo keeps its edge from blurring into the modules next to it.
    pad = max(pixels_per_module, 2)
    backing = Image.new("RGB", (mark.width + 2 * pad, mark.height + 2 * pad), "white")
    backing.paste(mark, (pad, pad), mark)
    if backing.width > box or backing.height > box:
        backing.thumbnail((box, box))
    img.paste(backing, ((img.width - backing.width) // 2, (img.height - backing.height) // 2))


def png(link: str, *, pixels_per_module: int | None = None, logo: bytes | None = None, dpi: int = PRINT_DPI) -> bytes:
    code = encode(link, logo=logo is not None)
    ppm = pixels_per_module or print_pixels_per_module(code, dpi)
    logo_img = Image.open(io.BytesIO(logo)) if logo is not None else None
    out = io.BytesIO()
    image(code, ppm, logo_img).save(out, format="PNG", dpi=(dpi, dpi), optimize=True)
    return out.getvalue()


def svg(link: str) -> bytes:
    """A vector code on a filled white background (a transparent one vanishes on dark paper)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, image_factory=SvgPathFillImage)
    qr.add_data(link)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image().save(out)
    return out.getvalue()
