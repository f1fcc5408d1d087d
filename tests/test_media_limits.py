"""A picture's cost is bounded before it is decoded: a tiny PNG claiming 40 MP is refused from its header,
and a large phone photo is decoded at a reduced scale, so a few uploaders cannot starve everyone else."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from PIL import Image

from tests.conftest import csrf_token
from tests.helpers import deputies, import_roster, slug_of, write_roster

ROOT = Path(__file__).resolve().parent.parent

_MEASURE = """
import json, resource, sys, time
from intake.services.reception import media
data = open(sys.argv[1], "rb").read()
peak, cpu = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.process_time()
try:
    stored, _ = media.reencode(data)
    from PIL import Image
    import io
    outcome = list(Image.open(io.BytesIO(stored)).size)
except media.ImageRejected as rejected:
    outcome = rejected.reason
print(json.dumps({"outcome": outcome, "cpu": time.process_time() - cpu,
                  "grown_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024}))
"""


def _measure(path: Path) -> dict:
    """Re-encode in a fresh process, so its peak memory is the picture's alone."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], cwd=ROOT, capture_output=True, text=True,
                          check=True, timeout=120)
    return json.loads(done.stdout)


def _blank_png(width: int, height: int) -> bytes:
    """A black RGB PNG written row by row: 40 MP in about a hundred kilobytes, without holding the pixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + width * 3)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_a_small_png_claiming_40_megapixels_is_refused_before_decoding(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_blank_png(6300, 6300))
    assert bomb.stat().st_size < 200_000
    figures = _measure(bomb)
    assert figures["outcome"] == "too_many_pixels"
    assert figures["cpu"] < 0.2 and figures["grown_mb"] < 20, figures


def test_a_picture_too_large_for_the_decoder_to_open_is_told_as_too_large_not_as_no_picture(tmp_path):
    # 30000×30000 claimed in its header: Pillow refuses to open it at all (900 MP); the citizen is told the picture is
    # too large (图片尺寸太大了), not that it is no JPG or PNG.
    header = _blank_png(1, 1)
    huge = header[:16] + struct.pack(">II", 30000, 30000) + header[24:29]
    huge += struct.pack(">I", zlib.crc32(huge[12:29])) + header[33:]
    path = tmp_path / "huge.png"
    path.write_bytes(huge)
    assert _measure(path)["outcome"] == "too_many_pixels"


def test_a_large_photo_is_decoded_reduced_and_stored_at_a_readable_size(tmp_path):
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (6000, 4000), (120, 140, 90)).save(photo, format="JPEG", quality=70)
    figures = _measure(photo)
    assert figures["outcome"] == [2560, 1707]
    # Decoded at full size the picture alone is 72 MB, and re-encoding keeps two copies of it.
    assert figures["grown_mb"] < 60, figures


def test_a_png_costs_little_to_refuse_and_a_phone_photo_still_passes(tmp_path):
    """A PNG decodes whole (no reduced scale as a JPEG has): 84 KB of one colour at 5000×4999 took 1.5 s of the web
    worker. A PNG is a screenshot, a few megapixels; a larger one is refused from its header."""
    flat = tmp_path / "flat.png"
    flat.write_bytes(_blank_png(5000, 4999))
    figures = _measure(flat)
    assert figures["outcome"] == "png_too_many_pixels" and figures["cpu"] < 0.2, figures
    screenshot = tmp_path / "screenshot.png"
    screenshot.write_bytes(_blank_png(1440, 3200))
    assert _measure(screenshot)["outcome"] == [1152, 2560]
    photo = tmp_path / "photo.jpg"  # a 12 MP phone photo
    Image.effect_noise((500, 375), 60).convert("RGB").resize((4000, 3000)).save(photo, format="JPEG", quality=85)
    figures = _measure(photo)
    assert figures["outcome"] == [2560, 1920] and figures["cpu"] < 1.0, figures


def test_the_citizen_is_told_the_picture_is_too_large_in_pixels(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    client = app.test_client()
    token = csrf_token(client, f"/c/{slug}")
    refused = client.post(f"/api/chat/{slug}/image", data={"image": (io.BytesIO(_blank_png(6300, 6300)), "p.png")},
                          headers={"X-CSRFToken": token}, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "2500 万像素" in refused.get_json()["error"]
    refused = client.post(f"/api/chat/{slug}/image", data={"image": (io.BytesIO(_blank_png(5000, 4999)), "p.png")},
                          headers={"X-CSRFToken": token}, content_type="multipart/form-data")
    assert refused.status_code == 422 and "600 万像素" in refused.get_json()["error"]
