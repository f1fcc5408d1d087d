"""A4 posters (one deputy a page) and contact sheets (all deputies of a station) as PDF."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from qrcodes.render import LOGO_MAX_SHARE, Code, encode

INSTRUCTION = "微信或手机相机扫码，向代表反映问题和建议"
SLOGAN = "群众有事码上说 · 问题建议码上办"
RED = (0.70, 0.15, 0.12)


@dataclass(frozen=True)
class Card:
    """What a poster or contact-sheet cell shows about one deputy."""

    name: str
    level: str
    station: str
    link: str  # what the code carries
    printed_link: str | None = None  # what is printed under it for people who cannot scan, if different

    @property
    def readable_link(self) -> str:
        return self.printed_link or self.link


# A TrueType face embedded (as a subset of the glyphs used) in every PDF: a CID font such as STSong-Light
# is left to the viewer, and printers without a Chinese font print boxes.
BUNDLED_FONT = Path(__file__).parent / "fonts" / "wqy-microhei-gb2312.ttf"
FULL_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # Debian's fonts-wqy-microhei, if installed


@lru_cache(maxsize=1)
def _bundled() -> str:
    pdfmetrics.registerFont(TTFont("MicroHei", str(BUNDLED_FONT)))
    return "MicroHei"


@lru_cache(maxsize=1)
def _full() -> str | None:
    if not FULL_FONT.exists():
        return None
    pdfmetrics.registerFont(TTFont("MicroHeiFull", str(FULL_FONT), subfontIndex=0))
    return "MicroHeiFull"


def _font(text: str = "") -> str:
    """The bundled face, or the full one for a rare character (a name outside GB 2312) when it is there."""
    bundled = _bundled()
    covered = pdfmetrics.getFont(bundled).face.charToGlyph
    if all(ord(char) in covered for char in text):
        return bundled
    return _full() or bundled


def _draw_code(canvas: Canvas, code: Code, x: float, y: float, width: float, logo: Image.Image | None = None) -> None:
    """Vector modules (sharp at any printer resolution); (x, y) is the lower-left corner, quiet zone included."""
    module = width / code.size
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, width, width, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(code.matrix):
        top = y + width - (r + 1) * module
        c = 0
        while c < code.size:
            if row[c]:
                start = c
                while c < code.size and row[c]:
                    c += 1
                # Overlap by a hair so that no white seams appear between adjacent runs.
                canvas.rect(x + start * module, top, (c - start) * module, module * 1.02, stroke=0, fill=1)
            else:
                c += 1
    if logo is not None:
        box = code.symbol_modules * module * LOGO_MAX_SHARE
        mark = logo.convert("RGBA")
        mark.thumbnail((1000, 1000))
        scale = box / max(mark.size)
        w, h = mark.width * scale, mark.height * scale
        pad = module
        cx, cy = x + width / 2, y + width / 2
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(cx - w / 2 - pad, cy - h / 2 - pad, w + 2 * pad, h + 2 * pad, stroke=0, fill=1)
        canvas.drawImage(ImageReader(mark), cx - w / 2, cy - h / 2, w, h, mask="auto")
        canvas.setFillColorRGB(0, 0, 0)


def _centered(canvas: Canvas, text: str, y: float, size: float, color=(0, 0, 0)) -> None:
    canvas.setFillColorRGB(*color)
    canvas.setFont(_font(text), size)
    canvas.drawCentredString(A4[0] / 2, y, text)
    canvas.setFillColorRGB(0, 0, 0)


def _poster_page(canvas: Canvas, card: Card, logo: Image.Image | None) -> None:
    width, height = A4
    canvas.setFillColorRGB(*RED)
    canvas.rect(0, height - 4 * cm, width, 4 * cm, stroke=0, fill=1)
    _centered(canvas, "码上说", height - 2.3 * cm, 30, (1, 1, 1))
    _centered(canvas, SLOGAN, height - 3.3 * cm, 14, (1, 1, 1))
    _centered(canvas, card.name, height - 6.3 * cm, 34)
    _centered(canvas, f"{card.level}人大代表 · {card.station}", height - 7.5 * cm, 15)
    code = encode(card.link, logo=logo is not None)
    side = 11 * cm  # the symbol itself is well over 4 cm; the quiet zone is inside this square
    _draw_code(canvas, code, (width - side) / 2, height - 8.3 * cm - side, side, logo)
    _centered(canvas, INSTRUCTION, height - 9.2 * cm - side, 17)
    _centered(canvas, "不方便扫码？在浏览器中输入：", height - 10.4 * cm - side, 12, (0.35, 0.35, 0.35))
    canvas.setFont(_font(), 13)
    canvas.drawCentredString(width / 2, height - 11.2 * cm - side, card.readable_link)


def poster(cards: Iterable[Card], logo: bytes | None = None) -> bytes:
    """One A4 page per deputy."""
    logo_img = Image.open(io.BytesIO(logo)) if logo is not None else None
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1, initialFontName=_font())
    canvas.setTitle("码上说 代表二维码")
    for card in cards:
        _poster_page(canvas, card, logo_img)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


COLUMNS, ROWS = 3, 4


def contact_sheet(station: str, cards: list[Card], logo: bytes | None = None) -> bytes:
    """All deputies of one station, twelve to an A4 page, name under each code, for bulk printing."""
    logo_img = Image.open(io.BytesIO(logo)) if logo is not None else None
    width, height = A4
    margin = 1.2 * cm
    cell_w = (width - 2 * margin) / COLUMNS
    cell_h = (height - 3 * cm - margin) / ROWS
    side = min(cell_w - 0.6 * cm, cell_h - 1.6 * cm)  # about 5.6 cm with the quiet zone
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1, initialFontName=_font())
    canvas.setTitle(f"{station} 代表二维码")
    per_page = COLUMNS * ROWS
    pages = max(1, -(-len(cards) // per_page))
    for page in range(pages):
        _centered(canvas, f"{station}  代表二维码（第{page + 1}/{pages}页）", height - 1.8 * cm, 14)
        for index, card in enumerate(cards[page * per_page:(page + 1) * per_page]):
            col, row = index % COLUMNS, index // COLUMNS
            left = margin + col * cell_w
            top = height - 3 * cm - row * cell_h
            code = encode(card.link, logo=logo_img is not None)
            _draw_code(canvas, code, left + (cell_w - side) / 2, top - side, side, logo_img)
            label = f"{card.name}（{card.level}人大代表）"
            canvas.setFont(_font(label), 12)
            canvas.drawCentredString(left + cell_w / 2, top - side - 0.5 * cm, label)
            canvas.setFont(_font(), 7)
            canvas.drawCentredString(left + cell_w / 2, top - side - 0.9 * cm, card.readable_link)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
