"""Every citizen, deputy and staff page at a small phone, a common phone and a laptop: axe-core finds no
serious or critical accessibility problem, nothing is wider than the screen, and a screenshot of each
lands in test-artifacts/pages/ to be looked at."""

from __future__ import annotations


import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from intake.models import Draft, HandlingUnit, Message, StaffRole, StaffUser
from intake.services.console.accounts import hash_password
from intake.services.lifecycle import handling
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


def _answered_suggestion(runtime, deputy_id: int, cosigner_id: int) -> tuple[int, int]:
    """A suggestion on paper, assigned, met about, answered with a .pdf and accepted: every part of its pages shows."""
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        lead, co = HandlingUnit(name="区住房和城乡建设局", short_name="住建局"), HandlingUnit(name="区交通运输局")
        session.add_all([lead, co])
        session.flush()
        session.add(StaffUser(username="zhujian", password_hash=hash_password("pw-zhujian"), role=StaffRole.UNIT,
                              unit_id=lead.id))
        found = handling.register_by_hand(session, title="关于修复幸福小区路灯的建议", lead_deputy_id=deputy_id,
                                          cosigner_ids=[cosigner_id], kind="session", topic="城乡建设",
                                          situation="幸福小区门口路灯坏了一个月。", problems="夜间出行不安全",
                                          proposals="尽快修复路灯", actor="staff:admin", rules=rules)
        handling.assign(session, [found.id], lead_unit_id=lead.id, co_unit_ids=[co.id], key_supervision=True,
                        supervisor="张主任", actor="staff:admin", rules=rules)
        handling.send_opinion(session, found.id, unit_id=co.id, text="配合做好交通疏导。", actor=f"unit:{co.id}")
        handling.log_contact(session, found.id, unit_id=lead.id, stage="before", way="face",
                             on=handling.today(rules), who="副局长 李明", note="现场查看。", actor=f"unit:{lead.id}",
                             rules=rules)
        handling.submit_reply(session, found.id, unit_id=lead.id, text="已修复。", category="A",
                              attachment=("答复函.pdf", b"%PDF-1.4\n%%EOF\n"), actor=f"unit:{lead.id}", rules=rules)
        handling.accept_reply(session, found.id, actor="staff:admin")
        return found.id, lead.id


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
    suggestion_id, unit_id = _answered_suggestion(runtime, wang["id"], li["id"])

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

    def unit(page):
        page.goto(f"{live_server}/staff/login")
        if "login" in page.url:
            page.fill("#username", "zhujian")
            page.fill("#password", "pw-zhujian")
            page.click("button[type=submit]")
            page.wait_for_url("**/unit/")

    problems = _tour(browser, live_server, [("chat", f"/c/{slug_of(wang)}"), ("missing", "/c/nosuchcode")],
                     citizen, "citizen")
    problems += _tour(browser, live_server, [("login", "/deputy/login")], lambda page: None, "deputy")
    problems += _tour(browser, live_server, [
        ("home", "/deputy/"), ("draft", f"/deputy/drafts/{draft_id}"), ("messages", "/deputy/messages"),
        ("suggestions", "/deputy/suggestions"), ("suggestion", f"/deputy/suggestions/{suggestion_id}"),
    ], deputy, "deputy")
    problems += _tour(browser, live_server, [("login", "/staff/login")], lambda page: None, "staff")
    problems += _tour(browser, live_server, [
        ("queue", "/staff/"), ("message", f"/staff/messages/{message_id}"), ("deputies", "/staff/deputies"),
        ("deputy-edit", f"/staff/deputies/{wang['id']}"), ("stations", "/staff/stations"),
        ("roster", "/staff/roster"), ("accounts", "/staff/accounts"), ("operations", "/staff/operations"),
        ("audit", "/staff/audit"), ("suggestions", "/staff/suggestions"),
        ("suggestion", f"/staff/suggestions/{suggestion_id}"), ("suggestion-new", "/staff/suggestions/new"),
        ("stats", "/staff/stats"), ("units", "/staff/units"), ("unit-edit", f"/staff/units/{unit_id}"),
    ], staff, "staff")
    problems += _tour(browser, live_server, [
        ("home", "/unit/"), ("suggestion", f"/unit/suggestions/{suggestion_id}"),
    ], unit, "unit")
    assert not problems, "\n".join(problems)
