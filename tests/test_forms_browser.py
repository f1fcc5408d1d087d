"""The pages changed so nothing typed is lost, in Chromium at 320, 390 and 1366 wide: a unit's reply refused and
shown again with its words, the unit's paged list with its year, the notice of a session ended elsewhere with the
words kept, the queue naming a day it cannot read. Screenshots land in test-artifacts/forms-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from intake.models import Suggestion
from intake.services.lifecycle import handling
from tests.conftest import ARTIFACTS
from tests.helpers import sign_in_page
from tests.test_browser import PHONE, browser, live_server, screenshot  # noqa: F401  (fixtures)
from tests.test_suggestion_pages import _world

SIZES = {"320": {**PHONE, "viewport": {"width": 320, "height": 640}}, "390": PHONE,
         "1366": {"viewport": {"width": 1366, "height": 768}}}
REPLY = "经现场查看，排污沟淤积约两百米，已列入明年一季度清淤计划，届时将组织专业队伍清淤并加装格栅。"


def _many_for_the_unit(app, unit_id: int) -> None:
    """Two years and more than a page of suggestions for the unit."""
    runtime = app.extensions["mashang"]
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        lead = session.scalar(select(Suggestion.lead_deputy_id))
        ids = [handling.register_by_hand(session, title=f"关于第{n}条排水沟的建议", lead_deputy_id=lead,
                                         actor="staff:gw", rules=rules).id for n in range(1, 202)]
        handling.assign(session, ids, lead_unit_id=unit_id, actor="staff:gw", rules=rules,
                        deadline=handling.today(rules) + timedelta(days=30))
        session.execute(update(Suggestion).where(Suggestion.id.in_(ids[:150])).values(status="closed", year=2025))


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_the_pages_that_keep_what_was_typed(app, live_server, browser, size):  # noqa: F811
    suggestion_id, water_id, _ = _world(app)
    _many_for_the_unit(app, water_id)
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []

    def signed_in(username: str, lands: str):
        page = browser.new_context(**SIZES[size]).new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return sign_in_page(page, live_server, username, lands=lands)

    def shot(page, step: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["viewport"]["width"], (step, width)  # nothing pushed off the side
        screenshot(page, ARTIFACTS / f"forms-{step}-{size}.png")

    unit = signed_in("shuiwu", "**/unit/")
    assert "共 202 件" in unit.inner_text("#pager") and unit.is_visible("#year-filter")
    shot(unit, "unit-list")

    unit.goto(f"{live_server}/unit/suggestions/{suggestion_id}")
    unit.fill("#reply-text", REPLY)
    unit.check("#category-B")
    unit.click("#reply button[type=submit]")
    unit.wait_for_load_state("load")
    assert "B类答复请填写承诺完成日期" in unit.inner_text(".flash")
    assert unit.input_value("#reply-text") == REPLY and unit.is_checked("#category-B")
    shot(unit, "reply-refused")

    desk = signed_in("shuiwu", "**/unit/")
    desk.goto(f"{live_server}/unit/suggestions/{suggestion_id}")
    desk.fill("#reply-text", REPLY)
    desk.check("#category-A")
    unit.click("button[name=everywhere]")  # 退出所有设备 on the other device
    unit.wait_for_load_state("load")
    desk.click("#reply button[type=submit]")
    desk.wait_for_load_state("load")
    assert "重新登录" in desk.inner_text("main") and desk.input_value("#typed-1") == REPLY
    shot(desk, "signed-out")
    desk.click("#sign-in-again")
    desk.fill("#username", "shuiwu")
    desk.fill("#password", "pw-shuiwu")
    desk.click("button[type=submit]")
    desk.wait_for_url(f"**/unit/suggestions/{suggestion_id}")
    assert desk.input_value("#reply-text") == REPLY and desk.is_checked("#category-A")
    assert "已填回" in desk.inner_text(".flash")
    shot(desk, "given-back")

    office = signed_in("office", "**/staff/")
    office.goto(f"{live_server}/staff/?date_from=2026-13-45")
    assert "无法识别" in office.inner_text("main") and office.input_value("input[name=date_from]") == "2026-13-45"
    assert office.is_visible("input[name=date_from]")  # the filters stay open on a phone to show the box
    shot(office, "queue-day")

    deputy = browser.new_context(**SIZES[size]).new_page()
    deputy.goto(f"{live_server}/deputy/login")
    deputy.fill("#phone", "13900000001")
    deputy.fill("#password", "wang-pass-1")
    deputy.click("button[type=submit]")
    deputy.wait_for_load_state("load")
    assert deputy.is_visible("button[name=everywhere]")
    shot(deputy, "deputy-bar")
    assert not errors
