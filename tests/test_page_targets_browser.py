"""What a finger and an eye meet on the deputy's and clerk's pages: a message's whole row ticks it and the count of
ticked messages shows only once one is ticked; submitting a draft is a whole button; a sentence's 出处 is a chip to
tap; a staff page of text is a readable column on a laptop."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intake.models import Draft, Message, StaffRole
from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, deputies, import_roster, report, set_password, sign_in_page, slug_of, write_roster
from tests.test_browser import browser, live_server  # noqa: F401  (fixtures)
from tests.test_desk_browser import _sign_in as _deputy_signs_in
from tests.test_pages_browser import _answered_suggestion, _units

TEXTS = ["幸福小区门口的路灯坏了一个月了，晚上很黑", "幸福小区东门路灯不亮，晚上老人出门不方便，建议尽快修好"]


@pytest.mark.browser
def test_a_deputys_targets_fit_a_thumb(app, run_jobs, runtime, live_server, browser, tmp_path):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    for text in TEXTS:
        report(app.test_client(), slug_of(deputies(app)[0]), text)
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    with runtime.sessions() as session:
        draft_id = session.scalar(select(Draft.id).where(Draft.title.contains("路灯")))
    for width, height in ((320, 640), (390, 844)):
        page = browser.new_context(viewport={"width": width, "height": height}, is_mobile=True, has_touch=True).new_page()
        _deputy_signs_in(page, live_server)
        page.goto(f"{live_server}/deputy/messages")
        # Nothing ticked: no count of none (已选 0 条 read as a fault).
        assert not page.locator(".tick-count").is_visible()
        row = page.locator("#chosen label.pick").first
        tick = row.locator("input[type=checkbox]")
        box = tick.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
        # The row is a 44 px target: a tap well beside the box, near the top of that band, ticks it.
        row.evaluate("(el) => el.scrollIntoView({block: 'center'})")
        line = row.bounding_box()
        middle = line["y"] + line["height"] / 2
        page.mouse.click(line["x"] + line["width"] - 8, middle - 20)
        assert tick.is_checked()
        assert page.locator(".tick-count").is_visible()
        page.goto(f"{live_server}/deputy/drafts/{draft_id}")
        # Submitting is a whole button: as wide as its card's text on a phone, its words centred in it.
        step = page.locator("#approve-step > summary")
        button, card = step.bounding_box(), page.locator("#approve-step").bounding_box()
        assert button["width"] >= card["width"] - 1 and button["height"] >= 44, (button, card)
        words = step.evaluate("""(el) => { const range = document.createRange(); range.selectNodeContents(el);
            const box = el.getBoundingClientRect(); return [...range.getClientRects()].map(
              (r) => [Math.round(r.left - box.left), Math.round(box.right - r.right)]); }""")
        assert all(abs(left - right) <= 24 for left, right in words), words  # the ▶ drawn before the first line
        # A sentence's 出处 is a chip a finger finds: a 44 px line, the chip 32 px tall in readable print.
        chip = page.locator(".section details.sources > summary").first
        assert chip.bounding_box()["height"] >= 44
        drawn = chip.evaluate("(el) => { const s = getComputedStyle(el, '::after'); return [s.height, s.fontSize]; }")
        assert float(drawn[0].removesuffix("px")) >= 31 and float(drawn[1].removesuffix("px")) >= 14, drawn
        page.context.close()


@pytest.mark.browser
def test_a_staff_page_of_text_is_a_readable_column_on_a_laptop(app, run_jobs, runtime, live_server, browser,  # noqa: F811
                                                               tmp_path):
    import_roster(app, write_roster(tmp_path))
    report(app.test_client(), slug_of(deputies(app)[0]), TEXTS[0])
    run_jobs()
    add_staff(app, "admin", StaffRole.ADMIN, None)
    with runtime.sessions() as session:
        message_id = session.scalar(select(Message.id))
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in_page(page, live_server, "admin")
    for path in (f"/staff/messages/{message_id}", "/staff/radar", "/staff/report"):
        page.goto(live_server + path)
        main, screen = page.locator("main").bounding_box(), page.evaluate("document.documentElement.clientWidth")
        assert main["width"] <= 60 * 16 and abs(main["x"] - (screen - main["x"] - main["width"])) <= 1, (path, main)
    # A suggestion beside its forms: the pair a centred column of its own (it once ran the screen's width).
    suggestion_id = _answered_suggestion(runtime, *(d["id"] for d in deputies(app)[:2]), *_units(runtime))
    page.goto(f"{live_server}/staff/suggestions/{suggestion_id}")
    pair, text = page.locator("div.columns").bounding_box(), page.locator("div.columns > main").bounding_box()
    assert pair["width"] <= 76 * 16 and abs(pair["x"] - (screen - pair["x"] - pair["width"])) <= 1, pair
    assert text["width"] <= 60 * 16, text
    # The queue's table keeps the screen's width.
    page.goto(f"{live_server}/staff/")
    assert page.locator("main").bounding_box()["width"] > 1300


@pytest.mark.browser
def test_a_deputys_qr_code_downloads_are_targets_a_finger_finds(app, live_server, browser, tmp_path):  # noqa: F811
    # 图片 was a 19 px line of 14 px print: on a phone a clerk opened the poster instead of the picture.
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "admin", StaffRole.ADMIN, None)
    for width, height in ((320, 640), (390, 844), (1366, 768)):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        sign_in_page(page, live_server, "admin")
        page.goto(f"{live_server}/staff/deputies")
        links = page.locator(".downloads a")
        assert links.count() >= 3
        boxes = [links.nth(index).bounding_box() for index in range(3)]
        assert all(box["height"] >= 44 for box in boxes), (width, boxes)
        (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "pages" / f"deputies-downloads-{width}-full.png"), full_page=True)
        page.context.close()
