"""The receipt on a phone and a laptop: its own card, one unbroken line, a copy button, still there on reload, and the
answer that gives it in view above the text box."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from intake.models import Draft, DraftMessage, Message
from intake.services.drafts import review
from intake.services.lifecycle import handling
from tests.conftest import ARTIFACTS
from tests.helpers import (
    add_unit_staff,
    deputies,
    import_roster,
    report,
    slug_of,
    write_roster,
)
from tests.test_browser import _say, browser, live_server, screenshot  # noqa: F401  (fixtures)

SMALL_PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True,
               "device_scale_factor": 2, "locale": "zh-CN"}


def test_my_receipts_stay_on_the_page_for_that_browser_only(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    citizen = app.test_client()
    receipt = report(citizen, slug, "幸福小区门口的路灯坏了一个月了，晚上很黑")["receipt"]
    again = citizen.get(f"/c/{slug}").get_data(as_text=True)
    assert "我的回执" in again and f'<span class="receipt">{receipt}</span>' in again
    # Each number says what it was given for: a citizen with two receipts knows which is the street lamp.
    card = again.split('id="receipts"')[1].split("</section>")[0]
    assert "幸福小区门口的路灯坏了" in card, card
    assert receipt not in app.test_client().get(f"/c/{slug}").get_data(as_text=True)


@pytest.mark.browser
def test_the_receipt_card_on_a_small_phone(app, live_server, browser, tmp_path, request):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    context = browser.new_context(**SMALL_PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.goto(f"{live_server}/c/{slug}")
    assert not page.locator("#receipts").is_visible()
    _say(page, "青石街道幸福小区东门的路灯坏了一个多月，晚上一片漆黑")
    _say(page, "不留")
    card = page.locator("#receipts .receipt").first
    card.wait_for()
    receipt = card.inner_text()
    assert receipt.startswith("MS-") and len(receipt) == 16
    # What the number was given for, under it: the citizen's own words, shortened.
    said = page.locator("#receipts li").first.locator(".said")
    assert said.inner_text().startswith("青石街道幸福小区东门的路灯坏了"), said.inner_text()
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#receipts .receipt')).lineHeight)")
    assert card.bounding_box()["height"] < line * 1.5  # one line: the number never wraps
    said_before = said.inner_text()
    page.locator("#receipts button.copy").first.click()
    # A predicate string would be eval'd in the page, which its Content-Security-Policy forbids.
    expect(page.locator("#receipts button.copy").first).to_have_text("已复制", timeout=5000)
    assert page.evaluate("navigator.clipboard.readText()") == receipt
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, ARTIFACTS / f"citizen-receipt-320-{request.node.callspec.id}.png")
    page.reload()
    assert page.locator("#receipts .receipt").first.inner_text() == receipt
    assert page.locator("#receipts li").first.locator(".said").inner_text() == said_before
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


# Every receipt number in the conversation's bubbles, and on how many lines each is drawn.
RECEIPT_LINES = """() => {
  const found = [];
  for (const bubble of document.querySelectorAll('.bubble')) {
    const walker = document.createTreeWalker(bubble, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode())
      for (const match of node.textContent.matchAll(/MS-\\d{8}-\\d+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
        found.push([match[0], lines.size]);
      }
  }
  return found;
}"""


@pytest.mark.browser
def test_a_receipt_number_in_the_conversation_never_breaks_on_a_small_phone(app, live_server, browser, tmp_path,  # noqa: F811
                                                                           request):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    page = browser.new_context(**SMALL_PHONE).new_page()
    page.goto(f"{live_server}/c/{slug}")
    _say(page, "青石街道幸福小区东门的路灯坏了一个多月，晚上一片漆黑")
    _say(page, "不留")
    receipt = page.locator("#receipts .receipt").first.inner_text()
    _say(page, f"查询 {receipt}")
    _say(page, f"我的回执号是 {receipt}，麻烦查一下进度")
    seen = page.evaluate(RECEIPT_LINES)  # drawn by the page's script
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, ARTIFACTS / f"citizen-chat-receipt-320-{request.node.callspec.id}.png")
    page.reload()
    seen += page.evaluate(RECEIPT_LINES)  # the last exchange again, drawn by the server
    assert len(seen) >= 5, seen
    assert all(lines == 1 for _, lines in seen), seen


def _above_the_text_box(page, bubble) -> None:
    """The whole bubble is on the screen and none of it under the text box stuck to the screen's bottom edge."""
    box, bar, screen = bubble.bounding_box(), page.locator("#composer").bounding_box(), page.viewport_size
    assert box["y"] >= 0 and box["x"] >= 0 and box["x"] + box["width"] <= screen["width"], (box, screen)
    assert box["y"] + box["height"] <= bar["y"] and bar["y"] + bar["height"] <= screen["height"] + 1, (box, bar, screen)


@pytest.mark.browser
@pytest.mark.parametrize("size", [(320, 640), (390, 844), (390, 500), (1366, 768)],
                         ids=lambda size: "x".join(map(str, size)))
def test_the_answer_with_the_progress_link_is_in_view_above_the_text_box(app, live_server, browser, tmp_path, request,
                                                                         size):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    width, height = size
    page = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 1000,
                               has_touch=width < 1000).new_page()
    page.goto(f"{live_server}/c/{slug}")
    _say(page, "幸福小区门口的路灯坏了一个多月，晚上漆黑一片。")
    _say(page, "不留")
    # The receipt card appears under the greeting at the top; the answer at the bottom must not be pushed under the box.
    page.locator("#receipts a.progress").first.wait_for()
    linked = page.locator(".bubble.bot", has=page.locator("a[href*='/p/']")).last
    assert linked.inner_text().startswith("不用发消息也能查看办理进度") and linked.is_visible()
    assert linked.evaluate("(bubble) => bubble === document.querySelector('#log').lastElementChild")
    _above_the_text_box(page, linked)
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, ARTIFACTS / f"citizen-receipt-in-view-{request.node.callspec.id}.png")
    if width < 1000 and height > 500:
        # The citizen taps the text box to write more: the on-screen keyboard takes the screen's lower part.
        page.focus("#text")
        page.set_viewport_size({"width": width, "height": 500})
        bar = page.locator("#composer")
        for _ in range(20):  # the window's resize event comes with a later frame
            page.wait_for_timeout(100)
            if linked.bounding_box()["y"] + linked.bounding_box()["height"] <= bar.bounding_box()["y"]:
                break
        _above_the_text_box(page, linked)
        screenshot(page, ARTIFACTS / f"citizen-receipt-keyboard-{request.node.callspec.id}.png")


@pytest.mark.browser
@pytest.mark.parametrize("size", [(320, 640), (1366, 768)], ids=lambda size: "x".join(map(str, size)))
def test_without_scripts_the_page_opens_on_the_latest_answer(app, live_server, browser, tmp_path, request,
                                                             size):  # noqa: F811
    """A phone without scripts posts the form and gets the whole page again: it opened at the top, the receipts and
    the greeting on the screen and the answer just given below them, out of sight."""
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    width, height = size
    page = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False,
                               locale="zh-CN").new_page()
    page.goto(f"{live_server}/c/{slug}")

    def post(text: str) -> None:  # the form's own post: the page comes back whole
        page.fill("#text", text)
        with page.expect_navigation():
            page.click("button[type=submit]")

    for place in ("幸福小区东门", "青石街道菜市场", "朝阳路12号", "青石小学门口"):  # earlier receipts fill the page's top
        post(f"{place}的路灯坏了一个多月，晚上漆黑一片。")
        post("不留")
    assert page.locator("#receipts li").count() == 4
    post("朝阳路8号的下水道堵了，污水漫到路上。")
    newest = page.locator(".bubble.bot").last
    assert "需要有人回访吗" in newest.inner_text(), newest.inner_text()
    _above_the_text_box(page, newest)
    assert page.locator(".bubble.me").last.bounding_box()["y"] >= 0
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, ARTIFACTS / f"citizen-no-script-latest-{request.node.callspec.id}.png")


# Every receipt or suggestion number (2026-001) in the conversation's bubbles, and on how many lines each is drawn.
NUMBER_LINES = RECEIPT_LINES.replace("/MS-\\d{8}-\\d+/g", "/MS-\\d{8}-\\d+|\\d+(?:-\\d+)+/g")


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390])
def test_a_suggestion_number_in_the_conversation_never_breaks_on_a_phone(app, live_server, browser,  # noqa: F811
                                                                        run_jobs, runtime, tmp_path, request, width):
    """回执号 MS-…：第 2026-001 号代表建议，… broke at the number's hyphen (第 2026- / 001 号) on a 390 px phone."""
    import_roster(app, write_roster(tmp_path))
    deputy = deputies(app)[0]
    page = browser.new_context(**{**SMALL_PHONE, "viewport": {"width": width, "height": 700}}).new_page()
    page.goto(f"{live_server}/c/{slug_of(deputy)}")
    _say(page, "青石街道幸福小区东门的路灯坏了一个多月，晚上一片漆黑")
    _say(page, "不留")
    receipt = page.locator("#receipts .receipt").first.inner_text()
    run_jobs()
    unit_id = add_unit_staff(app, "zhujian", "区住建局")
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        draft = session.scalar(select(Draft).join(DraftMessage).join(Message).where(Message.receipt == receipt))
        review.approve(session, review.DraftRequest(draft.deputy_id, draft.id, draft.version))
        found = handling.register_from_draft(session, draft.id, actor="staff:admin", rules=rules)
        number = found.number
        # answered: the number right after the receipt (回执号 MS-…：第 2026-001 号代表建议，…) ends the first line
        handling.assign(session, [found.id], lead_unit_id=unit_id, actor="staff:admin", rules=rules)
        handling.submit_reply(session, found.id, unit_id=unit_id, text="路灯已修复。", category="A",
                              actor=f"unit:{unit_id}", rules=rules)
        handling.accept_reply(session, found.id, actor="staff:admin", summary="路灯已修复。")
    seen = []
    for asked in (f"查询 {receipt}", f"{receipt}", f"我的回执号是 {receipt}，麻烦查一下进度", f"查一下 {receipt} 怎么样了"):
        _say(page, asked)
        seen += page.evaluate(NUMBER_LINES)  # drawn by the page's script
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, ARTIFACTS / f"citizen-chat-suggestion-number-{width}-{request.node.callspec.id}.png")
    page.reload()
    seen += page.evaluate(NUMBER_LINES)  # the last exchange again, drawn by the server
    assert sum(found == number for found, _ in seen) >= 5, seen
    assert all(lines == 1 for _, lines in seen), seen


# How many lines each 代表工委 in the sentence under the progress page's steps is drawn on.
OFFICE_LINES = """() => {
  const found = [], node = document.querySelector('.progress-now');
  const text = node.textContent;
  for (let at = text.indexOf('代表工委'); at >= 0; at = text.indexOf('代表工委', at + 1)) {
    const range = document.createRange(), walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let part = walker.nextNode(); part; part = walker.nextNode()) {
      const end = seen + part.textContent.length;
      if (seen <= at && at < end) range.setStart(part, at - seen);
      if (seen < at + 4 && at + 4 <= end) range.setEnd(part, at + 4 - seen);
      seen = end;
    }
    found.push(new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size);
  }
  return found;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1366])
def test_the_office_is_named_whole_on_the_progress_page(app, live_server, browser, run_jobs, runtime,  # noqa: F811
                                                        tmp_path, request, width):
    """代表已将建议草稿提交代表工委，… read 代表工 / 委 on a 320 px phone."""
    import_roster(app, write_roster(tmp_path))
    page = browser.new_context(**{**SMALL_PHONE, "viewport": {"width": width, "height": 700},
                                  "is_mobile": width < 1000, "has_touch": width < 1000}).new_page()
    page.goto(f"{live_server}/c/{slug_of(deputies(app)[0])}")
    _say(page, "青石街道幸福小区东门的路灯坏了一个多月，晚上一片漆黑")
    _say(page, "不留")
    receipt = page.locator("#receipts .receipt").first.inner_text()
    run_jobs()
    with runtime.sessions() as session, session.begin():
        draft = session.scalar(select(Draft).join(DraftMessage).join(Message).where(Message.receipt == receipt))
        review.approve(session, review.DraftRequest(draft.deputy_id, draft.id, draft.version))
    link = page.locator("#receipts a.progress").first.get_attribute("href")  # on the district's own address
    page.goto(live_server + urlsplit(link).path)
    assert "代表工委" in page.locator(".progress-now").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, ARTIFACTS / f"citizen-progress-submitted-{width}-{request.node.callspec.id}.png")
    lines = page.evaluate(OFFICE_LINES)
    assert lines and all(n == 1 for n in lines), lines
