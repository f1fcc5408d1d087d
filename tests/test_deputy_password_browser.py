"""A deputy's first sign-in by a one-time link, choosing a password and changing it, in a real Chromium."""

from __future__ import annotations

import pytest

from intake.models import StaffRole
from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, import_roster, write_roster
from tests.test_browser import browser, live_server, screenshot  # noqa: F401  (fixtures)
from tests.test_deputy_password import WANG, _link

SIZES = {"320": {"width": 320, "height": 640}, "390": {"width": 390, "height": 844},
         "1366": {"width": 1366, "height": 768}}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_a_deputy_sets_a_password_after_the_link_and_changes_it_later(app, live_server, browser, tmp_path,  # noqa: F811
                                                                       request, size):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    ARTIFACTS.mkdir(exist_ok=True)
    tag = request.node.callspec.id.replace("-", "-w")
    page = browser.new_context(viewport=SIZES[size], is_mobile=size != "1366").new_page()

    page.goto(live_server + _link(app))
    page.click("main button[type=submit]")
    page.wait_for_url("**/deputy/password")
    assert "还没有登录密码" in page.inner_text("main") and page.input_value("#username") == WANG
    _fits(page)
    screenshot(page, ARTIFACTS / f"deputy-password-1-first-{tag}.png")

    page.click("#later")  # skipped: the home says what that means and leads back
    page.wait_for_url("**/deputy/")
    assert "您还没有登录密码" in page.inner_text("#no-password")
    _fits(page)
    screenshot(page, ARTIFACTS / f"deputy-password-2-skipped-{tag}.png")

    page.click("header.bar a.account")  # 设置登录密码 in the bar, on every page
    page.wait_for_url("**/deputy/password")
    page.fill("#password", "wang-own-password")
    page.fill("#password_again", "wang-own-password")
    page.click("main button[type=submit]")
    page.wait_for_url("**/deputy/")
    assert "已设置登录密码" in page.inner_text("body") and page.locator("#no-password").count() == 0
    assert page.inner_text("header.bar a.account") == "修改密码"
    screenshot(page, ARTIFACTS / f"deputy-password-3-set-{tag}.png")

    page.click("header.bar a.account")
    page.wait_for_url("**/deputy/password")
    page.fill("#current_password", "not-my-password")
    page.fill("#password", "wang-newer-password")
    page.fill("#password_again", "wang-newer-password")
    page.click("main button[type=submit]")
    assert "现在的密码不对" in page.inner_text("main [role=alert]")
    _fits(page)
    screenshot(page, ARTIFACTS / f"deputy-password-4-change-refused-{tag}.png")
    page.fill("#current_password", "wang-own-password")
    page.fill("#password", "wang-newer-password")
    page.fill("#password_again", "wang-newer-password")
    page.click("main button[type=submit]")
    page.wait_for_url("**/deputy/")
    assert "密码已修改" in page.inner_text("body")

    page.click("header.bar form button:not([name])")  # 退出, then in again with the new password
    page.wait_for_url("**/deputy/login")
    assert "没有密码？" in page.inner_text("#no-password")
    screenshot(page, ARTIFACTS / f"deputy-password-5-login-{tag}.png")
    page.fill("#phone", WANG)
    page.fill("#password", "wang-newer-password")
    page.click("main button[type=submit]")
    page.wait_for_url("**/deputy/")
    page.context.close()
