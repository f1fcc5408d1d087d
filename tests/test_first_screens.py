"""First screens: the staff queue's first message on a laptop's first screen under the hot problems and reminders;
the deputy's pages on a phone start their content near the top."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intake.launcher import load_demo_if_empty
from intake.models import HandlingUnit, Message, utcnow
from intake.services.reminders import milestones
from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, deputies, sign_in_page
from tests.test_browser import browser, live_server  # noqa: F401  (fixtures)
from tests.test_pages_browser import _overdue_suggestion
from tests.test_radar import _batch_and_place, _message, _others


@pytest.mark.browser
@pytest.mark.shared("messages-with-replies.csv")
@pytest.mark.parametrize("width,height", [(1024, 768), (1366, 768)])
def test_the_queues_first_message_is_on_a_laptops_first_screen_under_ten_hot_problems(
        app, live_server, browser, run_jobs, runtime, width, height):  # noqa: F811
    """The open 近 7 天热点问题 (ten problems and the growing line) and 办理提醒 pushed the queue's first message to
    the bottom of a 768 px laptop screen or below it: its first row stays whole on the first screen, the digest
    still saying what it is, how many, and the way to the radar."""
    runtime.settings.instance_dir.mkdir(exist_ok=True)
    assert load_demo_if_empty(runtime)
    run_jobs()
    ids = [deputy["id"] for deputy in deputies(app)]
    with runtime.sessions() as session, session.begin():
        first = session.query(Message).count() + 1
        session.add_all(_message(ids[number % len(ids)], text, first + number)
                        for number, text in enumerate(_others(12)))
    _batch_and_place(runtime, ids)
    with runtime.sessions() as session:
        unit_id = session.scalars(select(HandlingUnit.id)).first()
    for _ in range(4):
        _overdue_suggestion(runtime, ids[0], unit_id)
    with runtime.sessions() as session, session.begin():
        milestones.run(session, now=utcnow(), rules=runtime.settings.lifecycle, targets=milestones.Targets())
    add_staff(app, "office", "office", None)
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    sign_in_page(page, live_server, "office")
    page.wait_for_load_state("load")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"staff-queue-first-screen-{width}.png"))
    page.screenshot(path=str(ARTIFACTS / f"staff-queue-first-screen-{width}-full.png"), full_page=True)
    row = page.locator("table.queue tbody tr").first.bounding_box()
    assert row["y"] + row["height"] <= height, f"the first message ends at {row['y'] + row['height']:.0f} px"
    digest = page.locator("#radar-digest")
    assert digest.locator("li").count() == 10
    assert page.locator("#reminders li").count() == 4
    assert "近 7 天热点问题（10 个）" in digest.inner_text()
    assert digest.get_by_role("link", name="打开热点雷达").is_visible()
    # the rest one click away: the other seven problems and the fastest growing, the other two reminders
    assert not digest.locator("li").nth(9).is_visible()
    digest.get_by_text("其余 7 个及增长最快的问题").click()
    assert digest.locator("li").nth(9).is_visible() and digest.get_by_text("增长最快：").is_visible()
    page.locator("#reminders").get_by_text("其余 2 件").click()
    assert page.locator("#reminders li").nth(3).is_visible()
    page.screenshot(path=str(ARTIFACTS / f"staff-queue-first-screen-opened-{width}.png"))

