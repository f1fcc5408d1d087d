"""The one-time link a new staff account opens, in a real Chromium on phones and a laptop."""

from __future__ import annotations

import pytest

from intake.models import StaffRole
from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, add_unit_staff, sign_in_page
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


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(320, 640), (390, 844), (1366, 768)])
def test_a_web_account_without_a_password_shows_its_link_once(app, live_server, browser, width, height):  # noqa: F811
    """An administrator leaves the password empty; the next page shows the link, its holder sets a password and
    lands on the unit's page."""
    add_unit_staff(app, "zhujian", "区住房和城乡建设局")
    add_staff(app, "chief", StaffRole.ADMIN, None)
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    sign_in_page(page, live_server, "chief")
    page.goto(f"{live_server}/staff/accounts")
    page.fill("input[name=username]", "zhujian2")
    page.fill("input[name=display_name]", "王芳")
    page.select_option("select[name=role]", "unit")
    page.select_option("select[name=unit]", label="区住房和城乡建设局")
    screenshot(page, ARTIFACTS / f"welcome-link-1-form-{width}.png")
    page.click("form.fields button[type=submit]")
    page.wait_for_load_state("load")
    assert "请把这个链接交给本人，24 小时内有效，只能用一次（打开后自设密码）" in page.inner_text("main")
    link = page.inner_text("#link")
    assert link.startswith("http://mashang.test/staff/welcome/") and page.inner_text("#username") == "zhujian2"
    box = page.locator("#link").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the link runs off the screen"
    screenshot(page, ARTIFACTS / f"welcome-link-2-shown-{width}.png")
    page.goto(f"{live_server}/staff/accounts")
    page.screenshot(path=str(ARTIFACTS / f"welcome-link-3-table-{width}.png"), full_page=True)

    holder = browser.new_context(viewport={"width": width, "height": height}).new_page()
    holder.goto(live_server + link.removeprefix("http://mashang.test"))
    holder.fill("#password", "a-long-unit-password")
    holder.fill("#again", "a-long-unit-password")
    holder.click("button[type=submit]")
    holder.wait_for_url(f"{live_server}/unit/")
    assert "区住房和城乡建设局（承办单位）" in holder.inner_text("body")
    screenshot(holder, ARTIFACTS / f"welcome-link-4-unit-{width}.png")


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(320, 640), (390, 844), (1366, 768)])
def test_accounts_awaiting_a_password_and_a_deactivated_ones_link(app, live_server, browser, width, height):  # noqa: F811
    """The accounts table says 待设置密码 where the holder is yet to choose one, and relinks a deactivated account."""
    add_staff(app, "chief", StaffRole.ADMIN, None)
    add_staff(app, "clerk", StaffRole.OFFICE, None)
    app.test_cli_runner().invoke(args=["accounts", "create", "--role", "office", "--name", "newcomer", "--link"])
    app.test_cli_runner().invoke(args=["accounts", "deactivate", "clerk"])
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    sign_in_page(page, live_server, "chief")
    page.goto(f"{live_server}/staff/accounts")
    newcomer = page.locator("tr", has_text="newcomer")
    clerk = page.locator("tr", has_text="clerk")
    assert "待设置密码" in newcomer.inner_text() and "待设置密码" not in clerk.inner_text()
    assert "已停用" in clerk.inner_text() and "确认重新启用账号「clerk」并作废其旧密码" in clerk.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / f"accounts-awaiting-1-table-{width}.png"), full_page=True)

    clerk.locator("button", has_text="生成设置密码链接").click()  # the tick first: nothing happens without it
    assert page.url.endswith("/staff/accounts") and "已停用" in clerk.inner_text()
    clerk.locator("input[name=confirm]").check()
    clerk.locator("button", has_text="生成设置密码链接").click()
    page.wait_for_load_state("load")
    assert "账号 clerk 已重新启用，旧密码已作废。" in page.inner_text("body")
    box = page.locator("#link").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the link runs off the screen"
    screenshot(page, ARTIFACTS / f"accounts-awaiting-2-relinked-{width}.png")
    page.goto(f"{live_server}/staff/accounts")
    assert "在用" in clerk.inner_text() and "待设置密码" in clerk.inner_text()
    page.context.close()
