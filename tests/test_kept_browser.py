"""In a real Chromium on a phone: a deputy's section edit sent after 退出所有设备 on another device comes back in its
own open box after signing in again, and the office's note on a message page the same; the audit log names an
export's filters in Chinese. The pages shot at 320, 390 and 1366 px wide."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intake.models import Draft, DraftStatus, StaffRole
from intake.services.console import audit
from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, deputies, import_roster, report, set_password, slug_of, write_roster
from tests.test_browser import PHONE, browser, live_server, screenshot  # noqa: F401  (fixtures)

WIDTHS = (320, 390, 1366)
SITUATION = "幸福小区门口约二百米路段的六盏路灯自十一月初起不亮，居民夜间出行不便，已有老人摔倒。"
NOTE = "已电话联系群众，约定周三上午到现场查看路灯。"


def _shots(page, name: str, tag: str, element: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844 if width < 1000 else 768})
        page.locator(element).scroll_into_view_if_needed()
        screenshot(page, ARTIFACTS / f"kept-{name}-{width}-{tag}.png")
    page.set_viewport_size(PHONE["viewport"])


def _signed_out_elsewhere(browser, live_server, login: str, fields: dict, opened: str):  # noqa: F811
    """`opened` on this phone, signed in, and then the same account on a laptop signing out of every device."""
    phone, laptop = (browser.new_context(**PHONE).new_page() for _ in range(2))
    for page in (phone, laptop):
        page.goto(f"{live_server}{login}")
        for selector, value in fields.items():
            page.fill(selector, value)
        page.click("button[type=submit]")
    phone.goto(f"{live_server}{opened}")
    laptop.click("form[action$='/logout'] button[name=everywhere]")
    laptop.context.close()
    return phone


def _sign_in_again(page, fields: dict) -> None:
    page.click("#sign-in-again")
    for selector, value in fields.items():
        page.fill(selector, value)
    page.click("button[type=submit]")


@pytest.mark.browser
def test_what_was_typed_after_signing_out_elsewhere_comes_back_in_its_box(app, live_server, browser, run_jobs,  # noqa: F811
                                                                           tmp_path, request):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    report(app.test_client(), slug, "青石街道幸福小区门口的路灯坏了快一个月了，晚上老人出门很不安全。希望尽快修好路灯。")
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    add_staff(app, "office", StaffRole.OFFICE, None)
    with app.extensions["mashang"].sessions() as session:
        draft = session.scalars(select(Draft).where(Draft.status == DraftStatus.OPEN)).one()
        draft_id, message_id, deputy_id = draft.id, draft.links[0].message_id, draft.deputy_id
    tag = request.node.callspec.id

    deputy = {"#phone": "13900000001", "#password": "wang-pass-1"}
    page = _signed_out_elsewhere(browser, live_server, "/deputy/login", deputy, f"/deputy/drafts/{draft_id}")
    page.click("#s-situation summary")
    page.fill("#t-situation", SITUATION)
    page.click("#s-situation button[type=submit]")
    assert "重新登录后会自动填回" in page.inner_text("main")
    _shots(page, "notice", tag, "#typed-back")
    _sign_in_again(page, deputy)
    assert "刚才填写的内容已填回原来的表格" in page.inner_text(".flash")
    assert page.locator("#t-situation").is_visible() and page.input_value("#t-situation") == SITUATION
    assert page.input_value("#t-problems") != SITUATION
    _shots(page, "draft", tag, "#s-situation")
    page.click("#s-situation button[type=submit]")
    assert "已保存修改" in page.inner_text(".flash") and SITUATION in page.inner_text("#s-situation")

    staff = {"#username": "office", "#password": "pw-office"}
    page = _signed_out_elsewhere(browser, live_server, "/staff/login", staff, f"/staff/messages/{message_id}")
    page.fill("input[name=note]", NOTE)
    page.click("form.actions button[type=submit]")
    _sign_in_again(page, staff)
    assert page.input_value("input[name=note]") == NOTE
    _shots(page, "note", tag, "input[name=note]")
    page.click("form.actions button[type=submit]")
    assert NOTE in page.inner_text("main")

    # The audit log names an export's filters in the clerk's words, on a phone too.
    with app.extensions["mashang"].sessions() as session, session.begin():
        filters = {"deputy": deputy_id, "status": "drafted", "channel": "web", "attention": "any", "q": "路灯"}
        audit.record(session, "staff:office", "export", "export:1", {}, {"filters": filters})
    page.goto(f"{live_server}/staff/audit")
    assert "筛选条件：代表：王秀兰，状态：已入草稿，渠道：网页，关注：全部需关注，关键词：路灯" in page.inner_text("main")
    _shots(page, "audit", tag, "table.audit")
