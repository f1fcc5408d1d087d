"""A deputy's whole review on a phone-sized Chromium, and citizens' script payloads that never run there."""

from __future__ import annotations

import io

import docx
import pytest

from tests.conftest import ARTIFACTS
from tests.helpers import deputies, import_roster, report, set_password, slug_of, write_roster
from tests.test_browser import PHONE, browser, live_server, screenshot  # noqa: F401  (fixtures)

PAYLOADS = [
    "幸福小区门口的路灯坏了<script>window.__xss = 1</script>，晚上一片漆黑。",
    "幸福小区门口路灯不亮<img src=x onerror=\"window.__xss = 2\">，老人出门不方便。希望尽快修好路灯。",
    "青石街道幸福小区门口的路灯坏了快一个月了，晚上老人出门很不安全。",
]
DITCH = [
    "柳河镇桃园村的排污沟堵了，污水漫到路上，臭气熏天。建议环保部门尽快清理排污沟。",
    "桃园村排污沟堵塞，夏天蚊虫很多，污水横流，希望派人疏通。",
]


def _no_script_ran(page, errors):
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("img[src=x]").count() == 0 and page.locator("main script").count() == 0
    assert errors == []


@pytest.mark.browser
def test_a_deputy_reviews_and_submits_a_draft_on_a_phone(app, run_jobs, live_server, browser, tmp_path,  # noqa: F811
                                                         request):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for text in PAYLOADS + DITCH:
        report(app.test_client(), slug, text)
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    ARTIFACTS.mkdir(exist_ok=True)
    backend = request.node.callspec.id

    def shot(step: str):
        screenshot(page, ARTIFACTS / f"deputy-{step}-{backend}.png")

    page = browser.new_context(**PHONE, accept_downloads=True).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))

    page.goto(f"{live_server}/deputy/login")
    page.fill("#phone", "13900000001")
    page.fill("#password", "wang-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/deputy/")
    assert "待审阅草稿" in page.inner_text(".counts")
    shot("1-home")

    page.click("text=路灯")
    page.wait_for_url("**/deputy/drafts/*")
    lights_url = page.url
    assert "<script>window.__xss = 1</script>" in page.inner_text("main")  # shown as text, not run
    _no_script_ran(page, errors)
    page.locator("details.sources summary").first.click()  # tap a sentence: its messages unfold
    assert "MS-" in page.locator("details.sources[open]").first.inner_text()
    shot("2-draft")

    page.click("#s-proposals details.edit > summary")
    page.fill("#t-proposals", "在幸福小区东门加装两盏路灯。\n每月巡查一次路灯。")
    page.locator("#s-proposals button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "已保存修改" in page.inner_text("body") and "每月巡查一次路灯。" in page.inner_text("#s-proposals")
    shot("3-edited")

    page.click("text=与另一份草稿合并")
    # Nothing chosen for the deputy (one tap once merged the first other draft), and what is kept said before.
    assert page.locator("#other").input_value() == "" and "所选草稿里您改过的文字" in page.inner_text("#merge-kept")
    shot("3b-merge-form")
    page.locator("#other").select_option(index=1)
    page.click("form[action$='/merge'] button[type=submit]")
    page.wait_for_load_state("load")
    assert "已合并" in page.inner_text("body") and "桃园村" in page.inner_text("main")
    shot("4-merged")

    page.locator("form[action$='/move-out'] button").last.click()
    page.wait_for_load_state("load")
    assert "已把这条留言移出" in page.inner_text("body") and page.url != lights_url
    shot("5-moved-out")

    page.goto(lights_url)
    # Submitting is the draft's main action, drawn as the page's buttons are; discarding is a quiet line beneath it
    # (both were the same red ▶ line, one as loud as the other).
    look = "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.color]; }"
    actions = page.locator(".actions-deputy details > summary")
    submit, discard = actions.filter(has_text="同意并提交").evaluate(look), actions.filter(has_text="放弃").evaluate(look)
    assert submit == page.locator("#approve").evaluate(look), submit
    assert discard[0] == "rgba(0, 0, 0, 0)" and discard[1] not in submit and discard[1] != "rgb(179, 38, 30)", discard
    page.locator(".actions-deputy").scroll_into_view_if_needed()
    shot("6-actions")
    page.click("#approve-step summary")
    assert "提交后不能修改" in page.inner_text("#approve-step")
    page.check("#confirm-approve")
    page.click("#approve")
    page.wait_for_load_state("load")
    assert "已提交代表工委" in page.inner_text("body")
    # the green note stands in the card's column: it was indented further than the title and text under it
    note = page.locator("main .card .flash", has_text="提交代表工委").bounding_box()
    title = page.locator("#s-title").bounding_box()
    assert abs(note["x"] - title["x"]) < 1 and abs(note["width"] - title["width"]) < 1, (note, title)
    # the page's own note (已提交代表工委。可以下载…) lines up with the cards under it: it ran from the screen's edge
    # to the other, a citizen's message's rule on its left
    for width in (320, 1366, 390):
        page.set_viewport_size({"width": width, "height": 844})
        flash = page.locator("body > .flash", has_text="可以下载").bounding_box()
        card = page.locator("main > .card").first.bounding_box()
        assert abs(flash["x"] - card["x"]) < 1 and abs(flash["width"] - card["width"]) < 1, (width, flash, card)
        shot(f"6-approved-{width}")

    with page.expect_download() as download:
        page.click("#download")
    path = tmp_path / "suggestion.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert "每月巡查一次路灯。" in text and "领衔代表：王秀兰" in text
    shot("7-downloaded")

    for path in ("/deputy/", "/deputy/messages"):
        page.goto(live_server + path)
        _no_script_ran(page, errors)
    assert "window.__xss = 1" in page.inner_text("main")
    shot("8-messages")


@pytest.mark.browser
def test_a_deputys_pages_on_a_laptop_are_a_column_of_readable_lines(app, run_jobs, live_server, browser,  # noqa: F811
                                                                    tmp_path):
    """On a 1366 px screen the deputy's pages once ran the width of the screen, a line of 80 characters and more: the
    content is a centred column of at most 48 characters a line, the tabs over it."""
    import_roster(app, write_roster(tmp_path))
    for text in PAYLOADS:
        report(app.test_client(), slug_of(deputies(app)[0]), text)
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{live_server}/deputy/login")
    page.fill("#phone", "13900000001")
    page.fill("#password", "wang-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/deputy/")
    for path in ("/deputy/", "/deputy/messages", "/deputy/suggestions"):
        page.goto(live_server + path)
        main, screen = page.locator("body > main").bounding_box(), page.evaluate("document.documentElement.clientWidth")
        assert main["width"] <= 48 * 16 and abs(main["x"] - (screen - main["x"] - main["width"])) <= 1, (path, main)
        first, last = page.evaluate("""() => { const tabs = [...document.querySelectorAll('nav.tabs a')];
            return [tabs[0].getBoundingClientRect().left, tabs[tabs.length - 1].getBoundingClientRect().right]; }""")
        assert first >= main["x"] - 1 and last <= main["x"] + main["width"] + 1, (path, first, last)
