"""QR codes decode, with an independent decoder, to exactly the deputy's link in every format and size."""

from __future__ import annotations

import io
import math
import re
import zipfile

import cairosvg
import pypdfium2
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from sqlalchemy import select

from intake.models import ScanCount
from intake.services.reception import links
from qrcodes import bundle, pdf, render
from tests.helpers import deputies, import_roster, saved_as, slug_of, write_roster

LINK = "https://mashang.example.gov.cn/c/" + "k" * links.SLUG_LENGTH


def decoded(img: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(img)]


def pdf_pages(data: bytes, dpi: float) -> list[Image.Image]:
    return [page.render(scale=dpi / 72).to_pil() for page in pypdfium2.PdfDocument(data)]


@pytest.fixture(scope="module")
def logo() -> bytes:
    img = Image.new("RGB", (200, 200), (179, 38, 30))
    ImageDraw.Draw(img).ellipse((30, 30, 170, 170), fill=(255, 215, 0))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def test_png_prints_at_300_dpi_with_whole_pixels_per_module_and_decodes():
    img = Image.open(io.BytesIO(render.png(LINK)))
    code = render.encode(LINK)
    assert round(img.info["dpi"][0]) == 300
    assert img.width % code.size == 0, "a whole number of pixels per module"
    symbol_cm = img.width / code.size * code.symbol_modules / 300 * 2.54
    assert symbol_cm >= 4.0
    assert decoded(img) == [LINK]


@pytest.mark.parametrize("with_logo", [False, True])
def test_minimum_size_at_two_pixels_per_module_decodes(with_logo, logo):
    img = Image.open(io.BytesIO(render.png(LINK, pixels_per_module=2, logo=logo if with_logo else None)))
    assert decoded(img) == [LINK]


def test_logo_uses_level_h_and_covers_at_most_a_quarter_of_the_width(logo):
    assert render.encode(LINK, logo=True).level == "H"
    assert render.encode(LINK).level == "M"
    plain = Image.open(io.BytesIO(render.png(LINK, pixels_per_module=10))).convert("RGB")
    marked = Image.open(io.BytesIO(render.png(LINK, pixels_per_module=10, logo=logo))).convert("RGB")
    assert decoded(marked) == [LINK]
    coloured = [x for x in range(marked.width) if marked.getpixel((x, marked.height // 2)) not in ((0, 0, 0), (255, 255, 255))]
    symbol_px = render.encode(LINK, logo=True).symbol_modules * 10
    assert coloured and (max(coloured) - min(coloured) + 1) <= 0.25 * symbol_px
    assert plain.size != marked.size or plain.tobytes() != marked.tobytes()


@pytest.mark.parametrize("pixels_per_module", [2, 8])
def test_svg_has_a_white_background_and_decodes_when_rendered(pixels_per_module):
    data = render.svg(LINK)
    assert b'fill="white"' in data
    size = render.encode(LINK).size * pixels_per_module
    png = cairosvg.svg2png(bytestring=data, output_width=size, output_height=size)
    assert decoded(Image.open(io.BytesIO(png))) == [LINK]


@pytest.mark.parametrize("with_logo", [False, True])
def test_poster_pdf_decodes_and_prints_the_link(with_logo, logo):
    card = pdf.Card("王秀兰", "区", "青石街道人大代表联络站", LINK)
    data = pdf.poster([card], logo=logo if with_logo else None)
    document = pypdfium2.PdfDocument(data)
    width_pt, height_pt = document[0].get_size()
    assert (round(width_pt), round(height_pt)) == (595, 842), "A4"
    text = document[0].get_textpage().get_text_range()
    assert LINK in text
    for dpi in (150, 72):
        assert decoded(pdf_pages(data, dpi)[0]) == [LINK]


def test_contact_sheet_holds_every_deputy_of_a_station_twelve_to_a_page():
    cards = [pdf.Card(f"代表{i}", "区", "青石站", f"{LINK[:-2]}{i:02d}") for i in range(14)]
    pages = pdf_pages(pdf.contact_sheet("青石站", cards), dpi=150)
    assert len(pages) == 2
    found = sorted(text for page in pages for text in decoded(page))
    assert found == sorted(card.link for card in cards)


def test_contact_sheet_at_two_pixels_per_module_decodes():
    cards = [pdf.Card("王秀兰", "区", "青石站", LINK)]
    data = pdf.contact_sheet("青石站", cards)
    side_cm = 5.0  # the smallest code we print is well above 4 cm; find the dpi giving ~2 px per module
    dpi = 2 * render.encode(LINK).size / (side_cm / 2.54)
    assert decoded(pdf_pages(data, math.ceil(dpi))[0]) == [LINK]


def test_decoded_link_opens_that_deputys_chat_page(app, client, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang = deputies(app)[0]
    img = Image.open(io.BytesIO(render.png(wang["link"])))
    (link,) = decoded(img)
    assert link == wang["link"]
    page = client.get(link.removeprefix("http://mashang.test"))
    assert page.status_code == 200 and "王秀兰" in page.get_data(as_text=True)


def test_slugs_are_random_long_enough_and_unrelated_to_the_deputy():
    assert links.SLUG_LENGTH * math.log2(len(links.SLUG_ALPHABET)) >= 64
    many = {links.new_slug() for _ in range(20000)}
    assert len(many) == 20000
    assert all(len(s) == links.SLUG_LENGTH and set(s) <= set(links.SLUG_ALPHABET) for s in many)


def test_revoke_and_rotate(app, client, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang = deputies(app)[0]
    old = slug_of(wang)
    cli = app.test_cli_runner()

    rotated = cli.invoke(args=["qrcodes", "rotate", str(wang["id"])])
    assert rotated.exit_code == 0, rotated.output
    new = slug_of(deputies(app)[0])
    assert new != old and new in rotated.output
    assert client.get(f"/c/{new}").status_code == 200
    gone = client.get(f"/c/{old}")
    assert gone.status_code == 410 and "青石街道人大代表联络站" in gone.get_data(as_text=True)

    assert cli.invoke(args=["qrcodes", "revoke", str(wang["id"])]).exit_code == 0
    assert client.get(f"/c/{new}").status_code == 410
    assert deputies(app)[0]["link"] is None
    assert cli.invoke(args=["qrcodes", "revoke", "999"]).exit_code == 1


def test_scans_are_counted_per_deputy_per_day_and_nothing_else(app, client, runtime, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang, li, _ = deputies(app)
    for _ in range(3):
        client.get(f"/c/{slug_of(wang)}")
    client.get(f"/c/{slug_of(li).upper()}")
    with runtime.sessions() as session:
        counts = {row.deputy_id: row.count for row in session.scalars(select(ScanCount))}
    assert counts == {wang["id"]: 3, li["id"]: 1}
    assert set(ScanCount.__table__.columns.keys()) == {"deputy_id", "day", "count"}


def test_generate_command_writes_every_format_and_contact_sheets(app, tmp_path, logo):
    import_roster(app, write_roster(tmp_path))
    logo_path = tmp_path / "logo.png"
    logo_path.write_bytes(logo)
    out = tmp_path / "codes"
    result = app.test_cli_runner().invoke(args=["qrcodes", "generate", "--out", str(out), "--logo", str(logo_path)])
    assert result.exit_code == 0, result.output
    assert "3 位代表，2 份联络站汇总页" in result.output
    listed = {d["id"]: d["link"] for d in deputies(app)}
    for number, link in listed.items():
        assert decoded(Image.open(out / f"{number:04d}-{['王秀兰', '李建国', '张桂芳'][number - 1]}.png")) == [link]
    posters = {"王秀兰-青石街道人大代表联络站.pdf", "李建国-青石街道人大代表联络站.pdf", "张桂芳-柳河镇人大代表联络站.pdf"}
    assert posters <= {p.name for p in out.iterdir()} and len(list(out.glob("*.svg"))) == 3
    sheet_links = sorted(t for f in out.glob("*-代表二维码.pdf") for p in pdf_pages(f.read_bytes(), 150) for t in decoded(p))
    assert sheet_links == sorted(listed.values())

    subset = app.test_cli_runner().invoke(args=["qrcodes", "generate", "--out", str(tmp_path / "one"),
                                                "--deputy", "2", "--format", "png"])
    assert subset.exit_code == 0 and [p.name for p in (tmp_path / "one").iterdir()] == ["0002-李建国.png"]


def test_bundle_file_names_cannot_leave_the_folder():
    entry = bundle.Entry(7, pdf.Card("../../etc/passwd 王", "区", "站", LINK))
    assert entry.stem == "0007-etcpasswd王"


def test_staff_download_codes_only_for_their_station(app, tmp_path):
    from intake.models import StaffRole
    from tests.helpers import add_staff, sign_in_staff

    import_roster(app, write_roster(tmp_path))
    wang, li, zhang = deputies(app)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    add_staff(app, "admin", StaffRole.ADMIN, None)
    staff = sign_in_staff(app, "qingshi")
    bundled = staff.get("/staff/qrcodes.zip")
    # Named in Chinese, as every download is (it was saved as qrcodes.zip): the station's codes, by its name.
    assert saved_as(bundled) == ("qrcodes.zip", "青石街道人大代表联络站-代表二维码.zip")
    assert saved_as(sign_in_staff(app, "admin").get("/staff/qrcodes.zip")) == ("qrcodes.zip", "代表二维码.zip")
    archive = zipfile.ZipFile(io.BytesIO(bundled.data))
    names = set(archive.namelist())
    assert {"0001-王秀兰.png", "李建国-青石街道人大代表联络站.pdf", "青石街道人大代表联络站-代表二维码.pdf"} <= names
    assert not any("张桂芳" in n for n in names)
    assert decoded(Image.open(io.BytesIO(archive.read("0001-王秀兰.png")))) == [wang["link"]]
    page = staff.get("/staff/deputies").get_data(as_text=True)
    assert "王秀兰" in page and "张桂芳" not in page
    own = staff.get(f"/staff/deputies/{li['id']}/qrcode.png")
    assert own.status_code == 200 and decoded(Image.open(io.BytesIO(own.data))) == [li["link"]]
    plain, full = saved_as(own)  # 0002-李建国.png, and in ASCII not 0002-.png
    assert re.fullmatch(r"qrcode-\d{4}\.png", plain) and full == f"{plain[7:11]}-李建国.png", (plain, full)
    assert staff.get(f"/staff/deputies/{zhang['id']}/qrcode.png").status_code == 404
    assert staff.get(f"/staff/deputies/{li['id']}/qrcode.exe").status_code == 404


def test_wechat_account_codes_are_fetched_once_and_drawn_at_print_quality(tmp_path, database_url, redis_conn,
                                                                         redis_url, wechat_standin):
    from tests.conftest import build_app, make_settings

    base, calls, _ = wechat_standin
    app = build_app(make_settings(tmp_path, database_url, redis_url, WECHAT_APPID="wx0123456789abcdef",
                                  WECHAT_APPSECRET="secret", WECHAT_API_BASE=base))
    try:
        import_roster(app, write_roster(tmp_path))
        slugs = [slug_of(d) for d in deputies(app)]
        for _ in range(2):
            result = app.test_cli_runner().invoke(args=["qrcodes", "generate", "--wechat", "--out",
                                                        str(tmp_path / "wx"), "--format", "png,pdf"])
            assert result.exit_code == 0, result.output
        assert calls == {"token": 1, "qrcode": 3, "media": 0}, "tickets and the token are kept, not fetched again"
        assert decoded(Image.open(tmp_path / "wx" / "0001-王秀兰.png")) == [f"http://weixin.qq.com/q/{slugs[0]}"]
        poster = (tmp_path / "wx" / "王秀兰-青石街道人大代表联络站.pdf").read_bytes()
        text = pypdfium2.PdfDocument(poster)[0].get_textpage().get_text_range()
        assert f"/c/{slugs[0]}" in text, "the typed link under the code stays the short citizen link"
    finally:
        app.extensions["mashang"].close()


def test_wechat_codes_need_credentials(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["qrcodes", "generate", "--wechat", "--out", str(tmp_path)])
    assert result.exit_code != 0 and "WECHAT_APPID" in result.output


@pytest.mark.parametrize("base_url, unreachable", [
    ("http://127.0.0.1:5000", True), ("http://localhost:5000", True), ("http://[::1]:5000", True),
    ("http://192.168.1.20:5000", True), ("http://10.0.0.5", True), ("http://0.0.0.0:5000", True),
    ("http://mashang-server:5000", True),
    ("https://mashang.example.gov.cn", False), ("http://mashang.test", False), ("http://202.96.128.86", False),
])
def test_which_addresses_phones_cannot_reach(base_url, unreachable):
    from intake.services.console.qr import phones_cannot_reach

    assert phones_cannot_reach(base_url) is unreachable


def test_codes_on_this_machines_address_are_flagged_before_they_are_printed(tmp_path, database_url, redis_conn,
                                                                          redis_url):
    """A district's first start without BASE_URL: the codes carry http://127.0.0.1:5000, which no citizen's phone
    opens. The clerk is told on the page the codes are downloaded from, and the command says it too."""
    from intake.models import StaffRole
    from tests.conftest import build_app, make_settings
    from tests.helpers import add_staff, sign_in_staff

    local = build_app(make_settings(tmp_path, database_url, redis_url, BASE_URL="http://127.0.0.1:5000"))
    try:
        import_roster(local, write_roster(tmp_path))
        add_staff(local, "chief", StaffRole.ADMIN, None)
        page = sign_in_staff(local, "chief").get("/staff/deputies").get_data(as_text=True)
        assert "二维码里的地址是 http://127.0.0.1:5000，群众的手机打不开" in page
        printed = local.test_cli_runner().invoke(args=["qrcodes", "generate", "--out", str(tmp_path / "codes"),
                                                       "--format", "png"])
        assert printed.exit_code == 0 and "二维码里的地址是 http://127.0.0.1:5000，群众的手机打不开" in printed.output
    finally:
        local.extensions["mashang"].close()


def test_codes_on_the_public_address_carry_no_warning(app, tmp_path):
    from intake.models import StaffRole
    from tests.helpers import add_staff, sign_in_staff

    import_roster(app, write_roster(tmp_path))
    add_staff(app, "chief", StaffRole.ADMIN, None)
    assert "群众的手机打不开" not in sign_in_staff(app, "chief").get("/staff/deputies").get_data(as_text=True)
    printed = app.test_cli_runner().invoke(args=["qrcodes", "generate", "--out", str(tmp_path / "codes"),
                                                 "--format", "png"])
    assert printed.exit_code == 0 and "群众的手机打不开" not in printed.output
