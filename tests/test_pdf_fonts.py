"""Every PDF we generate carries its fonts: a print shop without Chinese fonts prints what we saw."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pypdfium2

from intake.models import StaffRole
from qrcodes import pdf
from tests.conftest import skip_unless
from tests.helpers import add_staff, import_roster, sign_in_staff, write_roster


def _fonts(data: bytes, tmp_path) -> list[dict]:
    """pdffonts' table: one dict per font with its name and whether it is embedded."""
    skip_unless(shutil.which("pdffonts") is not None, "pdffonts (poppler-utils) is not installed")
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    header, rule, *rows = out.splitlines()
    emb = header.index("emb")
    return [{"name": row.split()[0], "embedded": row[emb:emb + 3].strip() == "yes"} for row in rows]


def test_every_generated_pdf_embeds_every_font(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "office", StaffRole.OFFICE, None)
    archive = zipfile.ZipFile(io.BytesIO(sign_in_staff(app, "office").get("/staff/qrcodes.zip").data))
    pdfs = {name: archive.read(name) for name in archive.namelist() if name.endswith(".pdf")}
    assert "王秀兰-青石街道人大代表联络站.pdf" in pdfs and "柳河镇人大代表联络站-代表二维码.pdf" in pdfs
    for name, data in pdfs.items():
        fonts = _fonts(data, tmp_path)
        assert fonts, name
        assert all(font["embedded"] for font in fonts), (name, fonts)


def test_the_poster_prints_its_middle_dot_and_chinese_from_the_embedded_font(tmp_path):
    data = pdf.poster([pdf.Card("王秀兰", "区", "青石街道人大代表联络站", "https://mashang.example.gov.cn/c/abc")])
    text = pypdfium2.PdfDocument(data)[0].get_textpage().get_text_range()
    assert "区人大代表 · 青石街道人大代表联络站" in text and "群众有事码上说 · 问题建议码上办" in text
    assert all(font["embedded"] for font in _fonts(data, tmp_path))
