"""The citizen page in a real phone-sized Chromium: a whole conversation, from greeting to status query."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import ARTIFACTS, skip_unless
from tests.helpers import deputies, import_roster, slug_of, write_roster

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "user_agent": "Mozilla/5.0 (Linux; Android 10; MI 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.40"}


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser():
    skip_unless(CHROMIUM.exists(), "Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--lang=zh-CN"],
        )
        # Every page is seen as a Chinese phone sees it (navigator.language, Accept-Language) unless a test says
        # otherwise; the pages themselves must not rely on it: this Chromium draws its own controls in English.
        new_context = browser.new_context
        browser.new_context = lambda **options: new_context(**{"locale": "zh-CN", **options})
        yield browser
        browser.close()


def screenshot(page, path) -> None:
    """A screenshot once the page has settled; Chromium refuses one taken mid-navigation, so try again once."""
    from playwright.sync_api import Error

    page.wait_for_load_state("load")
    try:
        page.screenshot(path=str(path))
    except Error:
        page.wait_for_timeout(500)
        page.screenshot(path=str(path))


def _say(page, text: str) -> str:
    count = page.locator(".bubble.bot").count()
    page.fill("#text", text)
    page.click("button[type=submit]")
    # The reply bubbles appear after the request returns; wait for the first new one.
    page.locator(".bubble.bot").nth(count).wait_for()
    page.wait_for_load_state("networkidle")
    return page.locator(".bubble.bot").last.inner_text()


@pytest.mark.browser
def test_a_whole_conversation_on_a_phone(app, live_server, browser, tmp_path, request):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    page = browser.new_context(**PHONE).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"citizen-chat-{request.node.callspec.id}.png"

    page.goto(f"{live_server}/c/{slug}")
    assert "王秀兰" in page.inner_text("header")
    assert "请说说您遇到的问题" in page.locator(".bubble.bot").first.inner_text()

    follow_up = _say(page, "路灯坏了<img src=x onerror=alert(1)>")
    assert "什么地方" in follow_up
    assert "<img src=x onerror=alert(1)>" in page.locator(".bubble.me").last.inner_text()
    assert page.locator(".log img").count() == 0
    assert page.input_value("#text") == ""

    assert "手机号" in _say(page, "在青石街道幸福小区东门，晚上一片漆黑 😀")
    # Thanked, the offer is asked again as first asked: its numbered choices, one a line.
    again = _say(page, "谢谢")
    assert "不客气" in again and "1. 留手机号\n2. 不留" in again, again
    screenshot(page, ARTIFACTS / f"citizen-chat-asked-again-{request.node.callspec.id}.png")
    _say(page, "不留")
    receipt_text = page.locator(".bubble.bot", has_text="回执号：MS-").last.inner_text()
    # Last comes the private progress page, once, as a link the citizen can tap.
    assert "/p/" in page.locator(".bubble.bot").last.locator("a").get_attribute("href")
    assert page.locator(".bubble.bot a").count() == 1 and "/p/" not in page.inner_text("#log")
    receipt = receipt_text.split("回执号：")[1][:16]

    status = _say(page, f"查询 {receipt}")
    assert receipt in status and "已收到" in status
    screenshot(page, shot)

    # A photo from the phone: uploaded, re-encoded, acknowledged.
    photo = tmp_path / "photo.jpg"
    from PIL import Image

    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo, format="JPEG")
    count = page.locator(".bubble.bot").count()
    page.set_input_files("#photo", str(photo))
    page.locator(".bubble.bot").nth(count).wait_for()
    assert "图片已收到" in page.locator(".bubble.bot").nth(count).inner_text()
    assert errors == []


@pytest.mark.browser
def test_a_letter_too_long_for_one_message_is_explained_and_stays_in_the_box(app, live_server, browser, tmp_path):
    import_roster(app, write_roster(tmp_path))
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{live_server}/c/{slug_of(deputies(app)[0])}")
    letter = "金桂园小区的电梯从三月以来频繁故障，多次困人，物业推诿。" * 80  # 2,240 characters, pasted at once
    page.click("#text")
    page.keyboard.insert_text(letter)
    count = page.locator(".bubble.bot").count()
    page.click("button[type=submit]")
    page.locator(".bubble.bot").nth(count).wait_for()
    assert f"（{len(letter)} 字）" in page.locator(".bubble.bot").last.inner_text()
    assert page.input_value("#text") == letter  # nothing cut off on the way, ready to be split and sent
    assert page.locator(".bubble.me").count() == 0  # and not shown in the conversation as if it had been sent
