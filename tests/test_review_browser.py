"""What a finger and an eye met in the last screenshot review: the chat's greeting above the citizen's receipts,
退出 apart from 退出所有设备 in every header, and a station's 停用 apart from its 并入 on a phone."""

from __future__ import annotations

import pytest

from intake.models import StaffRole
from tests.helpers import add_staff, deputies, import_roster, set_password, sign_in_page, slug_of, write_roster
from tests.test_browser import _say, browser, live_server  # noqa: F401  (fixtures)
from tests.test_desk_browser import _sign_in as _deputy_signs_in

PHONES = ((320, 640), (390, 844))


def _context(browser, width: int, height: int):  # noqa: F811
    phone = width < 800
    return browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone,
                               locale="zh-CN")


@pytest.mark.browser
def test_the_chat_greets_before_it_shows_the_citizens_receipts(app, live_server, browser, tmp_path):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for width, height in PHONES + ((1366, 768),):
        page = _context(browser, width, height).new_page()
        page.goto(f"{live_server}/c/{slug}")
        for text in ["幸福小区门口的路灯坏了一个月了，晚上很黑", "在青石街道幸福小区东门", "不留"]:
            _say(page, text)
        page.reload()  # a citizen coming back: the page keeps the receipts of this browser
        receipts, greeting = page.locator("#receipts"), page.locator(".bubble.bot").first
        assert receipts.is_visible() and "您好" in greeting.inner_text()
        # The deputy speaks first: the 我的回执 card once stood above the greeting.
        assert greeting.bounding_box()["y"] + greeting.bounding_box()["height"] <= receipts.bounding_box()["y"], width
        page.context.close()


def _apart(page) -> tuple[float, float]:
    """How far apart 退出 and 退出所有设备 lie in the header, across and down (0 where they share the line or column)."""
    one = page.locator("header.bar form button:not([name])").bounding_box()
    every = page.locator("header.bar form button[name=everywhere]").bounding_box()
    across = max(every["x"] - (one["x"] + one["width"]), one["x"] - (every["x"] + every["width"]), 0)
    down = max(every["y"] - (one["y"] + one["height"]), one["y"] - (every["y"] + every["height"]), 0)
    return across, down


@pytest.mark.browser
def test_signing_out_here_and_everywhere_are_a_fingers_width_apart(app, live_server, browser, tmp_path):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    set_password(app, "13900000001", "wang-pass-1")
    add_staff(app, "admin", StaffRole.ADMIN, None)
    for width, height in PHONES + ((1366, 768),):
        for signs_in in (_deputy_signs_in, lambda page, base: sign_in_page(page, base, "admin")):
            page = _context(browser, width, height).new_page()  # one sign-in a browser: a second ends the first
            signs_in(page, live_server)
            across, down = _apart(page)
            # A thumb is some 10 mm wide: the two once stood 14 px apart, and a tap meant for 退出 ended every device.
            assert across >= 32 or down >= 16, (page.url, width, across, down)
            page.context.close()


@pytest.mark.browser
def test_a_stations_stop_button_stands_apart_from_its_merge_line_on_a_phone(app, live_server, browser,  # noqa: F811
                                                                             tmp_path):
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "admin", StaffRole.ADMIN, None)
    for width, height in PHONES:
        page = _context(browser, width, height).new_page()
        sign_in_page(page, live_server, "admin")
        page.goto(f"{live_server}/staff/stations")
        rows = page.locator("table.stations tbody tr")
        assert rows.count() >= 2
        for i in range(rows.count()):
            stop = rows.nth(i).locator("form[action$='/deactivate'] button").bounding_box()
            merge = rows.nth(i).locator("form.merge").bounding_box()
            # 停用 once touched the 并入 line under it: a tap on one met the other.
            assert merge["y"] - (stop["y"] + stop["height"]) >= 16, (width, i, stop, merge)
        page.context.close()
