"""A suggestion's whole life in Chromium: the deputy approves on a phone (390×844), the office registers and
assigns it at a laptop (1366×768), the co-unit gives its opinion, the lead unit meets the deputy and replies
(B with a .pdf), the office reads the reply check and accepts, the deputy reads it beside the rating buttons
(390 and 320 px wide) and is not satisfied, the unit replies again (A), the deputy is
satisfied, and /staff/stats moves with every step. Screenshots of each step land in test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from intake.models import Deputy, HandlingUnit, Rating, Reply, StaffRole, StaffUser, Station, Suggestion
from intake.services.console.accounts import hash_password
from intake.services.lifecycle import handling
from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, deputies, import_roster, report, set_password, sign_in_page, slug_of, write_roster
from tests.test_browser import PHONE, browser, live_server, screenshot  # noqa: F401  (fixtures)

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
SMALL_PHONE = {**PHONE, "viewport": {"width": 320, "height": 640}}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LIGHTS = ["幸福小区门口的路灯坏了一个月了，晚上一片漆黑。", "幸福小区东门路灯不亮，老人出门不方便，希望尽快修好路灯。"]


def _units(runtime) -> None:
    with runtime.sessions() as session, session.begin():
        for name, short, username in (("区住房和城乡建设局", "住建局", "zhujian"), ("区交通运输局", "交通局", "jiaotong"),
                                      ("区教育局", "教育局", None)):
            unit = HandlingUnit(name=name, short_name=short, contact_person="李明", phone="0571-88880000")
            session.add(unit)
            session.flush()
            if username:
                session.add(StaffUser(username=username, password_hash=hash_password("pw-" + username),
                                      role=StaffRole.UNIT, unit_id=unit.id))


def _figures(page, live_server: str) -> dict:
    page.goto(f"{live_server}/staff/stats")
    # A tile's words as written (its rate's count is drawn on a line of its own).
    shown = {key: page.text_content(f"#{key}") for key in ("total", "answered", "reply-rate", "face-rate",
                                                             "satisfaction-rate", "completion-rate")}
    shown["A"] = page.locator("#categories tbody tr").nth(0).inner_text()
    shown["B"] = page.locator("#categories tbody tr").nth(1).inner_text()
    return shown


@pytest.mark.browser
def test_a_suggestion_from_approval_to_a_satisfied_deputy(app, live_server, browser, run_jobs, runtime,  # noqa: F811
                                                          tmp_path, request):
    import_roster(app, write_roster(tmp_path))
    wang = deputies(app)[0]
    for text in LIGHTS:
        report(app.test_client(), slug_of(wang), text)
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    add_staff(app, "office", StaffRole.OFFICE, None)
    _units(runtime)
    ARTIFACTS.mkdir(exist_ok=True)
    tag = request.node.callspec.id
    errors: list[str] = []

    def context(size: dict):
        page = browser.new_context(**size, accept_downloads=True).new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    def shot(page, step: str) -> None:
        screenshot(page, ARTIFACTS / f"suggestion-{step}-{tag}.png")

    def flash(page) -> str:
        return page.inner_text(".flash")

    # 1. The deputy approves the draft on the phone.
    deputy = context(PHONE)
    deputy.goto(f"{live_server}/deputy/login")
    deputy.fill("#phone", "13900000001")
    deputy.fill("#password", "wang-pass-1")
    deputy.click("button[type=submit]")
    deputy.wait_for_url("**/deputy/")
    deputy.click("text=路灯")
    deputy.wait_for_url("**/deputy/drafts/*")
    deputy.click("#approve-step summary")
    deputy.check("#confirm-approve")
    deputy.click("#approve")
    deputy.wait_for_load_state("load")
    assert "已提交代表工委" in flash(deputy)
    shot(deputy, "01-deputy-approved")

    # 2. Office staff register it from the list of approved drafts and assign a lead and a co-unit.
    office = context(LAPTOP)
    sign_in_page(office, live_server, "office")
    office.click("text=建议办理")
    office.wait_for_url("**/staff/suggestions")
    assert "路灯" in office.inner_text("#waiting")
    # 闭会期间 and 登记 a gap apart, as in other forms: drawn inline in the row, they touched.
    kind, register = (office.locator(f"#waiting form {tag}").first.bounding_box() for tag in ("select", "button"))
    assert register["x"] - (kind["x"] + kind["width"]) >= 8, (kind, register)
    shot(office, "02-office-waiting")
    office.locator("#waiting button[type=submit]").first.click()
    office.wait_for_load_state("load")
    assert "已登记为第" in flash(office)
    number = flash(office).split("第 ")[1].split(" 号")[0]
    assert office.locator("#waiting").count() == 0
    office.locator("table.queue tbody tr", has_text=number).locator("input[type=checkbox]").check()
    office.select_option("#lead-unit", label="区住房和城乡建设局")
    office.click("#assign fieldset details summary")  # 协办单位, inside the folded form
    office.locator("#assign .unit-choices label", has_text="区交通运输局").locator("input").check()
    default_deadline = office.input_value("#deadline")
    assert default_deadline == (handling.today(runtime.settings.lifecycle)
                                + timedelta(days=runtime.settings.lifecycle.handling_days)).isoformat()
    office.check("#key-supervision")
    office.fill("#assign input[name=supervisor]", "张主任")
    office.click("#assign button[type=submit]")
    office.wait_for_load_state("load")
    assert "已交办 1 件建议" in flash(office)
    row = office.locator("table.queue tbody tr", has_text=number).inner_text()
    assert "区住房和城乡建设局" in row and "已交办" in row and default_deadline in row and "重点督办" in row
    shot(office, "03-office-assigned")
    before = _figures(office, live_server)
    assert before["total"] == "1" and before["answered"] == "0" and before["reply-rate"] == "0%（0/1）"
    shot(office, "04-stats-assigned")

    # 3. The co-unit sends its opinion to the lead unit.
    co = context(LAPTOP)
    sign_in_page(co, live_server, "jiaotong", lands="**/unit/")
    assert number in co.inner_text("table.queue") and "协办" in co.inner_text("table.queue")
    co.click(f"text=路灯")
    co.wait_for_url("**/unit/suggestions/*")
    assert co.locator("#reply").count() == 0  # only the lead unit replies
    co.fill("#opinion-text", "我局配合做好路灯线路沿线的交通疏导。")
    co.click("#opinion button[type=submit]")
    co.wait_for_load_state("load")
    assert "协办意见已送主办单位" in flash(co)
    shot(co, "05-co-unit-opinion")

    # 4. The lead unit logs a 办前 meeting and replies in category B with a .pdf.
    lead = context(LAPTOP)
    sign_in_page(lead, live_server, "zhujian", lands="**/unit/")
    lead.click("text=路灯")
    lead.wait_for_url("**/unit/suggestions/*")
    assert "我局配合做好路灯线路沿线的交通疏导。" in lead.inner_text("main")
    today = handling.today(runtime.settings.lifecycle)
    lead.select_option("#stage", "before")
    lead.select_option("#way", "face")
    lead.fill("#on", today.isoformat())
    lead.fill("#who", "副局长 李明、代表 王秀兰")
    lead.fill("#contact-note", "到幸福小区现场查看路灯。")
    lead.click("#contact button[type=submit]")
    lead.wait_for_load_state("load")
    assert "沟通情况已记录" in flash(lead) and "办前\n当面" in lead.inner_text("main")
    shot(lead, "06-lead-contact")
    pdf = tmp_path / "答复函.pdf"
    pdf.write_bytes(PDF)
    promised = (today + timedelta(days=60)).isoformat()
    lead.fill("#reply-text", "已列入明年路灯改造计划，年内先临时修复。")
    lead.check("#category-B")
    # Refused (no promised date): the words come back, and the file, which no browser fills in again, is named.
    lead.set_input_files("#attachment", str(pdf))
    lead.click("#reply button[type=submit]")
    lead.wait_for_load_state("load")
    assert "承诺完成日期" in flash(lead) and lead.input_value("#reply-text").startswith("已列入明年")
    assert lead.inner_text("#attachment-chosen") == "“答复函.pdf”没有上传，请重新选择文件"
    lead.locator("#attachment-chosen").scroll_into_view_if_needed()
    shot(lead, "06b-lead-reply-refused")
    wide = lead.viewport_size
    lead.set_viewport_size({"width": 320, "height": 700})  # the file's name and the sentence on a phone
    lead.locator("#attachment-chosen").scroll_into_view_if_needed()
    shot(lead, "06c-lead-reply-refused-320")
    lead.set_viewport_size(wide)
    lead.fill("#promised", promised)
    lead.set_input_files("#attachment", str(pdf))
    assert lead.inner_text("#attachment-chosen") == "已选择：答复函.pdf"
    lead.click("#reply button[type=submit]")
    lead.wait_for_load_state("load")
    assert "答复已提交" in flash(lead)
    shot(lead, "07-lead-replied-b")

    # 5. Office staff accept the reply.
    office.goto(f"{live_server}/staff/suggestions")
    office.locator("table.queue a", has_text="路灯").click()
    office.wait_for_url("**/staff/suggestions/*")
    assert "B类" in office.inner_text("main") and "答复函.pdf" in office.inner_text("main")
    # Before accepting, the office reads the reply check: a level, its reasons, each point answered or not.
    check = office.inner_text("#reply-check")
    assert "答复核查" in check and "逐点回应" in check and "仅供参考" in check
    assert office.inner_text("#reply-check-level") in ("充分", "部分", "不充分")
    assert office.locator("#reply-check-points li").count() >= 1
    office.locator("#reply-check").scroll_into_view_if_needed()
    shot(office, "07b-office-reply-check")
    office.click("#accept button[type=submit]")
    office.wait_for_load_state("load")
    assert "已采用答复" in flash(office)
    # Accepted, the check stays a hint: which points went unanswered in a sentence, its level and 未回应 in the
    # hint's brown, never the error red that read as contradicting 已采用.
    assert office.locator("#reply-check-summary").is_visible()
    colours = office.evaluate("[...document.querySelectorAll('#reply-check-level, #reply-check .check-missing')]"
                              ".map((el) => getComputedStyle(el).color)")
    assert colours and "rgb(179, 20, 31)" not in colours, colours
    shot(office, "08-office-accepted")
    answered_b = _figures(office, live_server)
    assert answered_b["answered"] == "1" and answered_b["reply-rate"] == "100%（1/1）"
    assert answered_b["face-rate"] == "100%（1/1）" and answered_b["completion-rate"] == "0%（0/1）"
    assert "100%（1/1）" in answered_b["B"]
    shot(office, "09-stats-answered-b")

    # 6. The deputy sees the answer on the phone's home and is not satisfied: it reopens.
    deputy.goto(f"{live_server}/deputy/")
    assert "路灯" in deputy.inner_text("#to-rate")
    shot(deputy, "10-deputy-home-to-rate")
    deputy.locator("#to-rate a").first.click()
    deputy.wait_for_url("**/deputy/suggestions/*")
    body = deputy.inner_text("main")
    assert "已列入明年路灯改造计划" in body and "B类" in body and "办前\n当面" in body
    assert "我局配合" not in body  # the co-unit's opinion is for the lead unit, not the deputy
    with deputy.expect_download() as download:
        deputy.click("text=下载答复附件")
    assert download.value.suggested_filename == "答复函.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
    shot(deputy, "11-deputy-reply")
    # Beside the rating buttons, on the phone and on a small phone: the same check, in the hint's colours,
    # nothing wider than the screen.
    assert deputy.locator("#rate #reply-check").is_visible() and "逐点回应" in deputy.inner_text("#rate #reply-check")
    colours = deputy.evaluate("[...document.querySelectorAll('#reply-check-level, #reply-check .check-missing')]"
                              ".map((el) => getComputedStyle(el).color)")
    assert colours and "rgb(179, 20, 31)" not in colours, colours
    deputy.locator("#reply-check").scroll_into_view_if_needed()
    shot(deputy, "11b-deputy-reply-check")
    small = context(SMALL_PHONE)
    small.goto(f"{live_server}/deputy/login")
    small.fill("#phone", "13900000001")
    small.fill("#password", "wang-pass-1")
    small.click("button[type=submit]")
    small.wait_for_url("**/deputy/")
    small.goto(deputy.url)
    assert small.locator("#rate #reply-check").is_visible()
    assert not small.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    small.locator("#reply-check").scroll_into_view_if_needed()
    shot(small, "11c-small-reply-check")
    deputy.check("#level-unsatisfied")
    deputy.fill("#comment", "临时修复后又坏了，希望尽快彻底解决。")
    deputy.click("#rate-submit")
    deputy.wait_for_load_state("load")
    assert "评价已提交" in flash(deputy) and "第 2 轮办理" in deputy.inner_text("main")
    shot(deputy, "12-deputy-unsatisfied")
    unhappy = _figures(office, live_server)
    assert unhappy["satisfaction-rate"] == "0%（0/1）"
    shot(office, "13-stats-unsatisfied")

    # 7. The unit replies again, in category A; the office accepts; the deputy is satisfied.
    lead.reload()
    assert "第 2 轮办理" in lead.inner_text("main")
    lead.fill("#reply-text", "已更换幸福小区全部路灯并接入智能巡检。")
    lead.check("#category-A")
    lead.click("#reply button[type=submit]")
    lead.wait_for_load_state("load")
    assert "答复已提交" in flash(lead)
    shot(lead, "14-lead-replied-a")
    office.goto(f"{live_server}/staff/suggestions")
    office.locator("table.queue a", has_text="路灯").click()
    office.click("#accept button[type=submit]")
    office.wait_for_load_state("load")
    assert "已采用答复" in flash(office)
    deputy.reload()
    assert "已更换幸福小区全部路灯" in deputy.inner_text("main")
    deputy.check("#level-satisfied")
    deputy.click("#rate-submit")
    deputy.wait_for_load_state("load")
    assert "评价已提交" in flash(deputy) and "办理完毕" in deputy.inner_text("main")
    shot(deputy, "15-deputy-satisfied")
    history = deputy.inner_text(".history")
    assert history.count("评价") == 2 and history.count("提交答复") == 2

    # 8. The figures follow: answered A, satisfied, completed.
    after = _figures(office, live_server)
    assert after["satisfaction-rate"] == "100%（1/1）" and after["completion-rate"] == "100%（1/1）"
    assert "100%（1/1）" in after["A"] and "0%（0/1）" in after["B"]
    shot(office, "16-stats-closed")
    with runtime.sessions() as session:
        found = session.scalar(select(Suggestion))
        assert (found.status, found.round) == ("closed", 2)
        assert [r.category for r in session.scalars(select(Reply).order_by(Reply.id))] == ["B", "A"]
        assert [r.level for r in session.scalars(select(Rating).order_by(Rating.id))] == ["unsatisfied", "satisfied"]

    # The deputy's pages on a small phone as well.
    for step, path in (("17-small-list", "/deputy/suggestions"),
                       ("18-small-suggestion", f"/deputy/suggestions/{found.id}")):
        small.goto(live_server + path)
        assert not small.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        shot(small, step)
    assert errors == []


@pytest.mark.browser
def test_batch_assignment_preselects_the_unit_the_ticked_suggestions_agree_on(app, live_server, browser, runtime,  # noqa: F811
                                                                              request):
    numbers = []
    _units(runtime)
    with runtime.sessions() as session, session.begin():
        deputy = Deputy(name="王秀兰", level="区", station=Station(name="青石街道人大代表联络站"), phone="13900000001")
        session.add(deputy)
        session.flush()
        # What each draft's 建议承办单位 said (register_from_draft copies it): two name the housing bureau, one roads.
        for title, named in (("修复幸福小区路灯", "住建局"), ("整修幸福小区道路", "区住房和城乡建设局（牵头）"),
                             ("增设公交站", "区交通运输局")):
            found = handling.register_by_hand(session, title=title, lead_deputy_id=deputy.id, actor="staff:office",
                                              rules=runtime.settings.lifecycle)
            found.suggested_unit = named
            numbers.append(found.number)
        units = dict(session.execute(select(HandlingUnit.name, HandlingUnit.id)).all())
    add_staff(app, "office", StaffRole.OFFICE, None)
    page = browser.new_context(**LAPTOP).new_page()
    sign_in_page(page, live_server, "office")
    page.goto(f"{live_server}/staff/suggestions")
    lights, road, bus = (page.locator("table.queue tbody tr", has_text=number).locator("input[type=checkbox]")
                         for number in numbers)
    housing = str(units["区住房和城乡建设局"])
    assert page.input_value("#lead-unit") == ""
    lights.check()
    assert page.input_value("#lead-unit") == housing  # as the single 交办 form would
    road.check()
    assert page.input_value("#lead-unit") == housing  # both name the housing bureau
    bus.check()
    assert page.input_value("#lead-unit") == ""  # they disagree: the clerk chooses
    bus.uncheck()
    assert page.input_value("#lead-unit") == housing
    screenshot(page, ARTIFACTS / f"suggestion-batch-preselected-{request.node.callspec.id}.png")
    page.click("#assign button[type=submit]")
    page.wait_for_load_state("load")
    assert "已交办 2 件建议" in page.inner_text(".flash")
    # A unit the clerk chose by hand stays whatever is ticked.
    bus = page.locator("table.queue tbody tr", has_text=numbers[2]).locator("input[type=checkbox]")
    bus.check()
    assert page.input_value("#lead-unit") == str(units["区交通运输局"])
    page.select_option("#lead-unit", label="区教育局")
    bus.uncheck()
    bus.check()
    assert page.input_value("#lead-unit") == str(units["区教育局"])


@pytest.mark.browser
def test_a_refused_batch_assignment_comes_back_as_typed(app, live_server, browser, runtime, request):  # noqa: F811
    """The list's 交办 refused (a deadline naming no day) once came back as an empty list: the ticks, the unit chosen
    by hand, the deadline and the note were gone. Now the list is shown again, filtered as it was, the form open
    and filled in, saying why; shot at 320, 390 and 1366 px wide."""
    _units(runtime)
    with runtime.sessions() as session, session.begin():
        deputy = Deputy(name="王秀兰", level="区", station=Station(name="青石街道人大代表联络站"), phone="13900000001")
        session.add(deputy)
        session.flush()
        numbers = []
        for title, named in (("修复幸福小区路灯", "住建局"), ("增设公交站", "区交通运输局")):
            found = handling.register_by_hand(session, title=title, lead_deputy_id=deputy.id, actor="staff:office",
                                              rules=runtime.settings.lifecycle)
            found.suggested_unit = named
            numbers.append(found.number)
        education = str(session.scalar(select(HandlingUnit.id).where(HandlingUnit.name == "区教育局")))
    add_staff(app, "office", StaffRole.OFFICE, None)
    page = browser.new_context(**LAPTOP).new_page()
    sign_in_page(page, live_server, "office")
    page.goto(f"{live_server}/staff/suggestions?status=registered")
    ticks = [page.locator("table.queue tbody tr", has_text=number).locator("input[type=checkbox]")
             for number in numbers]
    for tick in ticks:
        tick.check()
    page.select_option("#lead-unit", value=education)
    page.fill("#deadline", "下月底")
    page.fill("#assign input[name=note]", "请于春节前答复")
    page.click("#assign button[type=submit]")
    page.wait_for_load_state("load")
    assert "办理期限“下月底”不是能识别的日期，没有交办" in page.inner_text(".flash")
    assert page.input_value("#deadline") == "下月底" and page.input_value("#lead-unit") == education
    assert page.input_value("#assign input[name=note]") == "请于春节前答复"
    assert all(tick.is_checked() for tick in ticks) and page.locator("#deadline").is_visible()
    assert page.locator("#filters select[name=status]").input_value() == "registered"
    tag = request.node.callspec.id
    for width in (320, 390, 1366):
        page.set_viewport_size({"width": width, "height": 844 if width < 1000 else 768})
        page.locator(".flash").scroll_into_view_if_needed()
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"), width
        assert page.locator("#deadline").is_visible(), width  # a phone's fold stays open to show what was typed
        screenshot(page, ARTIFACTS / f"suggestion-batch-refused-{width}-{tag}.png")
    page.set_viewport_size(LAPTOP["viewport"])
    ticks[1].uncheck()
    ticks[1].check()
    assert page.input_value("#lead-unit") == education  # chosen by hand before the refusal: the ticks leave it
    page.fill("#deadline", "")
    page.click("#assign button[type=submit]")
    page.wait_for_load_state("load")
    assert "已交办 2 件建议" in page.inner_text(".flash")
    assert page.url.endswith("/staff/suggestions?status=registered")
