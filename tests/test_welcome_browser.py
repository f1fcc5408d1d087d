"""The one-time link a new staff account opens, in a real Chromium on a phone and a laptop."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import browser, live_server, screenshot  # noqa: F401  (fixtures)

SIZES = {"phone": {"width": 375, "height": 740}, "laptop": {"width": 1366, "height": 768}}


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_new_account_sets_its_password_from_the_link(app, live_server, browser, request, size):  # noqa: F811
    created = app.test_cli_runner().invoke(args=["accounts", "create", "--role", "admin", "--name", "chief", "--link"])
    assert created.exit_code == 0, (created.output, created.exception)
    path = created.output.strip().splitlines()[-1].removeprefix("http://mashang.test")
    ARTIFACTS.mkdir(exist_ok=True)
    tag = request.node.callspec.id
    page = browser.new_context(viewport=SIZES[size]).new_page()
    page.goto(live_server + path)
    assert "这是您的管理员账号" in page.inner_text("main") and page.input_value("#username") == "chief"
    screenshot(page, ARTIFACTS / f"welcome-1-form-{tag}.png")
    page.fill("#password", "a-long-first-password")
    page.fill("#again", "a-long-first-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/staff/")
    screenshot(page, ARTIFACTS / f"welcome-2-signed-in-{tag}.png")
    page.goto(live_server + path)
    assert "已失效" in page.inner_text("main")
    screenshot(page, ARTIFACTS / f"welcome-3-used-{tag}.png")
