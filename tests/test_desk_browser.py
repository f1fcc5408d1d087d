"""On a phone-sized Chromium, a deputy makes a draft of a problem still collecting and of two ticked messages;
staff look at the collecting groups on a laptop."""

from __future__ import annotations

import pytest

from intake.models import StaffRole
from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, deputies, import_roster, report, set_password, sign_in_page, slug_of, write_roster
from tests.test_browser import PHONE, browser, live_server, screenshot  # noqa: F401  (fixtures)
from tests.test_desk import DITCH, LIGHTS, app  # noqa: F401  (the app with the default threshold)

SCHOOL = "青石中学门口放学时堵车严重，接孩子的车把路都堵死了，希望交警来疏导。"
SMALL = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/deputy/login")
    page.fill("#phone", "13900000001")
    page.fill("#password", "wang-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/deputy/")


@pytest.mark.browser
def test_a_deputy_makes_drafts_of_a_collecting_problem_and_of_two_ticked_messages(  # noqa: F811
        app, run_jobs, live_server, browser, tmp_path, request):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    slugs = {d["name"][0]: slug_of(d) for d in deputies(app)}
    for text in (*LIGHTS, DITCH, SCHOOL):
        report(app.test_client(), slugs["王"], text)
    for text in ("幸福小区门口路灯不亮，晚上看不清路，老人摔倒过。", "幸福小区门口的路灯晚上不亮，很不方便。"):
        report(app.test_client(), slugs["李"], text)
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    add_staff(app, "office1", StaffRole.OFFICE, None)
    ARTIFACTS.mkdir(exist_ok=True)
    backend = request.node.callspec.id
    errors = []

    def shot(page, step: str, size: str):
        screenshot(page, ARTIFACTS / f"desk-{step}-{size}-{backend}.png")

    # A common phone: the collecting problem becomes a draft in two taps.
    page = browser.new_context(**PHONE).new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, live_server)
    collecting = page.inner_text("#collecting")
    assert "收集中的问题（3）" in collecting
    assert "同站代表也收到 2 条" in page.inner_text("main")
    shot(page, "1-home", "390x844")
    page.locator("ul.drafts a", has_text="路灯").click()
    page.wait_for_url("**/deputy/groups/*")
    assert all(text in page.inner_text("main") for text in LIGHTS)
    assert "同站还有 1 位代表收到同一问题（2 条留言）：李建国。" in page.inner_text("#colleagues")
    shot(page, "2-group", "390x844")
    page.click("#make-draft")
    page.wait_for_url("**/deputy/drafts/*")
    assert "已整理成建议草稿" in page.inner_text("body") and "路灯" in page.inner_text("h1")
    assert "邀请李建国附议" in page.inner_text("#colleagues")
    page.locator("#colleagues").scroll_into_view_if_needed()
    shot(page, "3-draft-of-group", "390x844")
    page.click("#invite")
    page.wait_for_url("**/deputy/drafts/*")
    assert "已邀请同站代表附议" in page.inner_text("body") and "都已是附议代表" in page.inner_text("#colleagues")
    page.locator("#colleagues").scroll_into_view_if_needed()
    shot(page, "4-invited", "390x844")

    # A small phone: two ticked messages become one draft.
    page = browser.new_context(**SMALL).new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, live_server)
    assert "收集中的问题（2）" in page.inner_text("#collecting")
    shot(page, "5-home", "320x640")
    page.click("text=群众留言")
    page.wait_for_url("**/deputy/messages")
    # Nothing ticked: the action bar waits below the list instead of covering the first message; above the list a
    # line says what ticking is for and where its buttons come (the page once showed ticks, the actions three
    # screens further down).
    first, bar = page.locator("#chosen .message").first.bounding_box(), page.locator(".tick-bar").bounding_box()
    assert bar["y"] >= first["y"] + first["height"]
    hint = page.locator("main p", has_text="勾选留言")
    assert hint.count() == 1 and "新建草稿" in hint.inner_text() and "再点屏幕底部" in hint.inner_text()
    assert "会出现" not in hint.inner_text()  # the buttons are there before a tick: the hint once said they appear
    assert hint.bounding_box()["y"] + hint.bounding_box()["height"] <= first["y"]
    page.locator("#chosen .message", has_text="排污沟").locator("input[type=checkbox]").check()
    # Once a message is ticked the bar stays in reach at the bottom of the screen.
    page.evaluate("window.scrollTo(0, 0)")
    bar = page.locator(".tick-bar").bounding_box()
    assert bar["y"] + bar["height"] <= 640 + 1
    page.locator("#chosen .message", has_text="青石中学").locator("input[type=checkbox]").check()
    # The bar is one row on a small phone: how many are ticked, 新建草稿, and 加入已有草稿 folded (three stacked
    # controls once covered a third of the screen).
    bar = page.locator(".tick-bar").bounding_box()
    assert bar["height"] <= 640 * 0.15, bar
    assert page.locator("#add-to-draft").is_hidden()
    shot(page, "6-ticked", "320x640")
    page.click("#make-draft")
    page.wait_for_url("**/deputy/drafts/*")
    main = page.inner_text("main")
    assert "已用勾选的留言整理成一份新草稿" in page.inner_text("body")
    assert "群众留言（2）" in main and "排污沟" in main and "青石中学" in main
    shot(page, "7-draft-of-ticked", "320x640")
    page.goto(f"{live_server}/deputy/")
    assert "收集中的问题（0）" in page.inner_text("#collecting") and "建议草稿（2）" in page.inner_text("main")
    shot(page, "8-home-after", "320x640")
    assert errors == []

    # Without scripts the bar rises as well, and its form still sends the ticked message.
    page = browser.new_context(**SMALL, java_script_enabled=False).new_page()
    _sign_in(page, live_server)
    page.goto(f"{live_server}/deputy/messages")
    # Nothing ticked: the list again with what was refused and why, not a redirect losing the ticks.
    page.click("#make-draft")
    assert "无法新建草稿：请先勾选留言。" in page.inner_text("body") and page.locator("#chosen .message").count() >= 1
    shot(page, "8a-nothing-ticked", "320x640")
    page.goto(f"{live_server}/deputy/messages")
    tick = page.locator("#chosen input[name=messages]").last
    tick.check()
    bar = page.locator(".tick-bar").bounding_box()
    tick_box = tick.bounding_box()
    assert tick_box["y"] < 640 and bar["y"] + bar["height"] <= 640 + 1, (tick_box, bar)
    assert bar["height"] <= 640 * 0.15, bar
    shot(page, "8b-ticked-without-scripts", "320x640")
    page.click("#make-draft")
    page.wait_for_url("**/deputy/drafts/*")
    assert "已用勾选的留言整理成一份新草稿" in page.inner_text("body")

    # Staff on a laptop: no group is left collecting at 王秀兰's, 李建国's two are.
    page = browser.new_context(**LAPTOP).new_page()
    sign_in_page(page, live_server, "office1")
    page.click("text=收集中的问题")
    page.wait_for_url("**/staff/groups")
    table = page.inner_text("table.groups")
    assert "李建国" in table and "王秀兰" not in table
    shot(page, "9-staff-groups", "1366x768")
    page.locator("table.groups a").first.click()
    page.wait_for_url("**/staff/groups/*")
    assert "路灯" in page.inner_text("main")
    shot(page, "10-staff-group", "1366x768")


LETTER = ("尊敬的代表：我是幸福小区3栋的住户，" + "小区东门外的排水沟多年没有清理，一下雨污水就漫到路面上，" * 40
          + "恳请代表督促有关部门尽快彻底整治。")


@pytest.mark.browser
def test_a_long_letter_folds_after_its_opening_in_the_deputys_list(app, live_server, browser, tmp_path,  # noqa: F811
                                                                     request):
    # A letter of 1,200 characters once ran the list five screens long on a phone.
    import_roster(app, write_roster(tmp_path))
    wang = next(d for d in deputies(app) if d["name"].startswith("王"))
    report(app.test_client(), slug_of(wang), LETTER)
    report(app.test_client(), slug_of(wang), SCHOOL)
    set_password(app, "13900000001", "wang-pass-1")
    ARTIFACTS.mkdir(exist_ok=True)
    backend = request.node.callspec.id
    for size, device in (("320x640", SMALL), ("390x844", PHONE), ("1366x768", LAPTOP)):
        page = browser.new_context(**device).new_page()
        _sign_in(page, live_server)
        page.goto(f"{live_server}/deputy/messages")
        letter = page.locator("#chosen .message", has_text="尊敬的代表")
        assert letter.bounding_box()["height"] < device["viewport"]["height"] * 0.8, size
        assert "恳请代表督促" not in letter.inner_text() and "展开其余" in letter.inner_text()
        assert SCHOOL in page.inner_text("#chosen")  # a short one is whole
        letter.scroll_into_view_if_needed()
        screenshot(page, ARTIFACTS / f"desk-long-folded-{size}-{backend}.png")
        letter.locator("summary", has_text="展开其余").click()
        assert "恳请代表督促有关部门尽快彻底整治" in letter.inner_text()
        assert letter.inner_text().count("尊敬的代表") == 1  # the opening is not said twice
        screenshot(page, ARTIFACTS / f"desk-long-open-{size}-{backend}.png")
