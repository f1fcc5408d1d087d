"""The citizen page in a real phone-sized Chromium: type, send, get a receipt."""

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
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.mark.browser
def test_citizen_sends_a_message_from_a_phone(app, live_server, browser, tmp_path, request):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    page = browser.new_context(**PHONE).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))

    page.goto(f"{live_server}/c/{slug}")
    assert "王秀兰" in page.inner_text("header")
    page.fill("#text", "幸福小区门口的路灯坏了快一个月了。<img src=x onerror=alert(1)>")
    page.click("button[type=submit]")
    page.wait_for_selector("text=回执号：MS-")
    mine = page.locator(".bubble.me").last.inner_text()
    assert "<img src=x onerror=alert(1)>" in mine
    assert page.locator(".log img").count() == 0
    assert page.input_value("#text") == ""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"citizen-chat-{request.node.callspec.id}.png"), full_page=True)
    assert errors == []
