"""A link meant for a deputy used first by someone else, in a real Chromium: the deputy finds it used and is told of
the password they never set, the clerk clears it, and whoever set it is out."""

from __future__ import annotations

import re

import pytest

from intake.models import StaffRole
from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, deputies, import_roster, sign_in_page, write_roster
from tests.test_browser import browser, live_server, screenshot  # noqa: F401  (fixtures)
from tests.test_deputy_password_browser import SIZES, _fits


def _new_link(clerk, server: str, wang_id: int) -> str:
    clerk.goto(f"{server}/staff/deputies/{wang_id}")
    clerk.click("text=生成一次性登录链接")
    clerk.wait_for_url(re.compile(r".*/sign-in-link$"))
    return clerk.inner_text("#link").removeprefix("http://mashang.test")


def _sign_in_by(page, server: str, link: str) -> None:
    page.goto(server + link)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_a_password_set_from_an_intercepted_link_is_told_and_cleared(app, live_server, browser, tmp_path,  # noqa: F811
                                                                     request, size):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    wang_id = deputies(app)[0]["id"]
    ARTIFACTS.mkdir(exist_ok=True)
    tag = request.node.callspec.id
    mobile = size != "1366"
    clerk = browser.new_context(viewport=SIZES[size], is_mobile=mobile).new_page()
    sign_in_page(clerk, live_server, "qingshi")
    link = _new_link(clerk, live_server, wang_id)

    intruder = browser.new_context(viewport=SIZES[size], is_mobile=mobile).new_page()
    _sign_in_by(intruder, live_server, link)
    intruder.fill("#password", "someone-elses-password")
    intruder.fill("#password_again", "someone-elses-password")
    intruder.click("main button[type=submit]")
    intruder.wait_for_url("**/deputy/")

    wang = browser.new_context(viewport=SIZES[size], is_mobile=mobile).new_page()
    wang.goto(live_server + link)
    assert "如果不是您本人用的" in wang.inner_text("#used")
    _fits(wang)
    screenshot(wang, ARTIFACTS / f"link-intercepted-1-used-{tag}.png")

    again = _new_link(clerk, live_server, wang_id)
    assert "王秀兰代表已有登录密码" in clerk.inner_text("#has-password")
    _fits(clerk)
    screenshot(clerk, ARTIFACTS / f"link-intercepted-2-clerk-link-{tag}.png")
    _sign_in_by(wang, live_server, again)
    assert "如果不是您本人设置的" in wang.inner_text("#password-before")
    _fits(wang)
    screenshot(wang, ARTIFACTS / f"link-intercepted-3-told-{tag}.png")

    clerk.goto(f"{live_server}/staff/deputies/{wang_id}")
    _fits(clerk)
    clerk.locator("#clear-password").scroll_into_view_if_needed()
    screenshot(clerk, ARTIFACTS / f"link-intercepted-4-deputy-page-{tag}.png")
    clerk.check("#clear-password input[name=confirm]")
    clerk.click("#clear-password button[type=submit]")
    clerk.wait_for_url(f"**/staff/deputies/{wang_id}")
    assert "已清除王秀兰代表的登录密码" in clerk.inner_text("body")
    assert "还没有设置" in clerk.inner_text("#no-password")
    screenshot(clerk, ARTIFACTS / f"link-intercepted-5-cleared-{tag}.png")

    intruder.reload()
    intruder.wait_for_url("**/deputy/login**")  # signed out for good: the password is gone too
    intruder.fill("#phone", "13900000001")
    intruder.fill("#password", "someone-elses-password")
    intruder.click("main button[type=submit]")
    assert "手机号或密码不对" in intruder.inner_text("main")
    for page in (clerk, intruder, wang):
        page.context.close()
