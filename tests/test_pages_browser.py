"""Every citizen, deputy and staff page at a small phone, a common phone and a laptop: axe-core finds no
serious or critical accessibility problem, nothing is wider than the screen, and a screenshot of each
lands in test-artifacts/pages/ to be looked at."""

from __future__ import annotations


import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from intake.models import Draft, DraftStatus, Message, StaffRole
from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, deputies, import_roster, report, set_password, slug_of, write_roster
from tests.test_browser import browser, live_server, screenshot  # noqa: F401  (fixtures)

SIZES = [(320, 640), (390, 844), (1366, 768)]
SERIOUS = {"serious", "critical"}


def _problems(page, axe: Axe) -> list[str]:
    results = axe.run(page).response
    assert results["testEngine"]["name"] == "axe-core" and results["testRunner"]
    found = [f"{v['id']} ({v['impact']}): " + "; ".join(str(n["target"][0]) for n in v["nodes"][:3])
             for v in results["violations"] if v["impact"] in SERIOUS]
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
        found.append(f"wider than the screen: {page.evaluate('document.documentElement.scrollWidth')} px")
    return found


def _tour(browser, base: str, pages: list[tuple[str, str]], sign_in, kind: str) -> list[str]:  # noqa: F811
    axe, problems = Axe(), []
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        phone = width < 800
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, locale="zh-CN",
                                      has_touch=phone, device_scale_factor=2 if phone else 1)
        page = context.new_page()
        sign_in(page)
        for name, path in pages:
            page.goto(base + path)
            screenshot(page, folder / f"{kind}-{name}-{width}x{height}.png")
            page.screenshot(path=str(folder / f"{kind}-{name}-{width}x{height}-full.png"), full_page=True)
            problems += [f"{kind}-{name} at {width}×{height}: {p}" for p in _problems(page, axe)]
        context.close()
    return problems


@pytest.mark.browser
def test_every_page_passes_axe_and_fits_every_screen(app, live_server, browser, run_jobs, runtime, tmp_path):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    wang, li, zhang = deputies(app)
    chat = app.test_client()
    receipt = report(chat, slug_of(wang), "幸福小区门口的路灯坏了一个月了，晚上很黑", phone="13912345678")["receipt"]
    for text in ["幸福小区东门路灯不亮，晚上老人出门不方便，建议尽快修好", "青石中学门口放学时堵车严重"]:
        report(app.test_client(), slug_of(wang), text)
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    add_staff(app, "admin", StaffRole.ADMIN, None)
    with runtime.sessions() as session:
        draft_id = session.scalar(select(Draft.id).order_by(Draft.id))
        message_id = session.scalar(select(Message.id).where(Message.receipt == receipt))
        group = session.scalar(select(Draft).where(Draft.title.contains("青石中学")))
        group.status, group_id = DraftStatus.COLLECTING, group.id  # too few citizens yet: still collecting
        session.commit()

    def citizen(page):
        page.goto(f"{live_server}/c/{slug_of(wang)}")
        page.fill("#text", "幸福小区门口的路灯坏了一个月了，晚上很黑")
        page.click("button[type=submit]")
        page.locator(".bubble.bot").nth(1).wait_for()

    def deputy(page):
        page.goto(f"{live_server}/deputy/login")
        if "login" in page.url:
            page.fill("#phone", "13900000001")
            page.fill("#password", "wang-pass-1")
            page.click("button[type=submit]")
            page.wait_for_url("**/deputy/")

    def staff(page):
        page.goto(f"{live_server}/staff/login")
        page.fill("#username", "admin")
        page.fill("#password", "pw-admin")
        page.click("button[type=submit]")
        page.wait_for_url("**/staff/")

    problems = _tour(browser, live_server, [("chat", f"/c/{slug_of(wang)}"), ("missing", "/c/nosuchcode")],
                     citizen, "citizen")
    problems += _tour(browser, live_server, [("login", "/deputy/login")], lambda page: None, "deputy")
    problems += _tour(browser, live_server, [
        ("home", "/deputy/"), ("draft", f"/deputy/drafts/{draft_id}"), ("messages", "/deputy/messages"),
        ("groups", "/deputy/groups"), ("group", f"/deputy/groups/{group_id}"),
    ], deputy, "deputy")
    problems += _tour(browser, live_server, [("login", "/staff/login")], lambda page: None, "staff")
    problems += _tour(browser, live_server, [
        ("queue", "/staff/"), ("message", f"/staff/messages/{message_id}"), ("deputies", "/staff/deputies"),
        ("deputy-edit", f"/staff/deputies/{wang['id']}"), ("stations", "/staff/stations"),
        ("roster", "/staff/roster"), ("accounts", "/staff/accounts"), ("operations", "/staff/operations"),
        ("audit", "/staff/audit"), ("groups", "/staff/groups"), ("group", f"/staff/groups/{group_id}"),
    ], staff, "staff")
    assert not problems, "\n".join(problems)
