"""The console on a station clerk's phone: tables read as cards, nothing is squeezed or sticks out, the
controls speak Chinese whatever the browser's language, and the laptop keeps its one-line table headers."""

from __future__ import annotations

import re

import pytest

from intake.models import StaffRole
from intake.services.console.triage import Filters
from tests.conftest import ARTIFACTS, csrf_token
from tests.helpers import (FOLLOW_UP_ANSWER, add_staff, deputies, import_roster, report, set_password, sign_in_page,
                           sign_in_staff, slug_of, write_roster)
from tests.test_browser import browser, live_server, screenshot  # noqa: F401  (fixtures)
from tests.test_pages_browser import LAYOUT, _answered_suggestion, _units

SMALL_PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True,
               "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}


def _staff_page(browser, live_server, size: dict):  # noqa: F811
    page = browser.new_context(**size).new_page()
    sign_in_page(page, live_server, "clerk")
    return page


def _district(app, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for text in ("路灯坏了一个多月了，晚上老人出门很不方便，希望尽快派人修好", "幸福小区门口的路灯坏了一个月了，晚上很黑",
                 "青石中学门口放学时堵车严重"):
        report(app.test_client(), slug, text)
    add_staff(app, "clerk", StaffRole.ADMIN, None)


@pytest.mark.browser
def test_console_tables_are_cards_on_a_small_phone(app, live_server, browser, run_jobs, tmp_path):  # noqa: F811
    _district(app, tmp_path)
    run_jobs()
    page = _staff_page(browser, live_server, SMALL_PHONE)
    folder = ARTIFACTS / "console-phone"
    folder.mkdir(parents=True, exist_ok=True)
    for path in ("/staff/", "/staff/stations", "/staff/deputies", "/staff/accounts", "/staff/audit",
                 "/staff/operations", "/staff/deputies/1"):
        page.goto(live_server + path)
        screenshot(page, folder / f"{path.strip('/').replace('/', '-') or 'queue'}-320.png")
        assert page.evaluate(LAYOUT) == [], path
    page.goto(live_server + "/staff/")
    rows = page.locator("table.queue tbody tr")
    row = rows.first
    # A message is a short card: its first words open it, then one line of the facts a clerk triages by, so
    # four messages fit a 640 px screen (eight labelled lines each used to fill it with one and a half).
    link = row.locator("a", has_text="青石中学门口")
    assert link.is_visible() and link.get_attribute("href").startswith("/staff/messages/")
    shown = row.inner_text()
    for fact in (r"编号 \d+", r"MS-\d{8}-\d{4}", r"\d{2}-\d{2} \d{2}:\d{2}", "王秀兰", "青石街道人大代表联络站", "网页",
                 r"（可信度(较高|一般|较低)）|（已确认）", "|".join(["已入草稿", "已分类", "收集中，尚未成稿"])):
        assert re.search(fact, shown), (fact, shown)
    heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
    page.screenshot(path=str(folder / "queue-320-full.png"), full_page=True)
    assert max(heights) <= 160, heights
    # The classifier's confidence in a clerk's words ("可信度较高"), never a percentage.
    shown = "\n".join(rows.all_inner_texts())
    assert re.search(r"可信度(较高|一般|较低)", shown) and not re.search(r"\d+%", shown), shown
    # The queue's cards fill the card's width instead of eight one-character columns.
    assert row.bounding_box()["width"] > 240
    # A card's words keep the citizen's answer to where (就在青石街道幸福小区东门…) whole: cut after two lines, the place
    # read 晚上很黑／在青石街… and the clerk had to open every message to see which estate.
    lamp = rows.locator("td.brief a", has_text="路灯坏了一个多月")
    assert lamp.is_visible() and FOLLOW_UP_ANSWER in lamp.inner_text(), lamp.inner_text()
    # A checkbox sits beside its words (the inline style that used to size it was refused by the CSP).
    page.goto(live_server + "/staff/deputies/1")
    box, words = page.locator("label.check input").bounding_box(), page.locator("label.check").bounding_box()
    assert box["y"] >= words["y"] and box["y"] + box["height"] <= words["y"] + words["height"]
    assert words["height"] < 50


@pytest.mark.browser
def test_the_statistics_read_on_a_small_phone(app, live_server, browser, runtime, tmp_path):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    wang, li, _ = deputies(app)
    add_staff(app, "clerk", StaffRole.ADMIN, None)
    _answered_suggestion(runtime, wang["id"], li["id"], *_units(runtime))
    page = _staff_page(browser, live_server, SMALL_PHONE)
    page.goto(live_server + "/staff/stats")
    screenshot(page, ARTIFACTS / "console-phone" / "stats-320.png")
    page.screenshot(path=str(ARTIFACTS / "console-phone" / "stats-320-full.png"), full_page=True)
    assert page.evaluate(LAYOUT) == []
    # Each section a tap away: a line of links on the first screen, each leading to its heading (the page was ten
    # screens of cards a clerk scrolled through to reach 答复核查).
    sections = ["答复类别", "按主办单位", "按领衔代表", "按分类", "答复核查"]
    links = page.locator("main nav a[href^='#']")
    assert links.all_inner_texts() == sections
    assert all(links.nth(i).bounding_box()["y"] + links.nth(i).bounding_box()["height"] <= 640
               for i in range(len(sections)))
    links.last.click()
    heading = page.locator("h2", has_text="答复核查")
    page.wait_for_function("el => { const box = el.getBoundingClientRect(); "
                           "return box.top >= 0 && box.bottom <= window.innerHeight; }", arg=heading.element_handle())
    # A unit's figures are a few short lines under its name (each rate with its count, 66.7%（2/3）), not eight
    # labelled lines of one figure each.
    for table in ("#by-unit", "#by-deputy", "#by-topic", "#categories"):
        row = page.locator(f"{table} tbody tr").first
        assert row.bounding_box()["height"] <= 150, (table, row.bounding_box())
        assert "区住房和城乡建设局" in row.inner_text() or table != "#by-unit"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.browser
def test_a_suggestions_forms_are_a_tap_away_on_a_small_phone(app, live_server, browser, runtime, tmp_path):  # noqa: F811
    """The office's 办理状态, a unit's 沟通 form and the lead deputy's rating (2,600 px down) come screens down under the
    suggestion on a phone: the links on the first screen are there, under the way back and near the heading, and each
    lands on its form. A cosigner, who does not rate, gets no link."""
    import_roster(app, write_roster(tmp_path))
    wang, li, _ = deputies(app)
    add_staff(app, "clerk", StaffRole.ADMIN, None)
    set_password(app, "13900000001", "wang-pass-1")
    set_password(app, "13900000002", "li-pass-1")
    suggestion_id = _answered_suggestion(runtime, wang["id"], li["id"], *_units(runtime))

    def signed_in(username: str, path: str):
        page = browser.new_context(**SMALL_PHONE).new_page()
        if path.startswith("/deputy/"):
            page.goto(f"{live_server}/deputy/login")
            page.fill("#phone", username)
            page.fill("#password", "wang-pass-1" if username == "13900000001" else "li-pass-1")
            page.click("button[type=submit]")
            page.wait_for_url("**/deputy/")
        else:
            sign_in_page(page, live_server, username, lands="**/" + path.split("/")[1] + "/")
        page.goto(live_server + path)
        return page

    cosigner = signed_in("13900000002", f"/deputy/suggestions/{suggestion_id}")
    assert "评价这份答复" not in cosigner.inner_text("main") and cosigner.locator("nav.jumps").count() == 0
    cosigner.context.close()
    for username, path, target in (("clerk", f"/staff/suggestions/{suggestion_id}", "state"),
                                   ("zhujian", f"/unit/suggestions/{suggestion_id}", "contact-heading"),
                                   ("13900000001", f"/deputy/suggestions/{suggestion_id}", "rate-heading")):
        page = signed_in(username, path)
        link = page.locator(f"nav.jumps a[href='#{target}']")
        heading = page.locator("h1").bounding_box()
        box = link.bounding_box()
        assert link.is_visible() and box["y"] + box["height"] <= 640, (path, box)
        assert abs(box["y"] - heading["y"]) < 150, (path, box, heading)  # beside the heading, not a screen apart
        aside = page.locator(f"#{target}")
        assert aside.bounding_box()["y"] > 640  # the reason for the link
        link.click()
        page.wait_for_function("el => { const box = el.getBoundingClientRect(); "
                               "return box.top >= 0 && box.bottom <= window.innerHeight; }", arg=aside.element_handle())
        page.context.close()


@pytest.mark.browser
def test_the_laptop_keeps_tables_with_one_line_headers(app, live_server, browser, run_jobs, tmp_path):  # noqa: F811
    _district(app, tmp_path)
    run_jobs()
    office = sign_in_staff(app, "clerk")  # an entry in the audit log, which says 没有记录。 without a table when empty
    office.post("/staff/deputies/1/sign-in-link", data={"csrf_token": csrf_token(office, "/staff/deputies/1")})
    page = _staff_page(browser, live_server, LAPTOP)
    for path in ("/staff/", "/staff/stations", "/staff/deputies", "/staff/audit"):
        page.goto(live_server + path)
        assert page.evaluate(LAYOUT) == [], path
        assert page.evaluate("getComputedStyle(document.querySelector('main table')).display") == "table"
        heights = page.evaluate("[...document.querySelectorAll('main thead th')].map(th => th.clientHeight)")
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main th')).fontSize)")
        assert heights and max(heights) < 3 * font, (path, heights)


@pytest.mark.browser
def test_the_roster_file_picker_speaks_chinese(app, live_server, browser, tmp_path):  # noqa: F811
    add_staff(app, "clerk", StaffRole.ADMIN, None)
    roster = write_roster(tmp_path)
    # A browser set to English, as a borrowed laptop may be: our own words still show, never "Choose File".
    page = _staff_page(browser, live_server, {**SMALL_PHONE, "locale": "en-US"})
    page.goto(f"{live_server}/staff/roster")
    picker = page.locator(".file-pick")
    assert picker.inner_text().split() == ["选择名册文件", "未选择文件"]
    assert page.evaluate(LAYOUT) == []
    page.set_input_files("#roster-file", str(roster))
    assert picker.inner_text().split() == ["选择名册文件", f"已选择：{roster.name}"]
    screenshot(page, ARTIFACTS / "console-phone" / "roster-chosen-320.png")
    page.click("main button[type=submit]")
    page.locator("h2", has_text="预览").wait_for()
    assert "预览：3 位代表" in page.inner_text("main")


@pytest.mark.parametrize("typed", ["2026-12-03", "2026/12/3", "2026.12.03", "2026年12月3日", "２０２６－１２－０３",
                                   " 20261203 "])
def test_a_date_filter_is_read_the_way_people_type_it(typed):
    assert Filters.parse({"date_from": typed}).date_from.isoformat() == "2026-12-03"


def test_a_date_that_is_not_a_day_is_ignored():
    assert [Filters.parse({"date_to": typed}).date_to for typed in ("2026-02-30", "明天", "12/03", "")] == [None] * 4


def test_the_queue_offers_typed_dates_not_the_browsers_date_control(app, tmp_path):
    _district(app, tmp_path)
    staff = sign_in_staff(app, "clerk")
    page = staff.get("/staff/?date_from=2026年12月3日").get_data(as_text=True)
    assert 'type="date"' not in page and 'placeholder="年-月-日"' in page
    assert 'name="date_from" value="2026-12-03"' in page
    # On a phone the filters fold under 筛选, which says how many are in force.
    assert "<summary>筛选（已选 1 项）</summary>" in page
    assert "<summary>筛选</summary>" in staff.get("/staff/").get_data(as_text=True)


def test_operations_and_audit_log_name_queues_roles_and_actions_in_chinese(app, tmp_path):
    _district(app, tmp_path)
    created = app.test_cli_runner().invoke(args=["accounts", "create", "--role", "office", "--name", "helper",
                                                 "--link"])
    assert created.exit_code == 0, created.output
    staff = sign_in_staff(app, "clerk")
    staff.post("/staff/deputies/1/sign-in-link", data={"csrf_token": csrf_token(staff, "/staff/deputies/1")})
    operations = staff.get("/staff/operations").get_data(as_text=True)
    assert "留言分类" in operations and "草稿整理" in operations and ">intake<" not in operations
    log = staff.get("/staff/audit").get_data(as_text=True)
    assert "生成代表登录链接" in log and "系统（后台命令）" in log and "角色：代表工委" in log
    assert "sign_in_link" not in log and "system:cli" not in log and "office" not in log


def test_a_station_clerks_menu_offers_only_pages_the_clerk_may_open(app, tmp_path):
    _district(app, tmp_path)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    clerk = sign_in_staff(app, "qingshi")
    menu = clerk.get("/staff/").get_data(as_text=True).split("<nav aria-label=\"工作台菜单\">")[1].split("</nav>")[0]
    paths = [part.split('"')[0] for part in menu.split('href="')[1:]]
    assert paths and "/staff/audit" not in paths
    assert [path for path in paths if clerk.get(path).status_code != 200] == []


def test_a_station_clerk_is_told_plainly_what_a_stopped_worker_means(app, tmp_path):
    """No worker runs in the tests: the office is warned in red, a station clerk (who cannot start one) in a warning
    box, not the grey small print read as nothing amiss."""
    _district(app, tmp_path)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    clerk = sign_in_staff(app, "qingshi").get("/staff/operations").get_data(as_text=True)
    assert "已收到的留言不会丢失" in clerk and 'class="error' not in clerk
    assert '<p class="warning" role="status" id="no-workers">' in clerk
    office = sign_in_staff(app, "clerk").get("/staff/operations").get_data(as_text=True)
    assert '<p class="error" id="no-workers">' in office
    # Both are told in the same plain words (任务进程暂未运行 and 没有任务进程在运行 once said it two ways), and neither
    # page speaks of queues, processes or scheduled tasks.
    stopped = "后台整理程序已停止：新留言要等它恢复后才会自动分类、整理成草稿，已收到的留言不会丢失。"
    assert stopped in clerk and stopped in office
    for page in (clerk, office):
        shown = page.split("<main", 1)[1]
        assert not [word for word in ("队列", "任务进程", "定时整理", "定时任务", "进程") if word in shown]
        assert "补漏整理（每分钟，" in shown
        # Failed jobs headed as failed: 没有完成的工作 over 没有失败的工作 read as work left undone, and none failed.
        assert "<h2>失败的工作</h2>" in shown and "暂无失败的工作。" in shown and "没有完成的工作" not in shown


@pytest.mark.browser
def test_where_a_message_went_reads_whole_on_a_phone_and_a_laptop(app, live_server, browser,  # noqa: F811
                                                                  runtime, run_jobs, tmp_path):
    """已写入建议 2026-001（已交办） and 草稿已放弃, longer than 已入草稿, on the message page and in the queue."""
    from tests.test_staff import draft_gone_on

    first, third, number = draft_gone_on(app, runtime, run_jobs, tmp_path)
    folder = ARTIFACTS / "console-phone"
    folder.mkdir(parents=True, exist_ok=True)
    for width, size in ((320, SMALL_PHONE), (390, {**SMALL_PHONE, "viewport": {"width": 390, "height": 800}}),
                        (1366, LAPTOP)):
        page = browser.new_context(**size).new_page()
        sign_in_page(page, live_server, "office")
        for name, path, words in (("registered", f"/staff/messages/{first}", f"已写入建议 {number}（已交办）"),
                                  ("discarded", f"/staff/messages/{third}", "草稿已放弃"),
                                  ("queue", "/staff/", "草稿已放弃")):
            page.goto(live_server + path)
            assert words in page.inner_text("main"), (name, width)
            page.screenshot(path=str(folder / f"went-{name}-{width}.png"), full_page=True)
            assert page.evaluate(LAYOUT) == [], (name, width)
        page.context.close()
